// faultyStore itself: each fault does what its name says, a seed replays the same faults, and bad
// schedules are refused.
import { describe, expect, it } from 'vitest';
import { MemoryStore, MfaError } from '../../src/index.js';
import { faultyStore, type FaultKind } from '../../src/testing/index.js';

const only = (kind: FaultKind) => () => kind;

describe('faultyStore', () => {
  it('fail-before: the call never reaches the store', async () => {
    const inner = new MemoryStore();
    const store = faultyStore(inner, only('fail-before'));
    const err = await store.compareAndSet('a', null, { version: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MfaError);
    expect((err as MfaError).code).toBe('STORE_UNAVAILABLE');
    expect(((err as MfaError).cause as Error).message).toBe('injected fault');
    expect(await inner.get('a')).toBeNull();
    expect(store.log).toEqual([{ call: { index: 0, operation: 'compareAndSet', id: 'a' }, fault: 'fail-before' }]);
  });

  it('fail-after: the write commits, the caller sees STORE_UNAVAILABLE', async () => {
    const inner = new MemoryStore();
    const store = faultyStore(inner, only('fail-after'));
    await expect(store.compareAndSet('a', null, { version: 1 })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(await inner.get('a')).toEqual({ version: 1 });
    expect(store.log[0]).toMatchObject({ fault: 'fail-after', committed: true });
  });

  it('delay: a later call overtakes a delayed one', async () => {
    const inner = new MemoryStore();
    const store = faultyStore(inner, (call) => (call.index === 0 ? { kind: 'delay', ticks: 5 } : 'pass'));
    const [first, second] = await Promise.all([store.compareAndSet('a', null, { version: 1, by: 'first' }), store.compareAndSet('a', null, { version: 1, by: 'second' })]);
    expect([first, second]).toEqual([false, true]);
    expect(await inner.get('a')).toEqual({ version: 1, by: 'second' });
  });

  it('duplicate: the call reaches the store twice, the first answer is returned', async () => {
    let writes = 0;
    const inner = new MemoryStore();
    const counting = { get: (id: string) => inner.get(id), delete: (id: string) => inner.delete(id), compareAndSet: (...a: Parameters<MemoryStore['compareAndSet']>) => (writes++, inner.compareAndSet(...a)) };
    const store = faultyStore(counting, only('duplicate'));
    expect(await store.compareAndSet('a', null, { version: 1 })).toBe(true);
    expect(writes).toBe(2);
  });

  it('seeded rates: the same seed gives the same faults; the rates are roughly honoured', async () => {
    const run = async (seed: number) => {
      const store = faultyStore(new MemoryStore(), { seed, failBefore: 0.2, failAfter: 0.2, delay: 0.2, duplicate: 0.1 });
      for (let i = 0; i < 2000; i++) await store.get('x').catch(() => undefined);
      return store.log.map((e) => e.fault).join();
    };
    expect(await run(7)).toBe(await run(7));
    expect(await run(7)).not.toBe(await run(8));
    const store = faultyStore(new MemoryStore(), { seed: 3, failBefore: 0.2, failAfter: 0.2, delay: 0.2, duplicate: 0.1 });
    for (let i = 0; i < 5000; i++) await store.get('x').catch(() => undefined);
    expect(store.counts.pass / 5000).toBeCloseTo(0.3, 1);
    expect(store.counts['fail-before'] / 5000).toBeCloseTo(0.2, 1);
    expect(store.counts.duplicate / 5000).toBeCloseTo(0.1, 1);
  });

  it('passes lookup and list through, with faults, only when the wrapped store has them', async () => {
    const inner = new MemoryStore();
    await inner.compareAndSet('alice', null, { version: 1, lookupKeys: ['api:k1'] });
    await inner.compareAndSet('bob', null, { version: 1 });
    const failing = new Set([1, 3]);
    const store = faultyStore(inner, (call) => (failing.has(call.index) ? 'fail-before' : 'pass'));
    expect(await store.lookup!('api:k1')).toBe('alice');
    await expect(store.lookup!('api:k1')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(await store.list!({ limit: 1 })).toEqual({ entries: [{ id: 'alice', record: { version: 1, lookupKeys: ['api:k1'] } }], next: 'alice' });
    await expect(store.list!({ after: 'alice', limit: 1 })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect((await store.list!({ after: 'alice', limit: 5 })).entries.map((e) => e.id)).toEqual(['bob']);
    expect(store.log.map((e) => [e.call.operation, e.call.id, e.fault])).toEqual([
      ['lookup', 'api:k1', 'pass'],
      ['lookup', 'api:k1', 'fail-before'],
      ['list', '', 'pass'],
      ['list', 'alice', 'fail-before'],
      ['list', 'alice', 'pass'],
    ]);
    // A store without the capabilities gets a wrapper without them (features test by presence).
    const bare = faultyStore({ get: (id) => inner.get(id), compareAndSet: (...a) => inner.compareAndSet(...a), delete: (id) => inner.delete(id) }, only('pass'));
    expect('lookup' in bare || 'list' in bare).toBe(false);
  });

  it('refuses a bad store or schedule', () => {
    expect(() => faultyStore({} as MemoryStore, only('pass'))).toThrow(MfaError);
    expect(() => faultyStore(new MemoryStore(), { seed: 1, failBefore: 0.8, failAfter: 0.8 })).toThrow(MfaError);
    expect(() => faultyStore(new MemoryStore(), { seed: 1, delay: -0.1 })).toThrow(MfaError);
    expect(() => faultyStore(new MemoryStore(), { seed: 1, maxDelayTicks: 0 })).toThrow(MfaError);
    const store = faultyStore(new MemoryStore(), () => 'explode' as FaultKind);
    return expect(store.get('a')).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});
