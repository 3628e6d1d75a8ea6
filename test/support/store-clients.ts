// The database clients of tests that call the network stores directly on several drivers: PGlite
// (in-process PostgreSQL, always there), a pg Pool on a started PostgreSQL server, and ioredis and
// node-redis clients on a started Redis server. A server missing locally skips its tests loudly
// (`skipUnless`); `dispose` closes everything in afterAll.
import { PGlite } from '@electric-sql/pglite';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createClient } from 'redis';
import type { MfaStore } from '../../src/lifecycle/store.js';
import { postgresStore, type PostgresClient } from '../../src/stores/postgres.js';
import { postgresAvailability, startPostgres } from './postgres-server.js';
import { redisAvailability, startRedis } from './redis-server.js';
import { skipUnless, uniqueSuffix } from './services.js';

function connectNodeRedis(url: string) {
  return createClient({ url, disableOfflineQueue: true });
}

export interface StoreClients {
  readonly lite: PGlite;
  /** True when the PostgreSQL server tests are skipped (`pool` is then null). */
  readonly skipPostgres: boolean;
  readonly pool: pg.Pool | null;
  /** True when the Redis server tests are skipped (`io` and `nr` are then null). */
  readonly skipRedis: boolean;
  readonly io: Redis | null;
  readonly nr: ReturnType<typeof connectNodeRedis> | null;
  dispose(): Promise<void>;
}

/** Starts the servers and connects the clients; `what` names the tests in a skip banner. */
export async function startStoreClients(what: string, { poolMax }: { poolMax: number }): Promise<StoreClients> {
  const lite = new PGlite();
  const skipPostgres = skipUnless(`PostgreSQL ${what} tests`, postgresAvailability());
  const postgresServer = skipPostgres ? null : await startPostgres();
  const pool = postgresServer ? new pg.Pool({ connectionString: postgresServer.url, max: poolMax }) : null;
  pool?.on('error', () => {});
  const skipRedis = skipUnless(`Redis ${what} tests`, redisAvailability());
  const redisServer = skipRedis ? null : await startRedis();
  const io = redisServer ? new Redis(redisServer.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 }) : null;
  io?.on('error', () => {});
  if (io && io.status !== 'ready') await new Promise((resolve) => io.once('ready', resolve));
  const nr = redisServer ? connectNodeRedis(redisServer.url) : null;
  nr?.on('error', () => {});
  await nr?.connect();
  return {
    lite,
    skipPostgres,
    pool,
    skipRedis,
    io,
    nr,
    async dispose() {
      await lite.close();
      await pool?.end().catch(() => {});
      await postgresServer?.dispose();
      io?.disconnect();
      await nr?.quit().catch(() => nr.destroy());
      await redisServer?.dispose();
    },
  };
}

/** A PostgreSQL store on a fresh table named `${prefix}<unique>`, migrated. */
export async function freshPostgresStore(client: PostgresClient, prefix: string): Promise<MfaStore> {
  const store = postgresStore({ client, table: `${prefix}${uniqueSuffix()}` });
  await store.migrate();
  return store;
}
