// The store capability groups of runStoreConformance: round trip, compare-and-set, delete,
// concurrency and write isolation, each a set of vitest tests over the store under test.
import { expect, it } from 'vitest';
import { isMfaError } from '../errors.js';
import type { MfaStore, StoredRecord } from '../lifecycle/store.js';

/** @internal What each group's tests get: the store and a generator of ids unique to this run. */
export interface ConformanceContext {
  readonly store: () => MfaStore;
  readonly id: (label: string) => string;
  readonly concurrency: number;
}

const SAMPLE = {
  schema: 1,
  text: 'héllo ☃ 🔐 "quoted" back\\slash\nnewline\ttab',
  max: Number.MAX_SAFE_INTEGER,
  min: Number.MIN_SAFE_INTEGER,
  fraction: -1.5,
  zero: 0,
  flag: true,
  off: false,
  nothing: null,
  list: [1, 'two', { three: 3 }, [], [null]],
  nested: { a: { b: { c: 'deep' } }, empty: {} },
  bytes: 'AAECAwQFBgcICQ-_',
};

/** @internal Group `round-trip`. */
export function roundTrip({ store, id }: ConformanceContext): void {
  it('get of an unknown id resolves null', async () => {
    expect(await store().get(id('unknown'))).toBeNull();
  });

  it('a created record reads back equal (JSON values of every kind)', async () => {
    const key = id('json');
    const record: StoredRecord = { ...SAMPLE, version: 1 };
    expect(await store().compareAndSet(key, null, record)).toBe(true);
    expect(await store().get(key)).toEqual(record);
  });

  it('ids with unusual characters are distinct and exact', async () => {
    const base = id('ids');
    const ids = [`${base}`, `${base}:colon`, `${base}/slash`, `${base} space`, `${base}-ü-🔐`, `${base}'"quote`, `${base}%25`, `mfakit:policy:${base}`, `${base}${'x'.repeat(400)}`];
    for (const [i, key] of ids.entries()) expect(await store().compareAndSet(key, null, { version: 1, i })).toBe(true);
    for (const [i, key] of ids.entries()) expect(await store().get(key)).toEqual({ version: 1, i });
    expect(await store().get(`${base}:COLON`)).toBeNull();
  });

  // Drivers encode ids as UTF-8 and turn a lone surrogate into U+FFFD; PostgreSQL text cannot hold
  // U+0000. An id a store cannot keep exactly must be refused, never mapped onto another user's.
  it('ids a driver could alias (lone surrogates, U+0000) are refused with INVALID_INPUT or kept apart', async () => {
    const base = id('alias');
    const honest = `${base}\uFFFD`;
    expect(await store().compareAndSet(honest, null, { version: 1, who: 'honest' })).toBe(true);
    const odd = [`${base}\uD800`, `${base}\uDFFF`, `${base}\uDC00\uD800`, `${base}\uD800x`, `${base}\u0000`];
    for (const [i, key] of odd.entries()) {
      const created = await refusedOr(() => store().compareAndSet(key, null, { version: 1, i }));
      if (created === 'refused') {
        expect(await refusedOr(() => store().get(key))).toBe('refused');
        expect(await refusedOr(() => store().compareAndSet(key, 1, { version: 2, i }))).toBe('refused');
        expect(await refusedOr(() => store().delete(key))).toBe('refused');
      } else {
        expect(created).toBe(true); // false: some other id's record already sits under this key
        expect(await store().get(key)).toEqual({ version: 1, i });
        await store().delete(key);
      }
      expect(await store().get(honest)).toEqual({ version: 1, who: 'honest' });
    }
    // A well-formed surrogate pair is an ordinary character.
    expect(await store().compareAndSet(`${base}\uD83D\uDD10`, null, { version: 1, pair: true })).toBe(true);
    expect(await store().get(`${base}🔐`)).toEqual({ version: 1, pair: true });
  });

  it('mutating a returned record does not change the stored one (or is refused: frozen)', async () => {
    const key = id('copy');
    await store().compareAndSet(key, null, { version: 1, list: [1, 2], nested: { a: 1 } });
    const got = (await store().get(key)) as unknown as { list: number[]; nested: { a: number } };
    try {
      got.list.push(3);
    } catch {
      // a store may hand out frozen records
    }
    try {
      got.nested.a = 2;
    } catch {
      // idem
    }
    expect(await store().get(key)).toEqual({ version: 1, list: [1, 2], nested: { a: 1 } });
  });

  it('mutating a record after writing it does not change the stored one', async () => {
    const key = id('copy-in');
    const record = { version: 1, list: [1, 2] };
    await store().compareAndSet(key, null, record);
    record.list.push(3);
    expect(await store().get(key)).toEqual({ version: 1, list: [1, 2] });
  });
}

/** @internal The call's result, or `'refused'` when it rejected with `MfaError` `INVALID_INPUT`. */
export async function refusedOr<T>(call: () => Promise<T>): Promise<T | 'refused'> {
  try {
    return await call();
  } catch (err) {
    if (isMfaError(err, 'INVALID_INPUT')) return 'refused';
    throw err;
  }
}

/** @internal Group `compare-and-set`. */
export function compareAndSet({ store, id }: ConformanceContext): void {
  it('create-only (expected null) fails when the record exists and leaves it unchanged', async () => {
    const key = id('create');
    expect(await store().compareAndSet(key, null, { version: 1, who: 'first' })).toBe(true);
    expect(await store().compareAndSet(key, null, { version: 1, who: 'second' })).toBe(false);
    expect(await store().get(key)).toEqual({ version: 1, who: 'first' });
  });

  it('an update with the stored version succeeds and replaces the whole record', async () => {
    const key = id('update');
    await store().compareAndSet(key, null, { version: 1, a: 1, b: 2 });
    expect(await store().compareAndSet(key, 1, { version: 2, a: 3 })).toBe(true);
    expect(await store().get(key)).toEqual({ version: 2, a: 3 });
  });

  it('an update with a stale or future version fails and never overwrites', async () => {
    const key = id('stale');
    await store().compareAndSet(key, null, { version: 1, v: 'one' });
    await store().compareAndSet(key, 1, { version: 2, v: 'two' });
    expect(await store().compareAndSet(key, 1, { version: 2, v: 'stale' })).toBe(false);
    expect(await store().compareAndSet(key, 3, { version: 4, v: 'future' })).toBe(false);
    expect(await store().get(key)).toEqual({ version: 2, v: 'two' });
  });

  it('an update of a missing record fails and creates nothing', async () => {
    const key = id('missing');
    expect(await store().compareAndSet(key, 1, { version: 2 })).toBe(false);
    expect(await store().get(key)).toBeNull();
  });

  it('a record is isolated from every other id', async () => {
    const a = id('iso-a');
    const b = id('iso-b');
    await store().compareAndSet(a, null, { version: 1, x: 'a' });
    await store().compareAndSet(b, null, { version: 1, x: 'b' });
    await store().compareAndSet(a, 1, { version: 2, x: 'a2' });
    expect(await store().get(b)).toEqual({ version: 1, x: 'b' });
  });
}

/** @internal Group `delete`. */
export function deletion({ store, id }: ConformanceContext): void {
  it('delete removes a record; it can be created again from scratch', async () => {
    const key = id('delete');
    await store().compareAndSet(key, null, { version: 1 });
    await store().delete(key);
    expect(await store().get(key)).toBeNull();
    expect(await store().compareAndSet(key, 1, { version: 2 })).toBe(false);
    expect(await store().compareAndSet(key, null, { version: 1, again: true })).toBe(true);
    expect(await store().get(key)).toEqual({ version: 1, again: true });
  });

  it('delete of a missing id resolves and touches nothing else', async () => {
    const keep = id('keep');
    await store().compareAndSet(keep, null, { version: 1 });
    await expect(store().delete(id('never'))).resolves.toBeUndefined();
    expect(await store().get(keep)).toEqual({ version: 1 });
  });
}

/** @internal Group `concurrency`. */
export function concurrencyGroup({ store, id, concurrency }: ConformanceContext): void {
  it(`${concurrency} concurrent creates of one id: exactly one wins`, async () => {
    const key = id('race-create');
    const wins = await Promise.all(
      Array.from({ length: concurrency }, (_, i) => store().compareAndSet(key, null, { version: 1, i })),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await store().get(key)).toEqual({ version: 1, i: wins.indexOf(true) });
  });

  it(`${concurrency} concurrent updates from one version: exactly one wins`, async () => {
    const key = id('race-update');
    await store().compareAndSet(key, null, { version: 1 });
    const wins = await Promise.all(
      Array.from({ length: concurrency }, (_, i) => store().compareAndSet(key, 1, { version: 2, i })),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await store().get(key)).toEqual({ version: 2, i: wins.indexOf(true) });
  });

  it('concurrent read-modify-write loops lose no update', async () => {
    const key = id('increments');
    const writers = Math.min(concurrency, 16);
    const rounds = 4;
    await store().compareAndSet(key, null, { version: 1, count: 0 });
    await Promise.all(
      Array.from({ length: writers }, async () => {
        for (let round = 0; round < rounds; round++) {
          for (;;) {
            const cur = (await store().get(key)) as { version: number; count: number };
            if (await store().compareAndSet(key, cur.version, { version: cur.version + 1, count: cur.count + 1 })) break;
          }
        }
      }),
    );
    expect(await store().get(key)).toEqual({ version: writers * rounds + 1, count: writers * rounds });
  });
}

/** @internal Group `write-isolation`. */
export function writeIsolation({ store, id }: ConformanceContext): void {
  // Started in the same turn, so a batching store puts the three writes in one batch: the bad one
  // must fail alone, and the good ones must still be committed.
  it('a record that is not JSON data fails its own call only, not concurrent others', async () => {
    const [a, b, c] = [id('iso-ok-1'), id('iso-bigint'), id('iso-ok-2')];
    const results = await Promise.allSettled([
      store().compareAndSet(a, null, { version: 1 }),
      store().compareAndSet(b, null, { version: 1, n: 1n }),
      store().compareAndSet(c, null, { version: 1 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : null))).toEqual([true, null, true]);
    expect(await store().get(a)).toEqual({ version: 1 });
    expect(await store().get(c)).toEqual({ version: 1 });
    expect(await store().get(b)).toBeNull();
  });
}
