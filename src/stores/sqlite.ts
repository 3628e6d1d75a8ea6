// `mfakit/sqlite`: the SQLite store. The connection shape and transaction guard live in
// sqlite-client.ts, the statements in sqlite-statements.ts; this module holds the DDL and the store.
import { MfaError } from '../errors.js';
import type { MfaLookupStore, StoreListOptions, StoreListPage, StoredRecord } from '../lifecycle/store.js';
import { lookupTable, sqliteLookupSchema } from './sql-lookup.js';
import { checkStoreId, isStorableId } from './store-id.js';
import { invalidStoredRecord, missingTableHint, storeUnavailable } from './store-error.js';
import { rollBackLeftOpen, transactionFlagOf, type SqliteDatabase, type SqliteStatement } from './sqlite-client.js';
import { sqliteList } from './sqlite-list.js';
import { NOW_SQL, prepareStatements, quoteTable, type Statements } from './sqlite-statements.js';

export type { SqliteDatabase, SqliteStatement } from './sqlite-client.js';

/**
 * Options of {@link sqliteStore}: the same shape as `postgresStore`'s (`client`, `table`, `migrate`).
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * import { sqliteStore, type SqliteStoreOptions } from 'mfakit/sqlite';
 * const options: SqliteStoreOptions = { client: new Database('app.db'), table: 'auth_mfa', migrate: true };
 * const store = sqliteStore(options);
 * ```
 */
export interface SqliteStoreOptions {
  /**
   * An open connection, configured by you (WAL mode and a busy timeout recommended): better-sqlite3
   * `Database`, node:sqlite `DatabaseSync` or bun:sqlite `Database`.
   */
  readonly client?: SqliteDatabase;
  /**
   * @deprecated Use `client` (the same connection). Kept for one minor release; with `db` and no
   * `migrate`/`createTable`, the table is still created on first use as before.
   */
  readonly db?: SqliteDatabase;
  /**
   * Table holding the records, `mfa_records` unless given. Letters, digits and `_`, optionally
   * qualified by an attached schema (`aux.mfa_records`); anything else throws `INVALID_OPTION`.
   */
  readonly table?: string;
  /**
   * Create the table (`CREATE TABLE IF NOT EXISTS`) before the store's first call. Default `false`:
   * call `store.migrate()` at start-up or run {@link sqliteStore.schema} through your own
   * migrations; a missing table is then `STORE_UNAVAILABLE` naming `store.migrate()`. The same
   * option and default as `postgresStore`.
   */
  readonly migrate?: boolean;
  /** @deprecated Use `migrate` (same meaning). Kept for one minor release. */
  readonly createTable?: boolean;
}

/**
 * The store returned by {@link sqliteStore}: an `MfaLookupStore` plus `migrate()`.
 *
 * @example Creating the table at start-up
 * ```ts
 * import Database from 'better-sqlite3';
 * import { sqliteStore, type SqliteStore } from 'mfakit/sqlite';
 * const store: SqliteStore = sqliteStore({ client: new Database('app.db'), table: 'auth_mfa' });
 * await store.migrate(); // CREATE TABLE IF NOT EXISTS "auth_mfa" (…)
 * ```
 */
export interface SqliteStore extends MfaLookupStore {
  /** The quoted, validated table name the store reads and writes (`"mfa_records"`). */
  readonly table: string;
  /**
   * Creates what is missing: the table, and the lookup table `<table>_lookup` with the triggers that
   * keep it (see `MfaLookupStore`). Idempotent; safe from several processes at once.
   */
  migrate(): Promise<void>;
  /** A page of ids in code point order with their records, one SELECT (see `MfaStore.list`). */
  list(options: StoreListOptions): Promise<StoreListPage>;
}

/** The `CREATE TABLE IF NOT EXISTS` statement of `quoted`. */
function schemaSql(quoted: string): string {
  return `CREATE TABLE IF NOT EXISTS ${quoted} (
  id         TEXT    NOT NULL PRIMARY KEY,
  version    INTEGER NOT NULL,
  data       TEXT    NOT NULL,
  updated_at TEXT    NOT NULL DEFAULT (${NOW_SQL})
) STRICT;${sqliteLookupSchema(quoted)}`;
}

/**
 * An {@link MfaLookupStore} on a SQLite database, for single servers and appliances. Takes a connection
 * of better-sqlite3 (Node), `node:sqlite` (`DatabaseSync`: Node 22.16+ and Deno, no native add-on)
 * or `bun:sqlite` (Bun); all three pass the same conformance suite.
 *
 * - One row per id: `version INTEGER`, the record as JSON `TEXT`, `updated_at` (engine clock).
 * - `compareAndSet` is one autocommit statement: `INSERT … ON CONFLICT (id) DO NOTHING` when no
 *   record is expected, `UPDATE … WHERE id = ? AND version = ?` otherwise; it resolves `true`
 *   only when exactly one row changed, i.e. after SQLite committed the write. No
 *   read-modify-write, so it is race-free across connections and processes sharing the file.
 * - Call `store.migrate()` at start-up, pass `migrate: true` (the table is then created before the
 *   first call), or run {@link sqliteStore.schema} in your own migrations.
 * - Engine errors (closed database, `SQLITE_BUSY` after the busy timeout, I/O errors, missing
 *   table) reject with `MfaError` `STORE_UNAVAILABLE` and the engine error as `cause`. A write
 *   attempted while your connection is inside an open transaction is refused the same way, since
 *   it would not be committed when the call returns.
 * - Configure the connection yourself: `journal_mode = WAL` (readers never block the writer) and
 *   a busy timeout (better-sqlite3's `timeout` option, 5000 ms by default; node:sqlite's `timeout`
 *   option; `PRAGMA busy_timeout` for bun:sqlite) so concurrent writers in other processes wait
 *   instead of failing.
 * - An id must be well-formed Unicode without U+0000 (`MfaError` `INVALID_INPUT` otherwise): the
 *   driver would store a lone surrogate as U+FFFD, the id of someone else.
 * - Errors are labelled `sqliteStore.<operation>: …` (`sqliteStore.get: store unavailable`), like
 *   every built-in store's.
 *
 * @param options - `client` (the connection; `db` is its deprecated alias), `table` (default
 *   `mfa_records`), `migrate` (default `false`; `createTable` is its deprecated alias).
 * @throws MfaError `INVALID_OPTION` when `client` is not a database (it must report whether a
 *   transaction is open: `inTransaction` or `isTransaction`, which node:sqlite has since Node 22.16)
 *   or `table` is not a plain identifier.
 *
 * @example A store in a WAL-mode SQLite file
 * ```ts
 * import Database from 'better-sqlite3';
 * import { createMfa } from 'mfakit';
 * import { sqliteStore } from 'mfakit/sqlite';
 *
 * const db = new Database('/var/lib/app/mfa.db', { timeout: 5000 });
 * db.pragma('journal_mode = WAL');
 * const store = sqliteStore({ client: db });
 * await store.migrate(); // CREATE TABLE IF NOT EXISTS "mfa_records" (…)
 * const mfa = createMfa({ store, issuer: 'Acme' });
 * ```
 */
export function sqliteStore(options: SqliteStoreOptions): SqliteStore {
  const opts = (options ?? {}) as SqliteStoreOptions;
  if (opts.client !== undefined && opts.db !== undefined) {
    throw new MfaError('INVALID_OPTION', 'sqliteStore: pass client, not both client and db (its deprecated alias)');
  }
  if (opts.migrate !== undefined && opts.createTable !== undefined) {
    throw new MfaError('INVALID_OPTION', 'sqliteStore: pass migrate, not both migrate and createTable (its deprecated alias)');
  }
  const db = (opts.client ?? opts.db) as SqliteDatabase;
  const table = opts.table ?? 'mfa_records';
  // The deprecated `{ db }` shape keeps its old default (create on first use) for its last minor.
  const createTable = opts.migrate ?? opts.createTable ?? opts.db !== undefined;
  const inTransaction = transactionFlagOf(db);
  if (typeof createTable !== 'boolean') {
    throw new MfaError('INVALID_OPTION', 'sqliteStore: migrate must be a boolean');
  }
  const quoted = quoteTable(table);
  const schema = schemaSql(quoted);
  let statements: Statements | undefined;
  // Prepared on first use, apart from the others: a table made by an older schema has no lookup
  // table until migrate() runs, and get/compareAndSet must keep working meanwhile.
  let lookupStatement: SqliteStatement | undefined;

  // better-sqlite3 is synchronous: each method body runs to completion without interleaving,
  // so this lazy initialisation cannot race within a process; across processes the DDL is
  // idempotent (`IF NOT EXISTS`) and serialised by SQLite's locks.
  function prepared(): Statements {
    if (statements !== undefined) return statements;
    if (createTable) db.exec(schema);
    const fresh = prepareStatements(db, quoted);
    // Inside the caller's transaction the CREATE TABLE could still be rolled back: use the
    // statements for this call but run the DDL again next time.
    if (!(createTable && inTransaction())) statements = fresh;
    return fresh;
  }

  function refuseOpenTransaction(operation: string): void {
    let open: boolean;
    try {
      open = inTransaction();
    } catch (err) {
      throw storeUnavailable('sqliteStore', operation, err);
    }
    if (open) {
      throw storeUnavailable(
        'sqliteStore',
        operation,
        new Error('the database connection is inside an open transaction; the write would not be committed'),
      );
    }
  }

  /** The error for a failed write, after rolling back whatever transaction it left open. */
  function writeFailed(operation: string, err: unknown): MfaError {
    rollBackLeftOpen(db, inTransaction);
    return unavailable(operation, err);
  }

  /** STORE_UNAVAILABLE, naming `migrate()` when the table is missing. */
  function unavailable(operation: string, err: unknown): MfaError {
    const message = (err as { message?: unknown } | null)?.message;
    const missing = typeof message === 'string' && message.includes('no such table');
    return storeUnavailable('sqliteStore', operation, err, missing ? missingTableHint(quoted) : '');
  }

  const parseData = (data: unknown): StoredRecord => {
    try {
      return JSON.parse(data as string) as StoredRecord;
    } catch (err) {
      throw invalidStoredRecord('sqliteStore', 'list', err);
    }
  };
  // The table first (when the store creates it), then the statement, numbers as numbers.
  const prepareList = (sql: string): SqliteStatement => {
    prepared();
    const statement = db.prepare(sql);
    statement.safeIntegers?.(false);
    return statement;
  };
  const listPage = sqliteList(prepareList, quoted, unavailable, parseData);

  return {
    table: quoted,
    list: listPage,

    async migrate(): Promise<void> {
      try {
        db.exec(schema);
      } catch (err) {
        throw storeUnavailable('sqliteStore', 'migrate', err);
      }
    },

    async get(id: string): Promise<StoredRecord | null> {
      checkStoreId('sqliteStore.get', id);
      let row: unknown;
      try {
        row = prepared().get.get(id);
      } catch (err) {
        throw unavailable('get', err);
      }
      // better-sqlite3 and node:sqlite answer undefined for no row, bun:sqlite null.
      if (row === undefined || row === null) return null;
      const data = (row as { data: unknown }).data;
      try {
        return JSON.parse(data as string) as StoredRecord;
      } catch (err) {
        throw invalidStoredRecord('sqliteStore', 'get', err);
      }
    },

    async compareAndSet(id: string, expectedVersion: number | null, record: StoredRecord): Promise<boolean> {
      checkStoreId('sqliteStore.compareAndSet', id);
      if (!Number.isSafeInteger(record?.version)) {
        throw new MfaError('INVALID_RECORD', 'sqliteStore.compareAndSet: record version must be a safe integer');
      }
      const data = JSON.stringify(record);
      refuseOpenTransaction('compareAndSet');
      try {
        const s = prepared();
        const { changes } =
          expectedVersion === null
            ? s.insert.run(id, record.version, data)
            : s.update.run(record.version, data, id, expectedVersion);
        // Autocommit: when run() returns, the one statement's transaction has committed.
        return Number(changes) === 1;
      } catch (err) {
        throw writeFailed('compareAndSet', err);
      }
    },

    async lookup(key: string): Promise<string | null> {
      if (!isStorableId(key)) return null;
      let row: unknown;
      try {
        prepared();
        lookupStatement ??= db.prepare(`SELECT id FROM ${lookupTable(quoted)} WHERE key = ?`);
        row = lookupStatement.get(key);
      } catch (err) {
        throw unavailable('lookup', err);
      }
      const id = (row as { id?: unknown } | null | undefined)?.id;
      return typeof id === 'string' ? id : null;
    },

    async delete(id: string): Promise<void> {
      checkStoreId('sqliteStore.delete', id);
      refuseOpenTransaction('delete');
      try {
        prepared().delete.run(id);
      } catch (err) {
        throw writeFailed('delete', err);
      }
    },
  };
}

/**
 * The table's DDL for the default table `mfa_records`, for your own migration tool. Run it
 * as-is (it is idempotent), or call `store.migrate()` for a custom table name.
 *
 * @example Creating the table in a migration
 * ```ts
 * import Database from 'better-sqlite3';
 * import { sqliteStore } from 'mfakit/sqlite';
 * const db = new Database('app.db');
 * db.exec(sqliteStore.schema);
 * const store = sqliteStore({ client: db });
 * ```
 */
sqliteStore.schema = schemaSql('"mfa_records"');
