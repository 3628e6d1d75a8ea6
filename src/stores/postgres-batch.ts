// Batching for postgresStore: the reads and compare-and-sets that callers start in the same turn of
// the event loop leave as one statement each, instead of one statement (and one commit) per call.
// Under load — many logins at once — that turns 2 round trips and 1 commit per login into 2 round
// trips and 1 commit per batch. A batch of one uses the plain single-row statements.
//
// Every compare-and-set in a batch is still its own atomic check: a row is written only if its
// version is the expected one, and the statement reports which rows it wrote. Rows are locked in
// id order, so two batches touching the same ids wait for each other instead of deadlocking.
import type { StoredRecord } from '../lifecycle/store.js';

/** Runs one SQL statement (named/prepared or not: the caller decides). */
export type RunStatement = (text: string, values: unknown[]) => Promise<{ rows: unknown[] }>;

/** The single-row operations a batch of one falls back to. */
export interface SingleOps {
  get(id: string): Promise<StoredRecord | null>;
  compareAndSet(id: string, expectedVersion: number | null, record: StoredRecord): Promise<boolean>;
}

/** How an engine error becomes the store's error; `null` when it means "lost the race" (false). */
export type Failure = (operation: 'get' | 'compareAndSet', cause: unknown) => Error | null;

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}
interface PendingGet extends Waiter<StoredRecord | null> {
  readonly id: string;
}
interface PendingCas extends Waiter<boolean> {
  readonly id: string;
  readonly expected: number | null;
  readonly record: StoredRecord;
}

/**
 * Rows per statement. A statement runs on one server core; a burst of 16 logins as two statements
 * of 8 keeps two cores busy and still shares each commit 8 ways (measured: faster than 16 or 4).
 */
const MAX_BATCH = 8;

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
    // waits on a lock while holding others).
    update: `WITH v AS (SELECT * FROM jsonb_to_recordset($1::text::jsonb) AS v(id text, expected bigint, version bigint, record jsonb)),
locked AS (SELECT id FROM ${table} WHERE id = ANY (ARRAY(SELECT id FROM v)) ORDER BY id FOR UPDATE)
UPDATE ${table} t SET version = v.version, record = v.record, updated_at = now()
FROM v WHERE t.id = ANY (ARRAY(SELECT id FROM v)) AND t.id = v.id AND t.version = v.expected
AND (SELECT count(*) FROM locked) >= 0
RETURNING t.id`,
  };
}

/** Gathers get/compareAndSet calls made in one event-loop turn and runs them as batches. */
export function batcher(run: RunStatement, table: string, single: SingleOps, failure: Failure): SingleOps {
  const sql = batchStatements(table);
  let gets: PendingGet[] = [];
  let sets: PendingCas[] = [];
  let scheduled = false;

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    // A macrotask: every promise continuation of this turn (each caller's next store call) runs first.
    setImmediate(flush);
  }

  function flush(): void {
    scheduled = false;
    const g = gets;
    const s = sets;
    gets = [];
    sets = [];
    for (let i = 0; i < g.length; i += MAX_BATCH) void readBatch(g.slice(i, i + MAX_BATCH));
    // One write per id per batch: a second write to the same id waits for the next batch, where it
    // sees the first one's outcome (and loses, unless it expected the new version).
    const seen = new Set<string>();
    const now: PendingCas[] = [];
    for (const op of s) {
      if (seen.has(op.id)) sets.push(op);
      else {
        seen.add(op.id);
        now.push(op);
      }
    }
    if (sets.length > 0) schedule();
    const inserts = now.filter((op) => op.expected === null);
    const updates = now.filter((op) => op.expected !== null);
    for (let i = 0; i < inserts.length; i += MAX_BATCH) void writeBatch(inserts.slice(i, i + MAX_BATCH), sql.insert);
    for (let i = 0; i < updates.length; i += MAX_BATCH) void writeBatch(updates.slice(i, i + MAX_BATCH), sql.update);
  }

  async function readBatch(batch: PendingGet[]): Promise<void> {
    if (batch.length === 1) return settle(batch[0]!, single.get(batch[0]!.id));
    let rows: unknown[];
    try {
      ({ rows } = await run(sql.get, [JSON.stringify([...new Set(batch.map((op) => op.id))])]));
    } catch (err) {
      const error = failure('get', err) ?? err;
      for (const op of batch) op.reject(error);
      return;
    }
    const found = new Map<string, { record: string; version: unknown }>();
    for (const row of rows as { id: string; record: string; version: unknown }[]) found.set(row.id, row);
    for (const op of batch) {
      const row = found.get(op.id);
      try {
        // Parsed once per caller: two callers of one id never share objects.
        op.resolve(row === undefined ? null : { ...(JSON.parse(row.record) as StoredRecord), version: Number(row.version) });
      } catch (err) {
        op.reject(err);
      }
    }
  }

  async function writeBatch(batch: PendingCas[], text: string): Promise<void> {
    if (batch.length === 1) {
      const op = batch[0]!;
      return settle(op, single.compareAndSet(op.id, op.expected, op.record));
    }
    const payload = batch.map((op) =>
      op.expected === null
        ? { id: op.id, version: op.record.version, record: op.record }
        : { id: op.id, expected: op.expected, version: op.record.version, record: op.record },
    );
    let rows: unknown[];
    try {
      ({ rows } = await run(text, [JSON.stringify(payload)]));
    } catch (err) {
      const error = failure('compareAndSet', err);
      // null: the statement was rolled back as a whole (serialization failure, deadlock): nothing
      // was written, so every write in it lost a race and its caller reloads and retries.
      for (const op of batch) {
        if (error === null) op.resolve(false);
        else op.reject(error);
      }
      return;
    }
    const written = new Set((rows as { id: string }[]).map((row) => row.id));
    for (const op of batch) op.resolve(written.has(op.id));
  }

  async function settle<T>(op: Waiter<T>, promise: Promise<T>): Promise<void> {
    try {
      op.resolve(await promise);
    } catch (err) {
      op.reject(err);
    }
  }

  return {
    get(id) {
      return new Promise((resolve, reject) => {
        gets.push({ id, resolve, reject });
        schedule();
      });
    },
    compareAndSet(id, expected, record) {
      return new Promise((resolve, reject) => {
        sets.push({ id, expected, record, resolve, reject });
        schedule();
      });
    },
  };
}
