// Batching for the network stores: the reads and compare-and-sets that callers start in the same
// turn of the event loop leave as one engine call each (one SQL statement, one Lua script), instead
// of one round trip — and, in PostgreSQL, one commit — per call. Under load (many logins at once)
// that is most of a login's cost. A call alone in its turn uses the engine's single-record path.
//
// Every compare-and-set in a batch stays its own atomic check: the engine writes a record only if
// its version is the expected one and reports which it wrote. Two writes to one id never share a
// batch: the second waits for the next one, where it sees the first's outcome.
//
// One caller's bad value must not fail the others' calls: when the engine refuses a batch (an error
// answer, nothing written: a value or key it cannot take), every call in it is retried alone on the
// single-record path, so only the offending call fails. A batch with no answer (connection lost)
// may have been applied, so its writes are not retried: every caller gets the error, as a lone
// call would.
import type { StoredRecord } from '../lifecycle/store.js';

/** The single-record operations of a store (what a batch of one uses). */
export interface SingleOps {
  get(id: string): Promise<StoredRecord | null>;
  compareAndSet(id: string, expectedVersion: number | null, record: StoredRecord): Promise<boolean>;
}

/** One compare-and-set inside a batch, with what the engine's `prepare` made of it. */
export interface BatchWrite {
  readonly id: string;
  readonly expected: number | null;
  readonly record: StoredRecord;
  readonly prepared: unknown;
}

/** What an engine does for a batch. */
export interface BatchEngine {
  /** Largest batch per engine call. */
  readonly maxBatch: number;
  /**
   * Reads distinct ids; per id found, a function that parses the record afresh (so two callers of
   * one id never share objects).
   */
  readMany(ids: readonly string[]): Promise<Map<string, () => StoredRecord>>;
  /**
   * Serialises one write for {@link BatchEngine.writeMany}. Called for each write before its batch
   * is sent; if it throws (a record that is not JSON data), only that caller's call rejects.
   */
  prepare(id: string, expected: number | null, record: StoredRecord): unknown;
  /**
   * Compare-and-sets writes to distinct ids, each atomically; resolves the ids written. A batch is
   * all creates (`expected` null) or all updates, so one failed engine call never hides another's
   * committed writes.
   */
  writeMany(writes: readonly BatchWrite[]): Promise<ReadonlySet<string>>;
  /** What a failed engine call means for the calls in it (see {@link BatchOutcome}). */
  outcome(cause: unknown): BatchOutcome;
  /** The store's error for an engine failure (`STORE_UNAVAILABLE` with the engine's error as cause). */
  error(operation: 'get' | 'compareAndSet', cause: unknown): Error;
}

/**
 * How a failed engine call ended:
 * - `lost-race`: rolled back whole in a conflict with another writer; nothing written, so every
 *   write in it answers `false` (reads are retried alone);
 * - `refused`: the engine answered with an error and wrote nothing (a value or key it cannot take):
 *   every call is retried alone, so only the offending one fails;
 * - `unknown`: no answer (connection lost, timeout): the batch may have been applied, so every call
 *   in it rejects with the error.
 */
export type BatchOutcome = 'lost-race' | 'refused' | 'unknown';

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}
type PendingGet = Waiter<StoredRecord | null> & { readonly id: string };
type PendingWrite = Waiter<boolean> & Omit<BatchWrite, 'prepared'>;

// setImmediate is Node's (and Bun's, Deno's); PGlite also runs in browsers.
const nextMacrotask: (f: () => void) => void =
  typeof setImmediate === 'function' ? (f) => setImmediate(f) : (f) => setTimeout(f, 0);

/** get/compareAndSet that gather the calls of one event-loop turn into batches for `engine`. */
export function batcher(single: SingleOps, engine: BatchEngine): SingleOps {
  let gets: PendingGet[] = [];
  let writes: PendingWrite[] = [];
  let scheduled = false;

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    // A macrotask: every promise continuation of this turn (each caller's next store call) runs first.
    nextMacrotask(flush);
  }

  function flush(): void {
    scheduled = false;
    const g = gets;
    const w = writes;
    gets = [];
    writes = [];
    const max = engine.maxBatch;
    for (let i = 0; i < g.length; i += max) void read(g.slice(i, i + max));
    const seen = new Set<string>();
    const now: PendingWrite[] = [];
    for (const op of w) {
      if (seen.has(op.id)) writes.push(op);
      else {
        seen.add(op.id);
        now.push(op);
      }
    }
    if (writes.length > 0) schedule();
    for (const kind of [now.filter((op) => op.expected === null), now.filter((op) => op.expected !== null)]) {
      for (let i = 0; i < kind.length; i += max) void write(kind.slice(i, i + max));
    }
  }

  async function read(batch: PendingGet[]): Promise<void> {
    if (batch.length === 1) return settle(batch[0]!, single.get(batch[0]!.id));
    let found: Map<string, () => StoredRecord>;
    try {
      found = await engine.readMany([...new Set(batch.map((op) => op.id))]);
    } catch (err) {
      if (engine.outcome(err) === 'unknown') {
        const error = engine.error('get', err);
        for (const op of batch) op.reject(error);
      } else {
        for (const op of batch) void settle(op, single.get(op.id));
      }
      return;
    }
    for (const op of batch) {
      try {
        op.resolve(found.get(op.id)?.() ?? null);
      } catch (err) {
        op.reject(err);
      }
    }
  }

  async function write(batch: PendingWrite[]): Promise<void> {
    if (batch.length === 1) {
      const op = batch[0]!;
      return settle(op, single.compareAndSet(op.id, op.expected, op.record));
    }
    const ready: BatchWrite[] = [];
    const sent: PendingWrite[] = [];
    for (const op of batch) {
      try {
        ready.push({ id: op.id, expected: op.expected, record: op.record, prepared: engine.prepare(op.id, op.expected, op.record) });
        sent.push(op);
      } catch (err) {
        op.reject(err);
      }
    }
    if (sent.length === 0) return;
    let written: ReadonlySet<string>;
    try {
      written = await engine.writeMany(ready);
    } catch (err) {
      const outcome = engine.outcome(err);
      if (outcome === 'refused') {
        for (const op of sent) void settle(op, single.compareAndSet(op.id, op.expected, op.record));
      } else if (outcome === 'lost-race') {
        for (const op of sent) op.resolve(false);
      } else {
        const error = engine.error('compareAndSet', err);
        for (const op of sent) op.reject(error);
      }
      return;
    }
    for (const op of sent) op.resolve(written.has(op.id));
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
        writes.push({ id, expected, record, resolve, reject });
        schedule();
      });
    },
  };
}
