// The engine under createMfa (src/lifecycle/engine.ts): which store calls it makes, how it labels a
// store's failure, how many times it retries a lost compare-and-set, and how it delivers events.
// Written against the mutants StrykerJS found surviving (npm run mutation -- lifecycle).
import { describe, expect, it } from 'vitest';
import { createMfa, FakeClock, MemoryStore, policies, seededRandom, type MfaStore } from '../../src/index.js';
import { rejection as rejected } from '../support/rejection.js';

const T0 = Date.UTC(2026, 5, 1);

/** A MemoryStore whose calls are counted, and which can be told to fail or refuse. */
function spyStore(options: { failGet?: boolean; failCas?: boolean; failDelete?: boolean; refuseCas?: boolean } = {}) {
  const inner = new MemoryStore();
  const calls = { get: 0, compareAndSet: 0, delete: 0 };
  const store: MfaStore = {
    async get(id) {
      calls.get++;
      if (options.failGet) throw new Error('socket closed');
      return inner.get(id);
    },
    async compareAndSet(id, expected, record) {
      calls.compareAndSet++;
      if (options.failCas) throw new Error('socket closed');
      if (options.refuseCas) return false;
      return inner.compareAndSet(id, expected, record);
    },
    async delete(id) {
      calls.delete++;
      if (options.failDelete) throw new Error('socket closed');
      return inner.delete(id);
    },
  };
  return { store, calls, inner };
}

const mfaOver = (store: MfaStore, extra: Record<string, unknown> = {}) =>
  createMfa({ store, issuer: 'Acme', clock: new FakeClock(T0), rng: seededRandom(1), features: [policies()], ...extra });

describe('engine: a failing store call is STORE_UNAVAILABLE naming the call', () => {
  it.each([
    ['get', { failGet: true }, 'store get failed'],
    ['compareAndSet', { failCas: true }, 'store compareAndSet failed'],
  ] as const)('%s', async (_, failure, message) => {
    const { store } = spyStore(failure);
    const err = await rejected(mfaOver(store).beginEnrollment('alice', { account: 'alice' }));
    expect(err.code).toBe('STORE_UNAVAILABLE');
    expect(err.message).toBe(message);
    expect((err.cause as Error).message).toBe('socket closed');
  });

  it('delete', async () => {
    const { store, inner } = spyStore({ failDelete: true });
    await mfaOver(inner).beginEnrollment('alice', { account: 'alice' });
    const err = await rejected(mfaOver(store).removeUser('alice'));
    expect(err.code).toBe('STORE_UNAVAILABLE');
    expect(err.message).toBe('store delete failed');
  });
});

describe('engine: store calls', () => {
  it('clearing a scope policy deletes its record once, and clearing one never set writes nothing', async () => {
    const { store, calls } = spyStore();
    const mfa = mfaOver(store);
    await mfa.setPolicy({ scope: 'staff' }, null, { actor: 'admin' });
    expect(calls).toMatchObject({ compareAndSet: 0, delete: 0 });
    await mfa.setPolicy({ scope: 'staff' }, { required: true }, { actor: 'admin' });
    await mfa.setPolicy({ scope: 'staff' }, null, { actor: 'admin' });
    expect(calls).toMatchObject({ compareAndSet: 1, delete: 1 });
    expect(await mfa.getPolicy({ scope: 'staff' })).toBeNull();
  });

  it.each([1, 3, 16])('a compare-and-set lost every time is tried maxAttempts (%i) times, then CONFLICT', async (maxAttempts) => {
    const { store, calls } = spyStore({ refuseCas: true });
    const err = await rejected(mfaOver(store, { maxAttempts }).beginEnrollment('alice', { account: 'alice' }));
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toBe(`gave up after ${maxAttempts} conflicting concurrent updates`);
    expect(calls.compareAndSet).toBe(maxAttempts);
    expect(calls.get).toBe(maxAttempts);
  });
});

describe('engine: events', () => {
  it('every event of a transition is delivered, and the first error thrown by onEvent reaches the caller after the write', async () => {
    const clock = new FakeClock(T0);
    const seen: string[] = [];
    const store = new MemoryStore();
    const mfa = createMfa({
      store,
      issuer: 'Acme',
      clock,
      rng: seededRandom(1),
      pendingTtl: 60_000,
      onEvent: (event) => {
        seen.push(event.type);
        if (seen.length > 1) throw new Error(`listener failed on ${event.type}`);
      },
    });
    await mfa.beginEnrollment('alice', { account: 'alice' });
    clock.advance(120_000);
    // Expiry of the old enrolment and the new one: two events, two listener errors.
    const failed = await mfa.beginEnrollment('alice', { account: 'alice' }).then(
      () => null,
      (err: unknown) => err as Error,
    );
    expect(seen).toEqual(['enrolled', 'enrollment_expired', 'enrolled']);
    expect(failed?.message).toBe('listener failed on enrollment_expired');
    expect((await mfa.getStatus('alice')).status).toBe('pending'); // written before the events
  });
});
