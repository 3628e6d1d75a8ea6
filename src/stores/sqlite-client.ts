// The SQLite connection the store takes: the part of better-sqlite3, node:sqlite and bun:sqlite it
// uses (typed structurally, so `mfakit/sqlite` depends on none of them), and how it sees and
// clears the caller's open transaction.
import { MfaError } from '../errors.js';

/**
 * The part of a synchronous SQLite connection the store uses: a better-sqlite3 `Database`, a
 * `node:sqlite` `DatabaseSync` (Node 22.16+ and 23.x+, Deno) or a `bun:sqlite` `Database`. Typed
 * structurally so `mfakit/sqlite` depends on none of them; pass your connection as it is.
 *
 * @example A better-sqlite3 Database is a SqliteDatabase
 * ```ts
 * import Database from 'better-sqlite3';
 * import type { SqliteDatabase } from 'mfakit/sqlite';
 * const db: SqliteDatabase = new Database(':memory:');
 * ```
 */
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
  /** better-sqlite3 and bun:sqlite: `true` while an explicit transaction is open on this connection. */
  readonly inTransaction?: boolean;
  /** node:sqlite's name for {@link SqliteDatabase.inTransaction}. */
  readonly isTransaction?: boolean;
}

/** The part of a prepared statement the store uses (better-sqlite3, node:sqlite, bun:sqlite). */
export interface SqliteStatement {
  run(...params: unknown[]): { changes: number | bigint };
  /** The first row, or `undefined` (better-sqlite3, node:sqlite) / `null` (bun:sqlite) for none. */
  get(...params: unknown[]): unknown;
  /** Every row (used by `list`); all three drivers have it. */
  all?(...params: unknown[]): unknown[];
  safeIntegers?(toggle?: boolean): unknown;
}

/**
 * @internal Checks that `db` is a connection that reports open transactions; returns the reader of
 * that flag (a getter: it may throw on a closed database).
 */
export function transactionFlagOf(db: unknown): () => boolean {
  if (db === null || typeof db !== 'object' || typeof (db as SqliteDatabase).prepare !== 'function' || typeof (db as SqliteDatabase).exec !== 'function') {
    throw new MfaError('INVALID_OPTION', 'sqliteStore: client must be a SQLite connection (better-sqlite3, node:sqlite or bun:sqlite)');
  }
  // The store refuses writes inside the caller's open transaction, so it must be able to see one.
  const flag = 'inTransaction' in db ? 'inTransaction' : 'isTransaction' in db ? 'isTransaction' : null;
  if (flag === null) {
    throw new MfaError(
      'INVALID_OPTION',
      'sqliteStore: client does not report open transactions (inTransaction / isTransaction); with node:sqlite use Node 22.16 or later',
    );
  }
  return () => (db as SqliteDatabase)[flag] === true;
}

/**
 * @internal Rolls back a transaction a failed write left open. SQLite rolls back a failed
 * autocommit write itself; this is a defensive guard so that no transaction a call opened can
 * outlive it and commit the write later.
 */
export function rollBackLeftOpen(db: SqliteDatabase, inTransaction: () => boolean): void {
  let open = false;
  try {
    open = inTransaction();
  } catch {
    // A closed database has no transaction to roll back.
  }
  if (open) {
    try {
      db.exec('ROLLBACK');
    } catch {
      // The original error is what matters.
    }
  }
}
