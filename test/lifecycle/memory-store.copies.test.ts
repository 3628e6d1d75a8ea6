// What MemoryStore keeps (src/lifecycle/memory-store.ts): a deep-frozen copy that shares frozen
// sub-objects, keeps exactly the record's own keys, and keeps a private copy of non-JSON values.
// Written against mutants StrykerJS found surviving (npm run mutation -- stores).
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/index.js';

describe('MemoryStore copies', () => {
  it('shares frozen sub-objects and copies the rest, frozen', async () => {
    const store = new MemoryStore();
    const shared = Object.freeze({ a: 1 });
    const mutable = { b: 2 };
    const list = [1, { c: 3 }];
    await store.compareAndSet('u', null, { version: 1, shared, mutable, list, n: null, s: 'x' });
    const got = (await store.get('u')) as unknown as Record<string, unknown>;
    expect(got.shared).toBe(shared);
    expect(got.mutable).not.toBe(mutable);
    expect(got.mutable).toEqual({ b: 2 });
    expect(Object.isFrozen(got.mutable)).toBe(true);
    expect(got.list).toEqual([1, { c: 3 }]);
    expect(Object.isFrozen(got.list)).toBe(true);
    expect(Object.isFrozen((got.list as unknown[])[1])).toBe(true);
    mutable.b = 99;
    (list[1] as { c: number }).c = 99;
    expect(got).toMatchObject({ mutable: { b: 2 }, list: [1, { c: 3 }] });
    // Exactly the record's own keys, in order.
    expect(Object.keys(got)).toEqual(['version', 'shared', 'mutable', 'list', 'n', 's']);
    expect(Object.keys(got.mutable as object)).toEqual(['b']);
  });

  it('a frozen record is kept as it is', async () => {
    const store = new MemoryStore();
    const record = Object.freeze({ version: 1, a: Object.freeze({ b: 1 }) });
    await store.compareAndSet('u', null, record);
    expect(await store.get('u')).toBe(record);
  });

  it('keeps a private copy of values that are not JSON data (a Date, bytes) and a null-prototype object', async () => {
    const store = new MemoryStore();
    const at = new Date(Date.UTC(2026, 0, 1));
    const bytes = new Uint8Array([1, 2, 3]);
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { k: 1 });
    await store.compareAndSet('u', null, { version: 1, at, bytes, bare });
    const got = (await store.get('u')) as unknown as { at: Date; bytes: Uint8Array; bare: Record<string, unknown> };
    expect(got.at).toBeInstanceOf(Date);
    expect(got.at).not.toBe(at);
    expect(got.at.getTime()).toBe(at.getTime());
    expect(got.bytes).toBeInstanceOf(Uint8Array);
    expect(got.bytes).not.toBe(bytes);
    expect([...got.bytes]).toEqual([1, 2, 3]);
    expect(Object.isFrozen(got.bare)).toBe(true);
    expect({ ...got.bare }).toEqual({ k: 1 });
  });

  it('size counts the records held', async () => {
    const store = new MemoryStore();
    expect(store.size).toBe(0);
    await store.compareAndSet('a', null, { version: 1 });
    await store.compareAndSet('b', null, { version: 1 });
    expect(store.size).toBe(2);
    await store.delete('a');
    expect(store.size).toBe(1);
  });
});
