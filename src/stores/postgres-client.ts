// The database client of the PostgreSQL store: what it needs from a driver (node-postgres'
// `query`), how it sends statements (named prepared statements for a `pg` Pool or Client, one at a
// time on a single Client), and the adapter for `postgres` (porsager).
import { MfaError } from '../errors.js';

/**
 * What `postgresStore` needs from a database client: node-postgres' `query(text, values)`.
 * A `pg` `Pool` or `Client` and a PGlite instance fit as they are; for `postgres` (porsager) wrap
 * the `sql` function with {@link postgresJsClient}.
 *
 * @example A pg Pool is a PostgresClient
 * ```ts
 * import pg from 'pg';
 * import type { PostgresClient } from 'mfakit/postgres';
 * const client: PostgresClient = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * ```
 */
export interface PostgresClient {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** node-postgres' named-statement form of `query`, used when `PostgresStoreOptions.prepare` is on. */
interface NamedQueryClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** A `pg` Pool or Client (they accept `{ name, text, values }`); PGlite and shims do not. */
function isNodePostgres(client: object): boolean {
  return 'totalCount' in client || 'connectionParameters' in client;
}

/**
 * A single `pg` Client (one connection) not in pipeline mode. It runs one query at a time and
 * queues the rest, which pg deprecates (removed in pg 9): the store must not send it concurrent
 * queries. A Pool has `totalCount`.
 */
function isSingleNodePostgresClient(client: object): boolean {
  return 'connectionParameters' in client && !('totalCount' in client) && (client as { pipeline?: unknown }).pipeline !== true;
}

// One queue per Client, shared by every store on it (two tables, one connection).
const clientQueues = /* @__PURE__ */ new WeakMap<object, Promise<unknown>>();

/** Runs `query` after every query this module sent earlier on `client` has settled. */
function serialised<T>(client: object, query: () => Promise<T>): Promise<T> {
  const previous = clientQueues.get(client) ?? Promise.resolve();
  const result = previous.then(query, query);
  clientQueues.set(
    client,
    result.then(
      () => undefined,
      () => undefined,
    ),
  );
  return result;
}

/** Short stable statement name for an SQL text (FNV-1a), unique per table and statement. */
function statementName(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `mfakit_${(h >>> 0).toString(36)}_${text.length.toString(36)}`;
}

/** @internal Sends one statement (with `values`, prepared when `prepare` is on). */
export type RunQuery = (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }>;

/**
 * @internal How the store sends statements on `client`: named prepared statements when `prepare` is
 * on (default: for a `pg` Pool or Client), queued one at a time on a single `pg` Client.
 */
export function queryRunner(client: PostgresClient, prepare: boolean | undefined): RunQuery {
  const named = prepare ?? isNodePostgres(client);
  const direct: RunQuery = (text, values) =>
    values === undefined
      ? client.query(text)
      : named
        ? (client as unknown as NamedQueryClient).query({ name: statementName(text), text, values })
        : client.query(text, values);
  return isSingleNodePostgresClient(client) ? (text, values) => serialised(client, () => direct(text, values)) : direct;
}

/**
 * The tagged-template `sql` function of `postgres` (porsager), as far as we use it.
 *
 * @example
 * ```ts
 * import postgres from 'postgres';
 * import type { PostgresJsSql } from 'mfakit/postgres';
 * const sql: PostgresJsSql = postgres(process.env.DATABASE_URL!);
 * ```
 */
export interface PostgresJsSql {
  unsafe(query: string, parameters?: unknown[]): PromiseLike<ArrayLike<unknown>>;
}

/**
 * Adapts a `postgres` (porsager) `sql` instance to {@link PostgresClient}, so it can back
 * `postgresStore`. Queries go through `sql.unsafe(text, values)` (parameterised, prepared).
 *
 * @example With postgres (porsager)
 * ```ts
 * import postgres from 'postgres';
 * import { postgresStore, postgresJsClient } from 'mfakit/postgres';
 *
 * const sql = postgres(process.env.DATABASE_URL!);
 * const store = postgresStore({ client: postgresJsClient(sql) });
 * await store.migrate();
 * ```
 */
export function postgresJsClient(sql: PostgresJsSql): PostgresClient {
  if (sql === null || (typeof sql !== 'function' && typeof sql !== 'object') || typeof sql.unsafe !== 'function') {
    throw new MfaError('INVALID_OPTION', 'postgresJsClient: expected the sql function of `postgres` (porsager)');
  }
  return {
    async query(text, values) {
      const result = await sql.unsafe(text, values ?? []);
      return { rows: Array.from(result) };
    },
  };
}
