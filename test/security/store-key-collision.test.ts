// A user id with a lone surrogate must never reach another user's record. Drivers encode strings as
// UTF-8 and replace a lone surrogate by U+FFFD, so without a check 'bob\uD800' is read, written and
// deleted as 'bob\uFFFD' (Redis key, PostgreSQL text, SQLite TEXT alike). Every store must refuse
// such an id (MfaError INVALID_INPUT) or keep it apart; the conformance suite checks the same for
// every adapter ('round-trip' group).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createClient } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { isMfaError } from '../../src/errors.js';
import { MemoryStore } from '../../src/index.js';
import type { MfaStore } from '../../src/lifecycle/store.js';
import { postgresStore, type PostgresClient } from '../../src/stores/postgres.js';
import { redisStore } from '../../src/stores/redis.js';
import { sqliteStore } from '../../src/stores/sqlite.js';
import { postgresAvailability, startPostgres } from '../support/postgres-server.js';
import { redisAvailability, startRedis } from '../support/redis-server.js';
import { skipUnless, uniqueSuffix } from '../support/services.js';

const VICTIM = 'bob\uFFFD';
/** Ids that a UTF-8 encoder maps onto VICTIM (each lone surrogate becomes U+FFFD). */
const ATTACKERS = ['bob\uD800', 'bob\uDBFF', 'bob\uDC00', 'bob\uDFFF'];

async function refusedOr<T>(call: () => Promise<T>): Promise<T | 'refused'> {
  try {
    return await call();
  } catch (err) {
    if (isMfaError(err, 'INVALID_INPUT')) return 'refused';
    throw err;
  }
}

function collisionChecks(label: string, makeStore: () => Promise<MfaStore>): void {
  describe(label, () => {
    it.each(ATTACKERS.map((id) => [JSON.stringify(id).slice(1, -1), id]))(
      '%s never reads, overwrites or deletes the record of bob\\uFFFD',
      async (_, attacker) => {
        const store = await makeStore();
        const victim = { version: 1, owner: 'victim' };
        expect(await store.compareAndSet(VICTIM, null, victim)).toBe(true);

        const read = await refusedOr(() => store.get(attacker));
        expect(read === 'refused' || read === null).toBe(true);
        const update = await refusedOr(() => store.compareAndSet(attacker, 1, { version: 2, owner: 'attacker' }));
        expect(update === 'refused' || update === false).toBe(true);
        const create = await refusedOr(() => store.compareAndSet(attacker, null, { version: 1, owner: 'attacker' }));
        expect(create === 'refused' || create === true).toBe(true); // false: the key is someone else's
        expect(await store.get(VICTIM)).toEqual(victim);
        await refusedOr(() => store.delete(attacker));
        expect(await store.get(VICTIM)).toEqual(victim);
      },
    );
  });
}

const dir = mkdtempSync(join(tmpdir(), 'mfakit-collision-'));
const lite = new PGlite();
const skipPostgres = skipUnless('PostgreSQL key-collision tests', postgresAvailability());
const postgresServer = skipPostgres ? null : await startPostgres();
const pool = postgresServer ? new pg.Pool({ connectionString: postgresServer.url, max: 4 }) : null;
pool?.on('error', () => {});
const skipRedis = skipUnless('Redis key-collision tests', redisAvailability());
const redisServer = skipRedis ? null : await startRedis();
const io = redisServer ? new Redis(redisServer.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 }) : null;
io?.on('error', () => {});
if (io && io.status !== 'ready') await new Promise((resolve) => io.once('ready', resolve));
const nr = redisServer ? createClient({ url: redisServer.url, disableOfflineQueue: true }) : null;
nr?.on('error', () => {});
await nr?.connect();
const databases: Database.Database[] = [];

afterAll(async () => {
  for (const db of databases) db.close();
  rmSync(dir, { recursive: true, force: true });
  await lite.close();
  await pool?.end().catch(() => {});
  await postgresServer?.dispose();
  io?.disconnect();
  await nr?.quit().catch(() => nr.destroy());
  await redisServer?.dispose();
});

async function freshPostgres(client: PostgresClient): Promise<MfaStore> {
  const store = postgresStore({ client, table: `mfa_collide_${uniqueSuffix()}` });
  await store.migrate();
  return store;
}

collisionChecks('MemoryStore', async () => new MemoryStore());
collisionChecks('sqliteStore (better-sqlite3)', async () => {
  const db = new Database(join(dir, `${uniqueSuffix()}.db`));
  databases.push(db);
  return sqliteStore({ client: db, migrate: true });
});
collisionChecks('postgresStore on PGlite', () => freshPostgres(lite));
describe.skipIf(skipPostgres)('PostgreSQL server', () => {
  collisionChecks('postgresStore (pg Pool)', () => freshPostgres(pool!));
});
describe.skipIf(skipRedis)('Redis server', () => {
  collisionChecks('redisStore (ioredis)', async () => redisStore({ client: io!, prefix: `mfa_collide_${uniqueSuffix()}:` }));
  collisionChecks('redisStore (node-redis)', async () => redisStore({ client: nr!, prefix: `mfa_collide_${uniqueSuffix()}:` }));
});
