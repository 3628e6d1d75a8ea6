// A user id with a lone surrogate must never reach another user's record. Drivers encode strings as
// UTF-8 and replace a lone surrogate by U+FFFD, so without a check 'bob\uD800' is read, written and
// deleted as 'bob\uFFFD' (Redis key, PostgreSQL text, SQLite TEXT alike). Every store must refuse
// such an id (MfaError INVALID_INPUT) or keep it apart; the conformance suite checks the same for
// every adapter ('round-trip' group).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/index.js';
import type { MfaStore } from '../../src/lifecycle/store.js';
import type { PostgresClient } from '../../src/stores/postgres.js';
import { redisStore } from '../../src/stores/redis.js';
import { sqliteStore } from '../../src/stores/sqlite.js';
import { refusedOr } from '../../src/testing/conformance-store.js';
import { uniqueSuffix } from '../support/services.js';
import { freshPostgresStore, startStoreClients } from '../support/store-clients.js';

const VICTIM = 'bob\uFFFD';
/** Ids that a UTF-8 encoder maps onto VICTIM (each lone surrogate becomes U+FFFD). */
const ATTACKERS = ['bob\uD800', 'bob\uDBFF', 'bob\uDC00', 'bob\uDFFF'];

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
const { lite, skipPostgres, pool, skipRedis, io, nr, dispose } = await startStoreClients('key-collision', { poolMax: 4 });
const databases: Database.Database[] = [];

afterAll(async () => {
  for (const db of databases) db.close();
  rmSync(dir, { recursive: true, force: true });
  await dispose();
});

const freshPostgres = (client: PostgresClient): Promise<MfaStore> => freshPostgresStore(client, 'mfa_collide_');

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
