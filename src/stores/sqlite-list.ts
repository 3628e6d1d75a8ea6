// sqliteStore's `list`: keyset pagination along the primary key. SQLite's default BINARY collation
// compares the stored UTF-8 bytes, which is code point order (on a UTF-16 database it would not be:
// mfakit expects the default UTF-8 encoding). One SELECT per page is one read snapshot.
import { MfaError } from '../errors.js';
import type { StoreListOptions, StoreListPage, StoredRecord } from '../lifecycle/store.js';
import { listOptions } from '../_internal/list-page.js';

/** The part of a prepared statement `list` needs: `all` (better-sqlite3, node:sqlite, bun:sqlite). */
interface AllStatement {
  all?(...params: unknown[]): unknown[];
}

/** The `list` of a sqlite store; `prepare` makes a statement (after the table exists). */
export function sqliteList(
  prepare: (sql: string) => AllStatement,
  table: string,
  unavailable: (operation: string, err: unknown) => Error,
  parse: (data: unknown) => StoredRecord,
) {
  let statements: { first: AllStatement; after: AllStatement } | undefined;
  return async (options: StoreListOptions): Promise<StoreListPage> => {
    const o = listOptions('sqliteStore.list', options);
    let rows: unknown[];
    try {
      statements ??= {
        first: prepare(`SELECT id, data FROM ${table} ORDER BY id LIMIT ?`),
        after: prepare(`SELECT id, data FROM ${table} WHERE id > ? ORDER BY id LIMIT ?`),
      };
      const s = o.after === null ? statements.first : statements.after;
      if (typeof s.all !== 'function') throw new MfaError('INVALID_OPTION', 'sqliteStore.list: the connection\'s statements have no all()');
      // One row more than the page tells whether there is a next page.
      rows = o.after === null ? s.all(o.limit + 1) : s.all(o.after, o.limit + 1);
    } catch (err) {
      if (err instanceof MfaError) throw err;
      statements = undefined;
      throw unavailable('list', err);
    }
    const page = (rows as { id: string; data: unknown }[]).slice(0, o.limit);
    return {
      entries: page.map((row) => ({ id: row.id, record: parse(row.data) })),
      next: rows.length > o.limit ? page[page.length - 1]!.id : null,
    };
  };
}
