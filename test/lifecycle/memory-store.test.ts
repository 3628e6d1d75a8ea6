// The MemoryStore keeps frozen copies and hands them out; the service reads and writes through
// get and compareAndSet like with any other store (no shortcut for this class).
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createMfa,
  MemoryStore,
  policies,
  recoveryCodes,
  totp,
  type MfaStore,
  type StoredRecord,
} from '../../src/index.js';
import { parseRecord } from '../../src/lifecycle/public.js';
import { FakeClock, seededRandom } from '../../src/testing/index.js';
import { enrolledUser } from '../support/enrolled-user.js';

const T0 = Date.UTC(2026, 0, 1, 12) + 10_000;

async function enrolled(store: MfaStore) {
  const clock = new FakeClock(T0);
  const mfa = createMfa({ store, issuer: 'Acme', clock, rng: seededRandom(3), features: [recoveryCodes(), policies()] });
  const { secret } = await enrolledUser(mfa, clock);
  return { mfa, clock, secret };
}

function deepFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(deepFrozen);
}

describe('MemoryStore: records the service wrote', () => {
  it('are handed to other callers deep-frozen, and mutating one changes nothing', async () => {
    const store = new MemoryStore();
    const { mfa, clock, secret } = await enrolled(store);
    expect((await mfa.verifyLogin('alice', totp(secret, { time: clock.now() }))).ok).toBe(true);
    const got = (await store.get('alice')) as StoredRecord & { method: { lastStep: number }; recoveryCodes: { hashes: string[] } };
    expect(deepFrozen(got)).toBe(true);
    const before = JSON.stringify(got);
    expect(() => {
      got.method.lastStep = 0;
    }).toThrow(TypeError);
    expect(() => got.recoveryCodes.hashes.pop()).toThrow(TypeError);
    expect(JSON.stringify(await store.get('alice'))).toBe(before);
    // the replay is still refused: the stored last step did not move back
    expect(await mfa.verifyLogin('alice', totp(secret, { time: clock.now() }))).toEqual({ ok: false, reason: 'replayed' });
  });

  it('getPolicy answers a copy, not the stored policy', async () => {
    const store = new MemoryStore();
    const { mfa } = await enrolled(store);
    await mfa.setPolicy({ userId: 'alice' }, { required: true }, { actor: 'admin' });
    const policy = (await mfa.getPolicy({ userId: 'alice' })) as { required: boolean };
    try {
      policy.required = false;
    } catch {
      // a frozen answer is fine too
    }
    expect(await mfa.getPolicy({ userId: 'alice' })).toEqual({ required: true });
  });

  it('a record a caller wrote is read by the service like any other', async () => {
    const store = new MemoryStore();
    const { mfa, clock, secret } = await enrolled(store);
    const copy = { ...(await store.get('alice'))!, userId: 'bob' } as StoredRecord;
    expect(await store.compareAndSet('bob', null, copy)).toBe(true);
    expect((await mfa.verifyLogin('bob', totp(secret, { time: clock.now() }))).ok).toBe(true);
    expect((await store.get('bob'))!.version).toBe(copy.version + 1);
  });
});

describe('MemoryStore: the service goes through get and compareAndSet', () => {
  afterEach(() => vi.restoreAllMocks());

  it('a plain instance sees every call of a login (no shortcut past the store methods)', async () => {
    const store = new MemoryStore();
    const { mfa, clock, secret } = await enrolled(store);
    // Spies on the prototype: the instance stays a plain, untouched MemoryStore.
    const get = vi.spyOn(MemoryStore.prototype, 'get');
    const cas = vi.spyOn(MemoryStore.prototype, 'compareAndSet');
    expect((await mfa.verifyLogin('alice', totp(secret, { time: clock.now() }))).ok).toBe(true);
    expect(get.mock.calls).toEqual([['alice']]);
    expect(cas.mock.calls.map((c) => [c[0], c[1]])).toEqual([['alice', 2]]);
  });

  it('a subclass that overrides get and compareAndSet sees every call of a login', async () => {
    const calls: string[] = [];
    class Counting extends MemoryStore {
      override get(id: string) {
        calls.push(`get ${id}`);
        return super.get(id);
      }
      override compareAndSet(id: string, expected: number | null, record: StoredRecord) {
        calls.push(`cas ${id} ${expected}`);
        return super.compareAndSet(id, expected, record);
      }
    }
    const { mfa, clock, secret } = await enrolled(new Counting());
    calls.length = 0;
    expect((await mfa.verifyLogin('alice', totp(secret, { time: clock.now() }))).ok).toBe(true);
    expect(calls).toEqual(['get alice', 'cas alice 2']);
  });
});

describe('parseRecord', () => {
  it('returns fresh objects equal to the data, keeping fields this version does not know', async () => {
    const store = new MemoryStore();
    await enrolled(store);
    const data = (await store.get('alice')) as StoredRecord & { method: Record<string, unknown> };
    const withExtras = { ...data, futureField: { a: [1] }, method: { ...data.method, futureMethodField: 'x' } } as StoredRecord;
    const record = parseRecord(withExtras, 'alice');
    expect(record).toStrictEqual(withExtras);
    expect(record).not.toBe(withExtras);
    expect(record.method).not.toBe(withExtras.method);
    const sealed = { ...data, method: { ...data.method, secretSealed: true } } as StoredRecord;
    expect(parseRecord(sealed, 'alice')).toStrictEqual(sealed);
  });

  it('extension fields named like Object members or __proto__ stay plain data', async () => {
    const store = new MemoryStore();
    await enrolled(store);
    const data = (await store.get('alice'))!;
    const json = JSON.stringify({ ...data, constructor: 'c', toString: 't' }).replace('{', '{"__proto__":{"polluted":true},');
    const withOdd = JSON.parse(json) as StoredRecord;
    const record = parseRecord(withOdd, 'alice') as unknown as Record<string, unknown>;
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(record.polluted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(record, '__proto__')?.value).toEqual({ polluted: true });
    expect(record.constructor).toBe('c');
    expect(record.toString).toBe('t');
    // the MemoryStore's frozen copies keep them as data too
    await store.compareAndSet('odd', null, { ...JSON.parse(json), userId: 'odd' } as StoredRecord);
    const back = (await store.get('odd')) as unknown as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(back, '__proto__')?.value).toEqual({ polluted: true });
  });

  it('extension fields survive a login written through the service', async () => {
    const store = new MemoryStore();
    const { mfa, clock, secret } = await enrolled(store);
    const data = (await store.get('alice'))!;
    await store.compareAndSet('alice', data.version, { ...data, version: data.version + 1, futureField: 'kept' } as StoredRecord);
    expect((await mfa.verifyLogin('alice', totp(secret, { time: clock.now() }))).ok).toBe(true);
    expect((await store.get('alice'))!.futureField).toBe('kept');
  });
});
