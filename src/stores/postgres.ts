// `mfakit/postgres`: the PostgreSQL store. The client (driver shapes, prepared statements), the
// table (name, DDL, migration), the error meanings and the batched statements live beside it in
// postgres-*.ts; this module holds the DDL and the store: options, the single-row statements and the calls.
import { MfaError } from '../errors.js';
import type { MfaLookupStore, StoreListOptions, StoreListPage } from '../lifecycle/store.js';
import { batcher, type SingleOps } from './batcher.js';
import { postgresBatchEngine, recordOfRow } from './postgres-batch.js';
import { queryRunner, type PostgresClient } from './postgres-client.js';
import { batchOutcome, failure, lostRace } from './postgres-errors.js';
import { listIndexSql, postgresList } from './postgres-list.js';
import { migrateTable, quoteTable } from './postgres-table.js';
import { checkStoreId, invalidStoreId, isStorableId } from './store-id.js';
import { lookupTable, postgresLookupSchema } from './sql-lookup.js';

export { postgresJsClient, type PostgresClient, type PostgresJsSql } from './postgres-client.js';

/**
 * Options of {@link postgresStore}.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { postgresStore, type PostgresStoreOptions } from 'mfakit/postgres';
 * const options: PostgresStoreOptions = { client: new pg.Pool(), table: 'auth.mfa_records' };
 * const store = postgresStore(options);
 * ```
 */
export interface PostgresStoreOptions {
  /** A `pg` Pool (recommended) or Client, PGlite, or {@link postgresJsClient}(sql). */
  readonly client: PostgresClient;
  /**
   * Table name, optionally schema-qualified (`auth.mfa_records`). Letters, digits and `_`, each
   * part at most 63 characters; it is quoted, so case is kept. Default `'mfa_records'`.
   */
  readonly table?: string;
  /**
   * Use named prepared statements (node-postgres `{ name, text, values }`), so each connection
   * parses and plans the store's four statements once. Default: on for a `pg` Pool or Client, off
   * otherwise. Set `false` behind a pooler in transaction mode (PgBouncer `pool_mode = transaction`
   * before 1.21, or 1.21+ without `max_prepared_statements`): there a statement prepared on one
   * server connection is missing on the next, and the calls fail with `STORE_UNAVAILABLE`. The store
   * keeps no other session state (no `SET`, no advisory locks, no temporary tables, one statement
   * per transaction), so nothing else needs turning off.
   */
  readonly prepare?: boolean;
  /**
   * Create the table (`CREATE TABLE IF NOT EXISTS`, see {@link PostgresStore.migrate}) before the
   * store's first call. Default `false`: call `store.migrate()` at start-up or run
   * {@link postgresStore.schema} through your own migrations (the application's role then needs no
   * `CREATE` privilege). The same option and default as `sqliteStore`.
   */
  readonly migrate?: boolean;
  /**
   * Batch the reads and compare-and-sets started in the same event-loop turn into one statement
   * each (one commit per batch), so concurrent logins share round trips and WAL flushes. Every
   * write in a batch is still checked on its own, and rows are locked in id order. A lone call
   * uses the single-row statements. Default true.
   */
  readonly batch?: boolean;
}

/**
 * The store returned by {@link postgresStore}: an {@link MfaLookupStore} plus `migrate()`.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { postgresStore, type PostgresStore } from 'mfakit/postgres';
 * const store: PostgresStore = postgresStore({ client: new pg.Pool() });
 * await store.migrate();
 * ```
 */
export interface PostgresStore extends MfaLookupStore {
  /** The quoted, validated table name the store reads and writes. */
  readonly table: string;
  /**
   * Creates what is missing (idempotent; safe to run at every start-up): the table, the lookup
   * table `<table>_lookup` with the triggers that keep it (see `MfaLookupStore`), and the index
   * `list` pages along.
   */
  migrate(): Promise<void>;
  /** A page of ids in code point order with their records, one statement (see `MfaStore.list`). */
  list(options: StoreListOptions): Promise<StoreListPage>;
}

/** Every statement of the schema, in order: the table, the lookup index and its triggers, the listing index. */
function schemaStatements(table: string): string[] {
  return [schemaFor(table), ...postgresLookupSchema(table), listIndexSql(table)];
}

/** The schema as one script, for {@link postgresStore.schema}. */
function schemaText(table: string): string {
  return `${schemaStatements(table).join(';\n')};\n`;
}

/** The `CREATE TABLE IF NOT EXISTS` statement of `table` (quoted). */
function schemaFor(table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${table} (
  id text PRIMARY KEY,
  version bigint NOT NULL CHECK (version > 0),
  record jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 70)`;
}

/**
 * An {@link MfaLookupStore} in a PostgreSQL table: one row per id with the record as `jsonb`, its
 * `version` as `bigint` and `updated_at`. Compare-and-set is a single statement, atomic under
 * PostgreSQL's default READ COMMITTED isolation with no read-modify-write race:
 * `INSERT … ON CONFLICT (id) DO NOTHING` for a new record, `UPDATE … WHERE id = $1 AND version = $2`
 * otherwise (a concurrent writer blocks on the row lock, then re-checks the version and loses).
 * Calls started in the same event-loop turn are batched (`batch`, default on): one statement per
 * 8 rows and one commit per batch, each row still checked on its own version, rows locked in id
 * order so batches from several processes cannot deadlock.
 *
 * - Works under any isolation level: under REPEATABLE READ / SERIALIZABLE defaults a concurrent
 *   writer's serialization failure is reported as a lost race (`false`; nothing was written).
 * - Pass a `pg` Pool (recommended): the store reports `true` only once the statement's autocommit
 *   transaction has committed. Inside a caller's open transaction the write would not be committed
 *   yet, so do not share a transaction client with the store.
 * - A single `pg` Client runs one query at a time: the store sends it one statement at a time (a
 *   queue per Client, shared by every store on it) instead of the concurrent queries pg deprecates.
 *   Batches still share statements, but all logins wait on one connection; a Pool runs them in
 *   parallel. A Client in pipeline mode (`pipeline: true`) is not queued.
 * - Engine errors (server down, connection dropped, missing table) reject with `MfaError` code
 *   `STORE_UNAVAILABLE` and the driver's error as `cause`. A batch the server refuses (a value it
 *   cannot take, e.g. U+0000 in a JSON string) is retried call by call, so only that call fails.
 * - An id must be well-formed Unicode without U+0000 (`MfaError` `INVALID_INPUT` otherwise): the
 *   driver would turn a lone surrogate into U+FFFD, the id of someone else. A pg Pool emits `'error'` for idle
 *   connections the server drops: attach `pool.on('error', …)` or Node exits on it.
 *
 * - Errors are labelled `postgresStore.<operation>: …` (`postgresStore.get: store unavailable`),
 *   like every built-in store's.
 *
 * @param options `client`, optional `table` (default `'mfa_records'`), `migrate` (default `false`),
 *   `prepare` and `batch`.
 * @throws MfaError `INVALID_OPTION` when `client` has no `query` method, `table` is not a valid
 *   identifier or `migrate` is not a boolean.
 *
 * @example With a pg Pool
 * ```ts
 * import pg from 'pg';
 * import { createMfa } from 'mfakit';
 * import { postgresStore } from 'mfakit/postgres';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * pool.on('error', (err) => console.error('idle postgres connection lost', err));
 * const store = postgresStore({ client: pool });
 * await store.migrate(); // CREATE TABLE IF NOT EXISTS "mfa_records" (…)
 * const mfa = createMfa({ store, issuer: 'Acme' });
 * ```
 *
 * @example With PGlite (in-process PostgreSQL)
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { postgresStore } from 'mfakit/postgres';
 *
 * const store = postgresStore({ client: new PGlite(), table: 'mfa_records' });
 * await store.migrate();
 * ```
 */
export function postgresStore(options: PostgresStoreOptions): PostgresStore {
  const client = options.client;
  if (client === null || typeof client !== 'object' || typeof client.query !== 'function') {
    throw new MfaError('INVALID_OPTION', 'postgresStore: client must have a query(text, values) method (pg Pool/Client, PGlite)');
  }
  const table = quoteTable(options.table ?? 'mfa_records');
  const autoMigrate = options.migrate ?? false;
  if (typeof autoMigrate !== 'boolean') throw new MfaError('INVALID_OPTION', 'postgresStore: migrate must be a boolean');
  const run = queryRunner(client, options.prepare);
  const sqlGet = `SELECT record, version FROM ${table} WHERE id = $1`;
  // `$n::text::jsonb`: the JSON travels as text, so no driver re-encodes an already encoded string.
  const sqlInsert = `INSERT INTO ${table} (id, version, record, updated_at) VALUES ($1, $2, $3::text::jsonb, now()) ON CONFLICT (id) DO NOTHING RETURNING 1`;
  const sqlUpdate = `UPDATE ${table} SET version = $3, record = $4::text::jsonb, updated_at = now() WHERE id = $1 AND version = $2 RETURNING 1`;
  const sqlDelete = `DELETE FROM ${table} WHERE id = $1`;

  const single: SingleOps = {
    async get(id) {
      let rows: unknown[];
      try {
        ({ rows } = await run(sqlGet, [id]));
      } catch (err) {
        throw failure('get', table, err);
      }
      const row = rows[0] as { record: unknown; version: unknown } | undefined;
      if (row === undefined) return null;
      return recordOfRow(row);
    },
    async compareAndSet(id, expectedVersion, record) {
      const json = JSON.stringify(record);
      try {
        const { rows } =
          expectedVersion === null
            ? await run(sqlInsert, [id, record.version, json])
            : await run(sqlUpdate, [id, expectedVersion, record.version, json]);
        return rows.length === 1;
      } catch (err) {
        if (lostRace(err)) return false;
        throw failure('compareAndSet', table, err);
      }
    },
  };
  const ops =
    options.batch === false
      ? single
      : batcher(
          single,
          postgresBatchEngine(run, table, { outcome: batchOutcome, error: (operation, err) => failure(operation, table, err) }),
        );

  const migrate = (): Promise<void> => migrateTable(run, schemaStatements(table), table);
  const sqlLookup = `SELECT id FROM ${lookupTable(table)} WHERE key = $1`;
  const listPage = postgresList(run, table, (operation, err) => failure(operation, table, err));

  // With `migrate: true`, calls wait for one migration; a failed one is retried by the next call.
  let migrated = !autoMigrate;
  let migrating: Promise<void> | undefined;
  const ready = (): Promise<void> =>
    (migrating ??= migrate().then(
      () => {
        migrated = true;
      },
      (err: unknown) => {
        migrating = undefined;
        throw err;
      },
    ));

  return {
    table,
    // Checked before the call joins a batch (and without an extra async frame on the hot path).
    get: (id) =>
      !isStorableId(id)
        ? Promise.reject(invalidStoreId('postgresStore.get'))
        : migrated
          ? ops.get(id)
          : ready().then(() => ops.get(id)),
    compareAndSet: (id, expectedVersion, record) =>
      !isStorableId(id)
        ? Promise.reject(invalidStoreId('postgresStore.compareAndSet'))
        : migrated
          ? ops.compareAndSet(id, expectedVersion, record)
          : ready().then(() => ops.compareAndSet(id, expectedVersion, record)),
    async delete(id) {
      checkStoreId('postgresStore.delete', id);
      if (!migrated) await ready();
      try {
        await run(sqlDelete, [id]);
      } catch (err) {
        throw failure('delete', table, err);
      }
    },
    async lookup(key) {
      if (typeof key !== 'string' || !isStorableId(key)) return null;
      if (!migrated) await ready();
      let rows: unknown[];
      try {
        ({ rows } = await run(sqlLookup, [key]));
      } catch (err) {
        throw failure('lookup', table, err);
      }
      const id = (rows[0] as { id?: unknown } | undefined)?.id;
      return typeof id === 'string' ? id : null;
    },
    migrate,
    async list(options) {
      if (!migrated) await ready();
      return listPage(options);
    },
  };
}

/**
 * The schema {@link postgresStore} expects, for the default table `mfa_records`; copy it into your
 * migration tool, or call `store.migrate()` (or pass `migrate: true`). For another table name, replace `"mfa_records"`.
 *
 * @example Printing the schema
 * ```ts
 * import { postgresStore } from 'mfakit/postgres';
 * console.log(postgresStore.schema);
 * ```
 */
postgresStore.schema = schemaText('"mfa_records"');

