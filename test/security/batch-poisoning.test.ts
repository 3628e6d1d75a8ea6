// One caller's bad value must not fail other users' calls. The network stores gather the calls of
// one event-loop turn into one statement / Lua script; when the engine refuses that batch (a value
// or key it cannot take), the store retries each call alone, so only the offending call fails.
// The stores are called directly: the lifecycle's input checks are not what protects them here.
import { afterAll, describe, expect, it } from 'vitest';
import type { MfaStore } from '../../src/lifecycle/store.js';
import { redisStore, type IORedisLike, type NodeRedisLike } from '../../src/stores/redis.js';
import { codeAt, enrol, FakeClock, harnessMfa, timeOfStep } from '../support/mp-common.js';
import { rejection } from '../support/rejection.js';
import { uniqueSuffix } from '../support/services.js';
import { freshPostgresStore, startStoreClients } from '../support/store-clients.js';

const HONEST = Array.from({ length: 7 }, (_, i) => `honest-${i}`);
/** jsonb cannot hold U+0000: PostgreSQL refuses the whole statement the record is batched into. */
const POISON_RECORD = { account: 'x\u0000y' };

/** Starts every call in the same turn (one batch: the stores batch up to 8 calls). */
function together<T>(calls: (() => Promise<T>)[]): Promise<PromiseSettledResult<T>[]> {
  return Promise.allSettled(calls.map((call) => call()));
}

function expectOnlyPoisonFailed(results: PromiseSettledResult<unknown>[], poisonIndex: number, honestValue: (i: number) => unknown): void {
  results.forEach((r, i) => {
    if (i === poisonIndex) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toMatchObject({ name: 'MfaError', code: 'STORE_UNAVAILABLE' });
    } else {
      expect(r).toEqual({ status: 'fulfilled', value: honestValue(i < poisonIndex ? i : i - 1) });
    }
  });
}

function postgresPoisoning(label: string, makeStore: () => Promise<MfaStore>): void {
  describe(`${label}: a record jsonb refuses among 7 honest writes`, () => {
    it('creates: 7 succeed and are stored, the poisoned one fails alone and stores nothing', async () => {
      const store = await makeStore();
      const results = await together([
        ...HONEST.slice(0, 3).map((id, i) => () => store.compareAndSet(id, null, { version: 1, i })),
        () => store.compareAndSet('poisoned', null, { version: 1, ...POISON_RECORD }),
        ...HONEST.slice(3).map((id, i) => () => store.compareAndSet(id, null, { version: 1, i: i + 3 })),
      ]);
      expectOnlyPoisonFailed(results, 3, () => true);
      for (const [i, id] of HONEST.entries()) expect(await store.get(id)).toEqual({ version: 1, i });
      expect(await store.get('poisoned')).toBeNull();
    });

    it('updates: 7 succeed, the poisoned one fails alone and leaves its record as it was', async () => {
      const store = await makeStore();
      for (const id of [...HONEST, 'victim']) await store.compareAndSet(id, null, { version: 1 });
      const results = await together([
        () => store.compareAndSet('victim', 1, { version: 2, ...POISON_RECORD }),
        ...HONEST.map((id, i) => () => store.compareAndSet(id, 1, { version: 2, i })),
      ]);
      expectOnlyPoisonFailed(results, 0, () => true);
      for (const [i, id] of HONEST.entries()) expect(await store.get(id)).toEqual({ version: 2, i });
      expect(await store.get('victim')).toEqual({ version: 1 });
    });

    it('a lost race in the same batch still answers false (not retried into a win)', async () => {
      const store = await makeStore();
      for (const id of HONEST) await store.compareAndSet(id, null, { version: 1 });
      const results = await together([
        () => store.compareAndSet('poisoned', null, { version: 1, ...POISON_RECORD }),
        ...HONEST.map((id, i) => () => store.compareAndSet(id, i === 0 ? 1 : 5, { version: 2, i })),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', ...HONEST.map(() => 'fulfilled')]);
      expect(results.slice(1).map((r) => (r as PromiseFulfilledResult<boolean>).value)).toEqual([true, false, false, false, false, false, false]);
    });

    it('through the lifecycle: a restarted enrolment with U+0000 in the account, batched with 7 logins, fails no login', async () => {
      const store = await makeStore();
      const clock = new FakeClock();
      const mfa = harnessMfa(store, clock);
      const users = [];
      for (const id of HONEST) users.push(await enrol(mfa, clock, id, 1_000));
      expect((await mfa.beginEnrollment('mallory', { account: 'mallory@example.com' })).ok).toBe(true);
      clock.set(timeOfStep(1_001));
      // mallory's record exists, so her write is an update batched with the logins' updates.
      const [mallory, ...logins] = await together<{ ok: boolean }>([
        () => mfa.beginEnrollment('mallory', { account: 'x\u0000y' }),
        ...users.map((u) => () => mfa.verifyLogin(u.userId, codeAt(u.secret, 1_001))),
      ]);
      expect(logins).toEqual(users.map(() => ({ status: 'fulfilled', value: expect.objectContaining({ ok: true }) })));
      // However mallory's call ends (refused by input checks, or by the store), it is not ok.
      expect(mallory?.status === 'rejected' || (mallory as PromiseFulfilledResult<{ ok: boolean }>).value.ok === false).toBe(true);
    });
  });
}

// PGlite (in-process PostgreSQL, always available), a real PostgreSQL 15 server through pg, Redis.
const { lite, skipPostgres, pool, skipRedis, io, nr, dispose } = await startStoreClients('batch-poisoning', { poolMax: 8 });
afterAll(dispose);

postgresPoisoning('postgresStore on PGlite', () => freshPostgresStore(lite, 'mfa_poison_'));
describe.skipIf(skipPostgres)('PostgreSQL server', () => {
  postgresPoisoning('postgresStore (pg Pool)', () => freshPostgresStore(pool!, 'mfa_poison_'));
});

describe.skipIf(skipRedis).each(['ioredis', 'node-redis'])('redisStore (%s): a key of the wrong type among 7 honest keys', (kind) => {
  /** A store on a fresh prefix, with a plain string (not a hash) planted at `${prefix}poisoned`. */
  async function poisonedStore(): Promise<MfaStore & { prefix: string }> {
    const prefix = `mfa_poison_${uniqueSuffix()}:`;
    await io!.set(`${prefix}poisoned`, 'not a hash');
    const client = (kind === 'ioredis' ? io! : nr!) as IORedisLike | NodeRedisLike;
    return Object.assign(redisStore({ client, prefix }), { prefix });
  }

  it('reads: 7 succeed, the read of the poisoned key fails alone (WRONGTYPE)', async () => {
    const store = await poisonedStore();
    for (const [i, id] of HONEST.entries()) await store.compareAndSet(id, null, { version: 1, i });
    const results = await together([...HONEST.slice(0, 5).map((id) => () => store.get(id)), () => store.get('poisoned'), ...HONEST.slice(5).map((id) => () => store.get(id))]);
    expectOnlyPoisonFailed(results, 5, (i) => ({ version: 1, i }));
    const err = await rejection(store.get('poisoned'));
    expect(String((err.cause as Error).message)).toContain('WRONGTYPE');
  });

  it('creates: 7 succeed and are stored, the write to the poisoned key fails alone', async () => {
    const store = await poisonedStore();
    const results = await together([() => store.compareAndSet('poisoned', null, { version: 1 }), ...HONEST.map((id, i) => () => store.compareAndSet(id, null, { version: 1, i }))]);
    expectOnlyPoisonFailed(results, 0, () => true);
    for (const [i, id] of HONEST.entries()) expect(await store.get(id)).toEqual({ version: 1, i });
    expect(await io!.get(`${store.prefix}poisoned`)).toBe('not a hash');
  });

  it('updates: 7 succeed exactly once (the refused script wrote nothing before the retry)', async () => {
    const store = await poisonedStore();
    for (const id of HONEST) await store.compareAndSet(id, null, { version: 1 });
    const results = await together([...HONEST.map((id, i) => () => store.compareAndSet(id, 1, { version: 2, i })), () => store.compareAndSet('poisoned', 1, { version: 2 })]);
    // Had the batch script written some keys before failing, their retry would answer false.
    expectOnlyPoisonFailed(results, 7, () => true);
    for (const [i, id] of HONEST.entries()) expect(await store.get(id)).toEqual({ version: 2, i });
  });
});
