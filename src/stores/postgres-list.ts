// postgresStore's `list`: keyset pagination in code point order. `COLLATE "C"` compares UTF-8 bytes
// (code point order) whatever the database's collation, so every store pages the same ids in the
// same order, and no two distinct ids ever compare equal (a non-deterministic collation would make
// `id > $1` skip them). `migrate()` adds an index in that order so a page is an index range scan.
import type { StoreListOptions, StoreListPage } from '../lifecycle/store.js';
import { listOptions } from '../_internal/list-page.js';
import { recordOfRow } from './postgres-batch.js';

type Run = (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }>;

/** The name of the ordering index of `table` (quoted, unqualified: it lives in the table's schema). */
function indexName(table: string): string {
  const name = table.slice(table.lastIndexOf('.') + 1).replace(/"/g, '');
  return `"${name.slice(0, 52)}_id_c_order"`;
}

/** The DDL of the ordering index; idempotent, added by `migrate()` to tables created before it. */
export function listIndexSql(table: string): string {
  return `CREATE INDEX IF NOT EXISTS ${indexName(table)} ON ${table} (id COLLATE "C")`;
}

/** The `list` of a postgres store on `table`: one statement per page, the records with the ids. */
export function postgresList(run: Run, table: string, failure: (operation: string, err: unknown) => Error) {
  const first = `SELECT id, record::text AS record, version FROM ${table} ORDER BY id COLLATE "C" LIMIT $1`;
  const after = `SELECT id, record::text AS record, version FROM ${table} WHERE id COLLATE "C" > $1 ORDER BY id COLLATE "C" LIMIT $2`;
  return async (options: StoreListOptions): Promise<StoreListPage> => {
    const o = listOptions('postgresStore.list', options);
    let rows: unknown[];
    try {
      // One row more than the page tells whether there is a next page.
      ({ rows } = o.after === null ? await run(first, [o.limit + 1]) : await run(after, [o.after, o.limit + 1]));
    } catch (err) {
      throw failure('list', err);
    }
    const page = (rows as { id: string; record: unknown; version: unknown }[]).slice(0, o.limit);
    return {
      entries: page.map((row) => ({ id: row.id, record: recordOfRow(row) })),
      next: rows.length > o.limit ? page[page.length - 1]!.id : null,
    };
  };
}
