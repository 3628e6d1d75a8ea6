// The errors every built-in store raises, labelled the same way: `<store>.<operation>: <what>`
// (`postgresStore.get: store unavailable`), so a log line names the adapter and the call.
import { MfaError } from '../errors.js';

/** `postgresStore`, `sqliteStore` or `redisStore`: the factory that made the store. */
export type StoreName = 'postgresStore' | 'sqliteStore' | 'redisStore';

/**
 * `STORE_UNAVAILABLE` for a call the engine did not answer (server down, connection lost, missing
 * table). `hint` adds what to do, never data: the cause carries the driver's error.
 */
export function storeUnavailable(store: StoreName, operation: string, cause: unknown, hint = ''): MfaError {
  return new MfaError('STORE_UNAVAILABLE', `${store}.${operation}: store unavailable${hint}`, { cause });
}

/** `INVALID_RECORD` for stored data that is not a record's JSON (the message never repeats it). */
export function invalidStoredRecord(store: StoreName, operation: string, cause?: unknown): MfaError {
  return new MfaError('INVALID_RECORD', `${store}.${operation}: stored record is not JSON`, { cause });
}

/** The hint for a table that does not exist, the same for every SQL store. */
export function missingTableHint(table: string): string {
  return ` (table ${table} does not exist: call store.migrate() or pass migrate: true)`;
}
