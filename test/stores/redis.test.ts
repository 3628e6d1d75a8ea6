// redisStore against a real throwaway redis-server through both ioredis and node-redis. No mocks.
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { MfaError } from '../../src/errors.js';
import { redisStore, type IORedisLike, type NodeRedisLike } from '../../src/stores/redis.js';
import { CAS_MANY, READ_MANY } from '../../src/stores/redis-batch.js';
import { CAS_LOOKUP, DELETE_LOOKUP, INDEX_ADD, INDEX_DROP, INDEX_GET } from '../../src/stores/redis-lookup.js';
import { INDEX_ADD as LIST_ADD, INDEX_BACKFILL, INDEX_PAGE, INDEX_REMOVE } from '../../src/stores/redis-list.js';
import { createHash } from 'node:crypto';
import { runStoreConformance } from '../../src/testing/index.js';
import { startCutProxy } from '../support/cut-proxy.js';
import { codeAt, enrol, FakeClock, harnessMfa, timeOfStep } from '../support/mp-common.js';
import { redisAvailability, redisIsManaged, startRedis } from '../support/redis-server.js';
import { freePort, skipUnless, uniqueSuffix } from '../support/services.js';
import { rejection } from '../support/rejection.js';
import { expectEveryOperationUnavailable } from '../support/unavailable.js';

const skip = skipUnless('Redis server tests of redisStore', redisAvailability());
const server = skip ? null : await startRedis();
// Fail fast instead of queueing while disconnected (what the docs recommend).
const io = server
  ? new Redis(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, autoResendUnfulfilledCommands: false, retryStrategy: () => 50 })
  : null;
io?.on('error', () => {});
const nr = server ? createClient({ url: server.url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 50 } }) : null;
nr?.on('error', () => {});
await nr?.connect();
if (io && io.status !== 'ready') await new Promise((resolve) => io.once('ready', resolve));
const admin = server ? new Redis(server.url, { retryStrategy: () => 50 }) : null;
admin?.on('error', () => {});

afterAll(async () => {
  io?.disconnect();
  admin?.disconnect();
  await nr?.quit().catch(() => nr.destroy());
  await server?.dispose();
});

const freshPrefix = (): string => `mfa_t_${uniqueSuffix()}:`;

describe('redisStore: options', () => {
  const fakeIo = { evalsha: async () => 0, eval: async () => 0, hget: async () => null, del: async () => 0 };
  it.each([
    ['null', null],
    ['a string', 'redis://x'],
    ['no eval', { hget: () => {}, del: () => {} }],
    ['mixed API', { evalsha: () => {}, hGet: () => {}, del: () => {} }],
  ])('rejects client: %s', (_, client) => {
    expect(() => redisStore({ client: client as unknown as IORedisLike })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
  it.each([900, 1, 0])('refuses the removed pendingTtlSeconds option (%s): expiry is the lifecycle\'s', (ttl) => {
    const options = { client: fakeIo, pendingTtlSeconds: ttl } as unknown as Parameters<typeof redisStore>[0];
    expect(() => redisStore(options)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringContaining('pendingTtl') }));
  });
  it.each([
    ['not a string', 7],
    ['a space', 'mfa :'],
    ['a control character', 'mfa\n'],
    ['a hash tag (pins every record to one cluster slot)', '{mfa}:'],
    ['a lone surrogate', 'mfa\uD800:'],
    ['too long', 'p'.repeat(257)],
  ])('rejects prefix: %s', (_, prefix) => {
    expect(() => redisStore({ client: fakeIo, prefix: prefix as unknown as string })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
  it('accepts ordinary prefixes and exposes the one in use (RedisStore.prefix)', () => {
    expect(redisStore({ client: fakeIo }).prefix).toBe('mfa:');
    expect(redisStore({ client: fakeIo, prefix: 'acme:mfa:' }).prefix).toBe('acme:mfa:');
    expect(redisStore({ client: fakeIo, prefix: '' }).prefix).toBe('');
  });
  it('refuses batch: true with a Cluster client (multi-key scripts would cross slots)', () => {
    expect(() => redisStore({ client: { ...fakeIo, isCluster: true } as IORedisLike, batch: true })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringContaining('Cluster') }),
    );
  });
});

describe.skipIf(skip)('redisStore on redis-server', () => {
  runStoreConformance('redisStore (ioredis)', () => ({ store: redisStore({ client: io!, prefix: freshPrefix() }) }));
  // STORE_VARIANTS=main (the mutation runs of this store, mutation/areas.mjs): the suite on ioredis
  // only; node-redis goes through the same store code behind another driver adapter.
  if (process.env.STORE_VARIANTS !== 'main') {
    runStoreConformance('redisStore (node-redis)', () => ({ store: redisStore({ client: nr!, prefix: freshPrefix() }) }));
  }

  describe('list index', () => {
    it('migrate() indexes records written before the index existed (prefix with glob characters); idempotent', async () => {
      for (const client of [io!, nr!]) {
        const prefix = `${freshPrefix()}*?[x]\\`;
        const store = redisStore({ client, prefix });
        for (const id of ['a', 'b', 'c']) await store.compareAndSet(id, null, { version: 1, id });
        await admin!.del(`${prefix}\u0000ids`); // as an earlier version left them: no index
        await admin!.set(`${prefix}not-a-record`, 'x'); // a foreign key under the prefix
        await admin!.hset(`${freshPrefix()}other`, 'record', '{}'); // another prefix: not ours
        expect((await store.list({ limit: 10 })).entries).toEqual([]);
        await store.migrate();
        await store.migrate();
        const page = await store.list({ limit: 10 });
        expect(page.entries).toEqual(['a', 'b', 'c'].map((id) => ({ id, record: { version: 1, id } })));
        expect(page.next).toBeNull();
      }
    });

    it('an index entry whose record is gone (a crash between the steps) is skipped, and the scan goes on', async () => {
      const prefix = freshPrefix();
      const store = redisStore({ client: io!, prefix });
      for (const id of ['a', 'b', 'c', 'd']) await store.compareAndSet(id, null, { version: 1 });
      await admin!.del(`${prefix}b`, `${prefix}c`); // records gone, entries left
      const first = await store.list({ limit: 2 });
      expect(first.entries.map((e) => e.id)).toEqual(['a']);
      expect(first.next).toBe('b');
      const second = await store.list({ after: first.next, limit: 2 });
      expect(second.entries.map((e) => e.id)).toEqual(['d']);
      expect(second.next).toBeNull();
      await store.delete('d');
      expect(await admin!.zrange(`${prefix}\u0000ids`, '0', '-1')).toEqual(['a', 'b', 'c']); // a delete removes its entry
    });
  });

  it('ioredis and node-redis share records and race on the same key', async () => {
    const prefix = freshPrefix();
    const stores = [redisStore({ client: io!, prefix }), redisStore({ client: nr!, prefix })];
    const results = await Promise.all(Array.from({ length: 64 }, (_, i) => stores[i % 2]!.compareAndSet('shared', null, { version: 1, by: i })));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    for (const s of stores) expect(await s.get('shared')).toEqual({ version: 1, by: winner });
  });

  it('keeps a record as the hash `${prefix}${id}` with version and record fields', async () => {
    const prefix = freshPrefix();
    const store = redisStore({ client: io!, prefix });
    await store.compareAndSet('alice', null, { version: 1, status: 'active' });
    expect(await admin!.hgetall(`${prefix}alice`)).toEqual({ version: '1', record: '{"version":1,"status":"active"}' });
    await store.delete('alice');
    expect(await admin!.exists(`${prefix}alice`)).toBe(0);
  });

  it.each(['ioredis', 'node-redis'])('%s: records never expire, whatever they hold; a write clears a TTL left on the key', async (kind) => {
    const prefix = freshPrefix();
    const client = kind === 'ioredis' ? io! : nr!;
    const store = redisStore({ client, prefix });
    // A lone write (single-key script) and a batch of two (multi-key script).
    await store.compareAndSet('u', null, { version: 1, status: 'pending' });
    await Promise.all(['v', 'w'].map((id) => store.compareAndSet(id, null, { version: 1, status: 'pending' })));
    for (const id of ['u', 'v', 'w']) expect(await admin!.ttl(`${prefix}${id}`)).toBe(-1);
    // A TTL set on the keys (as pendingTtlSeconds did in earlier versions) is cleared by the next write.
    for (const id of ['u', 'v', 'w']) await admin!.expire(`${prefix}${id}`, 900);
    await store.compareAndSet('u', 1, { version: 2, status: 'active' });
    await Promise.all(['v', 'w'].map((id) => store.compareAndSet(id, 1, { version: 2, status: 'active' })));
    for (const id of ['u', 'v', 'w']) expect(await admin!.ttl(`${prefix}${id}`)).toBe(-1);
    // A lost race writes nothing, the TTL included.
    await admin!.expire(`${prefix}u`, 900);
    expect(await store.compareAndSet('u', 7, { version: 8 })).toBe(false);
    expect(await admin!.ttl(`${prefix}u`)).toBeGreaterThan(890);
  });

  it.each(['ioredis', 'node-redis'])('%s: works after SCRIPT FLUSH (NOSCRIPT → EVAL fallback)', async (kind) => {
    const client = kind === 'ioredis' ? io! : (nr!);
    const store = redisStore({ client, prefix: freshPrefix() });
    await admin!.script('FLUSH');
    expect(await store.compareAndSet('s', null, { version: 1 })).toBe(true);
    expect(await store.compareAndSet('s', 1, { version: 2 })).toBe(true);
    expect(await store.get('s')).toEqual({ version: 2 });
  });

  it('the hard-coded script SHA matches the script: after one EVAL fallback, only EVALSHA runs', async () => {
    const evalCalls = async (): Promise<number> => {
      const stats = String(await admin!.call('INFO', 'commandstats'));
      return Number(stats.match(/cmdstat_eval:calls=(\d+)/)?.[1] ?? 0);
    };
    for (const client of [io!, nr!]) {
      const store = redisStore({ client, prefix: freshPrefix() });
      await admin!.script('FLUSH');
      await store.compareAndSet('sha', null, { version: 1 }); // NOSCRIPT → EVAL (loads it)
      const before = await evalCalls();
      for (let v = 1; v <= 5; v++) expect(await store.compareAndSet('sha', v, { version: v + 1 })).toBe(true);
      expect(await evalCalls()).toBe(before);
    }
  });

  describe('a client that cannot reach the server, batched reads of missing ids, refused ids', () => {
    it.each([true, false])('batch %s: every call is STORE_UNAVAILABLE naming it, with the client error as cause', async (batch) => {
      // A real ioredis client towards a port nothing listens on, not queueing: every command fails at once.
      const dead = new Redis(`redis://127.0.0.1:${await freePort()}`, { lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
      dead.on('error', () => {});
      const store = redisStore({ client: dead, prefix: freshPrefix(), batch });
      const calls = [
        ['get', () => store.get('a')],
        ['get', () => Promise.all([store.get('a'), store.get('b')])],
        ['compareAndSet', () => store.compareAndSet('a', null, { version: 1 })],
        ['compareAndSet', () => store.compareAndSet('a', 1, { version: 2 })],
        ['compareAndSet', () => Promise.all([store.compareAndSet('a', 1, { version: 2 }), store.compareAndSet('b', 1, { version: 2 })])],
        ['compareAndSet', () => store.compareAndSet('a', 1, { version: 2, lookupKeys: ['api:k'] })],
        ['delete', () => store.delete('a')],
        ['lookup', () => store.lookup('api:k')],
        ['list', () => store.list({ limit: 5 })],
      ] as const;
      for (const [i, [operation, call]] of calls.entries()) {
        const err = await call().then(
          (value) => expect.fail(`call ${i} (${operation}) answered ${JSON.stringify(value)}`),
          (e: unknown) => e as MfaError,
        );
        expect(err.code, operation).toBe('STORE_UNAVAILABLE');
        expect(err.message).toMatch(new RegExp(`^redisStore\\.${operation}: store unavailable$`));
        expect(err.cause).toBeInstanceOf(Error);
      }
      // An id that cannot be a key is answered before any command.
      expect(await store.lookup('a\u0000')).toBeNull();
      dead.disconnect();
    });

    it('gets batched together answer null for the missing ids among them', async () => {
      const store = redisStore({ client: io!, prefix: freshPrefix() });
      await store.compareAndSet('b', null, { version: 1, n: 'b' });
      expect(await Promise.all(['a', 'b', 'c'].map((id) => store.get(id)))).toEqual([null, { version: 1, n: 'b' }, null]);
    });

    it('a refused id names the call', async () => {
      const store = redisStore({ client: io!, prefix: freshPrefix() });
      const label = 'id must be a string of well-formed Unicode without U+0000';
      await expect(store.get('a\u0000')).rejects.toMatchObject({ code: 'INVALID_INPUT', message: `redisStore.get: ${label}` });
      await expect(store.compareAndSet('a\uD800', null, { version: 1 })).rejects.toMatchObject({ message: `redisStore.compareAndSet: ${label}` });
      await expect(store.delete('\uDC00')).rejects.toMatchObject({ message: `redisStore.delete: ${label}` });
    });
  });

  describe('batching', () => {
    /** ioredis, counting the commands the store sends (the store detects the client by its methods). */
    function counting(fail = false) {
      const calls: string[] = [];
      const wrap = (name: string, f: (...a: never[]) => Promise<unknown>) => (...args: never[]) => {
        calls.push(name);
        if (fail && name.startsWith('eval') && (args[1] as unknown as number) > 1) return Promise.reject(new Error('connection lost'));
        return f.apply(io, args);
      };
      const client = {
        evalsha: wrap('evalsha', io!.evalsha as never),
        eval: wrap('eval', io!.eval as never),
        hget: wrap('hget', io!.hget as never),
        del: wrap('del', io!.del as never),
      } as unknown as IORedisLike;
      return { client, calls };
    }

    it('the batch, lookup and list scripts\' hard-coded SHA-1s match their text', () => {
      for (const script of [READ_MANY, CAS_MANY, CAS_LOOKUP, DELETE_LOOKUP, INDEX_ADD, INDEX_DROP, INDEX_GET, LIST_ADD, INDEX_REMOVE, INDEX_PAGE, INDEX_BACKFILL]) expect(createHash('sha1').update(script.text).digest('hex')).toBe(script.sha);
    });

    it('calls started together share one script per 8 keys; a lone call uses the single-key path', async () => {
      const { client, calls } = counting();
      const store = redisStore({ client, prefix: freshPrefix() });
      const ids = Array.from({ length: 16 }, (_, i) => `b${i}`);
      expect(await Promise.all(ids.map((id, i) => store.compareAndSet(id, null, { version: 1, i })))).toEqual(ids.map(() => true));
      // Creates: the records in two batches of 8, and the ids into the list index (see redis-list.ts):
      // one script for the turn's creates before the writes, one after each batch's writes.
      expect(calls.filter((c) => c !== 'eval').length).toBeLessThanOrEqual(5);
      calls.length = 0;
      const read = await Promise.all([...ids, 'missing', 'b3'].map((id) => store.get(id)));
      expect(read).toEqual([...ids.map((_, i) => ({ version: 1, i })), null, { version: 1, i: 3 }]);
      expect(read[3]).not.toBe(read[17]);
      expect(calls.filter((c) => c !== 'eval')).toEqual(['evalsha', 'evalsha', 'evalsha']); // 17 distinct keys: 8 + 8 + 1
      calls.length = 0;
      const results = await Promise.all(ids.map((id, i) => store.compareAndSet(id, i % 2 === 0 ? 1 : 5, { version: 2, i })));
      expect(results).toEqual(ids.map((_, i) => i % 2 === 0));
      expect(await store.get('b0')).toEqual({ version: 2, i: 0 });
      expect(await store.get('b1')).toEqual({ version: 1, i: 1 });
      calls.length = 0;
      await store.get('b0');
      expect(calls).toEqual(['hget']);
    });

    it('a batch that fails rejects every call in it with STORE_UNAVAILABLE', async () => {
      const { client } = counting(true);
      const store = redisStore({ client, prefix: freshPrefix() });
      const errors = await Promise.all([
        ...['f1', 'f2', 'f3'].map((id) => rejection(store.compareAndSet(id, null, { version: 1 }))),
        ...['f1', 'f2'].map((id) => rejection(store.get(id))),
      ]);
      for (const err of errors) {
        expect(err.code).toBe('STORE_UNAVAILABLE');
        expect((err.cause as Error).message).toBe('connection lost');
      }
    });

    it('a cluster client, or batch: false, sends one command per call', async () => {
      for (const make of [
        () => {
          const c = counting();
          return { ...c, store: redisStore({ client: Object.assign(c.client, { isCluster: true }), prefix: freshPrefix() }) };
        },
        () => {
          const c = counting();
          return { ...c, store: redisStore({ client: c.client, prefix: freshPrefix(), batch: false }) };
        },
      ]) {
        const { store, calls } = make();
        await Promise.all(['c1', 'c2', 'c3'].map((id) => store.get(id)));
        expect(calls).toEqual(['hget', 'hget', 'hget']);
      }
    });
  });

  it('a record field that is not JSON is INVALID_RECORD', async () => {
    const prefix = freshPrefix();
    await admin!.hset(`${prefix}bad`, 'version', '1', 'record', '{not json');
    for (const client of [io!, nr!]) {
      const err = await rejection(redisStore({ client, prefix }).get('bad'));
      expect(err.code).toBe('INVALID_RECORD');
      expect(err.message).toBe('redisStore.get: stored record is not JSON');
      expect(err.cause).toBeInstanceOf(SyntaxError);
    }
  });

  it('a value of the wrong type under the key is STORE_UNAVAILABLE with the server error as cause', async () => {
    const prefix = freshPrefix();
    await admin!.set(`${prefix}str`, 'not a hash');
    for (const client of [io!, nr!]) {
      const store = redisStore({ client, prefix });
      const err = await rejection(store.compareAndSet('str', null, { version: 1 }));
      expect(err.code).toBe('STORE_UNAVAILABLE');
      expect(String((err.cause as Error).message)).toContain('WRONGTYPE');
    }
  });

  describe.each(['ioredis', 'node-redis'])('%s: connection dropped mid-query (TCP proxy)', (kind) => {
    it.each(['before-server', 'after-server'] as const)(
      'cut %s: STORE_UNAVAILABLE with cause, never true; the record is what the server executed',
      async (mode) => {
        const proxy = await startCutProxy(server!.port);
        const url = `redis://127.0.0.1:${proxy.port}`;
        let client: IORedisLike | NodeRedisLike;
        let close: () => Promise<void>;
        if (kind === 'ioredis') {
          const c = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, autoResendUnfulfilledCommands: false, retryStrategy: () => 50 });
          c.on('error', () => {});
          await new Promise((resolve) => c.once('ready', resolve));
          client = c;
          close = async () => c.disconnect();
        } else {
          const c = createClient({ url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 50 } });
          c.on('error', () => {});
          await c.connect();
          client = c as unknown as NodeRedisLike;
          close = async () => c.destroy();
        }
        try {
          const prefix = freshPrefix();
          const store = redisStore({ client, prefix });
          await store.compareAndSet('victim', null, { version: 1, n: 1 });
          const fired = proxy.arm('evalsha', mode);
          const err = await rejection(store.compareAndSet('victim', 1, { version: 2, n: 2 }));
          await fired;
          expect(err.code).toBe('STORE_UNAVAILABLE');
          expect(err.cause).toBeDefined();
          const stored = await admin!.hget(`${prefix}victim`, 'record');
          // before-server: never executed; after-server: executed, but the caller was told "unknown".
          expect(stored).toBe(mode === 'before-server' ? '{"version":1,"n":1}' : '{"version":2,"n":2}');
          // The client reconnects through the proxy and the store works again.
          let version = 0;
          for (let i = 0; i < 100 && version === 0; i++) {
            version = ((await store.get('victim').catch(() => null))?.version ?? 0) as number;
            if (version === 0) await new Promise((r) => setTimeout(r, 50));
          }
          expect(version).toBe(mode === 'before-server' ? 1 : 2);
        } finally {
          await close();
          await proxy.close();
        }
      },
    );
  });

  it.each(['before-server', 'after-server'] as const)(
    'verifyLogin whose write is cut %s: rejects STORE_UNAVAILABLE, never ok; the code is spent only if the write committed',
    async (mode) => {
      const proxy = await startCutProxy(server!.port);
      const c = new Redis(`redis://127.0.0.1:${proxy.port}`, { enableOfflineQueue: false, maxRetriesPerRequest: 0, autoResendUnfulfilledCommands: false, retryStrategy: () => 50 });
      c.on('error', () => {});
      await new Promise((resolve) => c.once('ready', resolve));
      try {
        const prefix = freshPrefix();
        const direct = redisStore({ client: io!, prefix });
        const clock = new FakeClock();
        const user = await enrol(harnessMfa(direct, clock), clock, 'alice', 1_000_000);
        const step = user.step + 1;
        clock.set(timeOfStep(step));
        const victim = harnessMfa(redisStore({ client: c, prefix }), clock);
        const fired = proxy.arm('evalsha', mode);
        const err = await rejection(victim.verifyLogin('alice', codeAt(user.secret, step)));
        await fired;
        expect(err.code).toBe('STORE_UNAVAILABLE');
        const again = await harnessMfa(direct, clock).verifyLogin('alice', codeAt(user.secret, step));
        expect(again).toMatchObject(mode === 'before-server' ? { ok: true } : { ok: false, reason: 'replayed' });
      } finally {
        c.disconnect();
        await proxy.close();
      }
    },
  );

  it.skipIf(!redisIsManaged())('server down: every operation is STORE_UNAVAILABLE with cause (both clients); back up: works again', async () => {
    const prefix = freshPrefix();
    const stores = [redisStore({ client: io!, prefix }), redisStore({ client: nr!, prefix })];
    await stores[0]!.compareAndSet('down', null, { version: 1 });
    await server!.stop();
    try {
      await expectEveryOperationUnavailable(stores);
    } finally {
      await server!.start();
    }
    // No persistence: a restarted server is empty. Both clients reconnect by themselves.
    for (const s of stores) {
      let ok = false;
      for (let i = 0; i < 100 && !ok; i++) {
        ok = await s.compareAndSet(`back-${stores.indexOf(s)}`, null, { version: 1 }).catch(() => false);
        if (!ok) await new Promise((r) => setTimeout(r, 50));
      }
      expect(ok).toBe(true);
    }
  });
});
