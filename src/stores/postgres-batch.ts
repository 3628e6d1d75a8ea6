// postgresStore's batch engine (see batcher.ts): a batch of reads is one SELECT, a batch of
// compare-and-sets one INSERT and/or one UPDATE, each committed on its own — so a batch of
// updates shares one commit (one WAL flush).
import type { StoredRecord } from '../lifecycle/store.js';
import type { BatchEngine } from './batcher.js';

/** Runs one SQL statement (named/prepared or not: the caller decides). */
export type RunStatement = (text: string, values: unknown[]) => Promise<{ rows: unknown[] }>;

/**
 * Rows per statement. A statement runs on one server core; a burst of 16 logins as two statements
 * of 8 keeps two cores busy and still shares each commit 8 ways (measured: faster than 16 or 4).
 */
const MAX_BATCH = 8;

/**
 * The stored record of a row. The version column is what compare-and-set checks, so it is the
 * version reported, even if someone edited the JSON by hand (bigint arrives as a string from most
 * drivers). pg, PGlite and postgres.js parse jsonb; a client without type parsers, or a
 * `record::text` column, gives text.
 */
export function recordOfRow(row: { record: unknown; version: unknown }): StoredRecord {
  const record = (typeof row.record === 'string' ? JSON.parse(row.record) : row.record) as StoredRecord;
  return { ...record, version: Number(row.version) };
}

/** The batched statements for one (quoted) table. */
export function batchStatements(table: string) {
  return {
    get: `SELECT id, record::text AS record, version FROM ${table} WHERE id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::text::jsonb)))`,
    insert: `INSERT INTO ${table} (id, version, record, updated_at)
SELECT v.id, v.version, v.record, now() FROM jsonb_to_recordset($1::text::jsonb) AS v(id text, version bigint, record jsonb)
ORDER BY v.id
ON CONFLICT (id) DO NOTHING RETURNING id`,
    // `id = ANY(ARRAY(…))` makes both scans index lookups. The uncorrelated count(*) is a one-time
    // filter: all rows are locked, in id order, before the update touches any (so the update never
    // waits on a lock while holding others, and batches from several processes cannot deadlock).
    update: `WITH v AS (SELECT * FROM jsonb_to_recordset($1::text::jsonb) AS v(id text, expected bigint, version bigint, record jsonb)),
locked AS (SELECT id FROM ${table} WHERE id = ANY (ARRAY(SELECT id FROM v)) ORDER BY id FOR UPDATE)
UPDATE ${table} t SET version = v.version, record = v.record, updated_at = now()
FROM v WHERE t.id = ANY (ARRAY(SELECT id FROM v)) AND t.id = v.id AND t.version = v.expected
AND (SELECT count(*) FROM locked) >= 0
RETURNING t.id`,
  };
}

/** The batch engine of a postgresStore on `table`; `errors` reads engine errors as the store does. */
export function postgresBatchEngine(run: RunStatement, table: string, errors: Pick<BatchEngine, 'outcome' | 'error'>): BatchEngine {
  const sql = batchStatements(table);

  return {
    maxBatch: MAX_BATCH,
    outcome: errors.outcome,
    error: errors.error,
    async readMany(ids) {
      const { rows } = await run(sql.get, [JSON.stringify(ids)]);
      const found = new Map<string, () => StoredRecord>();
      // record::text, parsed per caller: two callers of one id never share objects.
      for (const row of rows as { id: string; record: string; version: unknown }[]) found.set(row.id, () => recordOfRow(row));
      return found;
    },
    prepare(id, expected, record) {
      const item = expected === null ? { id, version: record.version, record } : { id, expected, version: record.version, record };
      return JSON.stringify(item);
    },
    async writeMany(writes) {
      // All creates or all updates (batcher.ts); each item was serialised by prepare().
      const text = writes[0]?.expected === null ? sql.insert : sql.update;
      const { rows } = await run(text, [`[${writes.map((w) => w.prepared as string).join(',')}]`]);
      return new Set(rows.map((row) => (row as { id: string }).id));
    },
  };
}
