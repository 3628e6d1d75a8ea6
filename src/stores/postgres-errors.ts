// What a PostgreSQL error means to the store: a lost race (nothing written), a refused batch (retry
// call by call), or an unavailable store (with a hint when the table is missing or the server is read-only).
import type { MfaError } from '../errors.js';
import type { BatchOutcome } from './batcher.js';
import { missingTableHint, storeUnavailable } from './store-error.js';

// Postgres error classes that mean "your schema is missing", worth a hint in the message.
const UNDEFINED_TABLE = '42P01';
// Under REPEATABLE READ or SERIALIZABLE (e.g. a database whose default_transaction_isolation was
// raised), a concurrent writer makes the statement fail with serialization_failure instead of
// matching no row. The statement was rolled back and someone else changed the row: a lost race.
const SERIALIZATION_FAILURE = '40001';
// A batch that deadlocked (it locks in id order, so only against other lock orders) was rolled
// back whole: nothing written, a lost race like the above.
const DEADLOCK = '40P01';

export function lostRace(cause: unknown): boolean {
  const code = (cause as { code?: unknown } | null)?.code;
  return code === SERIALIZATION_FAILURE || code === DEADLOCK;
}

/**
 * @internal What a failed batch statement means. An error answer from the server (a SQLSTATE and a
 * severity) rolled back the one autocommit statement: nothing was written, so the batch is retried
 * call by call. The classes that end the session (08 connection, 57 operator intervention, 58
 * system, XX internal) and errors without a SQLSTATE (socket closed, timeout) leave the outcome
 * unknown.
 */
export function batchOutcome(cause: unknown): BatchOutcome {
  if (lostRace(cause)) return 'lost-race';
  const { code, severity } = (cause ?? {}) as { code?: unknown; severity?: unknown };
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string' && !/^(?:08|57|58|XX)/.test(code)) {
    return 'refused';
  }
  return 'unknown';
}

// A write on a hot standby (or in a read-only transaction): the pool reaches the wrong server.
const READ_ONLY_TRANSACTION = '25006';
const READ_ONLY_HINT = ' (the server is read-only, e.g. a hot standby: give postgresStore a pool to the primary)';

export function failure(operation: string, table: string, cause: unknown): MfaError {
  const code = (cause as { code?: unknown } | null)?.code;
  const hint = code === UNDEFINED_TABLE ? missingTableHint(table) : code === READ_ONLY_TRANSACTION ? READ_ONLY_HINT : '';
  return storeUnavailable('postgresStore', operation, cause, hint);
}
