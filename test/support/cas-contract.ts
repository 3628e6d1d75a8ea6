// Raw MfaStore compare-and-set contract checks (below the lifecycle), shared by the adapter tests.
// `runStoreConformance` from src/testing proves the lifecycle on top; this proves the primitive.
import { describe, expect, it } from 'vitest';
import type { MfaStore, StoredRecord } from '../../src/lifecycle/store.js';

export interface CasContractOptions {
  /** Returns a store on an empty namespace (fresh table / key prefix). */
  readonly makeStore: () => Promise<MfaStore> | MfaStore;
  /** How many concurrent callers race for one id (default 64). */
  readonly racers?: number;
}

let ids = 0;
const nextId = (): string => `user-${ids++}-${Math.random().toString(36).slice(2, 6)}`;

/** Registers the compare-and-set contract tests for one store under `describe(name)`. */
export function casContract(name: string, options: CasContractOptions): void {
  const racers = options.racers ?? 64;

  describe(`${name}: compare-and-set contract`, () => {
    it('get of a missing id is null; delete of a missing id is a no-op', async () => {
      const store = await options.makeStore();
      const id = nextId();
      expect(await store.get(id)).toBeNull();
      await expect(store.delete(id)).resolves.toBeUndefined();
    });

    it('round-trips a record exactly (nested data, unicode, empty strings, numbers)', async () => {
      const store = await options.makeStore();
      const id = nextId();
      const record: StoredRecord = {
        version: 1,
        status: 'active',
        text: 'é – 日本語 – 😀 – "quoted" \\ back',
        empty: '',
        nested: { list: [1, 2.5, -3, true, false, null], deep: { a: [] as unknown[] } },
        big: Number.MAX_SAFE_INTEGER,
      };
      expect(await store.compareAndSet(id, null, record)).toBe(true);
      expect(await store.get(id)).toEqual(record);
    });

    it('ids with odd characters stay distinct', async () => {
      const store = await options.makeStore();
      const base = nextId();
      const odd = [`${base}:a`, `${base}:A`, `${base} a`, `${base}/ü`, `${base}'; --`];
      for (const [i, id] of odd.entries()) expect(await store.compareAndSet(id, null, { version: 1, i })).toBe(true);
      for (const [i, id] of odd.entries()) expect(await store.get(id)).toEqual({ version: 1, i });
    });

    it('insert (expected null) succeeds once, then loses without overwriting', async () => {
      const store = await options.makeStore();
      const id = nextId();
      expect(await store.compareAndSet(id, null, { version: 1, who: 'first' })).toBe(true);
      expect(await store.compareAndSet(id, null, { version: 1, who: 'second' })).toBe(false);
      expect(await store.get(id)).toEqual({ version: 1, who: 'first' });
    });

    it('update succeeds only from the stored version', async () => {
      const store = await options.makeStore();
      const id = nextId();
      await store.compareAndSet(id, null, { version: 1, n: 1 });
      expect(await store.compareAndSet(id, 1, { version: 2, n: 2 })).toBe(true);
      expect(await store.compareAndSet(id, 1, { version: 2, n: 99 })).toBe(false); // stale
      expect(await store.compareAndSet(id, 3, { version: 4, n: 99 })).toBe(false); // ahead
      expect(await store.get(id)).toEqual({ version: 2, n: 2 });
      expect(await store.compareAndSet(id, 2, { version: 3, n: 3 })).toBe(true);
      expect(await store.get(id)).toEqual({ version: 3, n: 3 });
    });

    it('update of a missing record loses; delete then insert starts over', async () => {
      const store = await options.makeStore();
      const id = nextId();
      expect(await store.compareAndSet(id, 1, { version: 2 })).toBe(false);
      expect(await store.get(id)).toBeNull();
      await store.compareAndSet(id, null, { version: 1, gen: 'a' });
      await store.delete(id);
      expect(await store.get(id)).toBeNull();
      expect(await store.compareAndSet(id, 1, { version: 2, gen: 'a' })).toBe(false);
      expect(await store.compareAndSet(id, null, { version: 1, gen: 'b' })).toBe(true);
      expect(await store.get(id)).toEqual({ version: 1, gen: 'b' });
    });

    it(`${racers} concurrent inserts of one id: exactly one wins, and its record is stored`, async () => {
      const store = await options.makeStore();
      const id = nextId();
      const results = await Promise.all(
        Array.from({ length: racers }, (_, i) => store.compareAndSet(id, null, { version: 1, winner: i })),
      );
      const winners = results.flatMap((ok, i) => (ok ? [i] : []));
      expect(winners).toHaveLength(1);
      expect(await store.get(id)).toEqual({ version: 1, winner: winners[0] });
    });

    it('a record that is not JSON data fails its own call only, not concurrent others (batched or not)', async () => {
      const store = await options.makeStore();
      const [a, b, c] = [nextId(), nextId(), nextId()];
      const results = await Promise.allSettled([
        store.compareAndSet(a, null, { version: 1 }),
        store.compareAndSet(b, null, { version: 1, n: 1n }),
        store.compareAndSet(c, null, { version: 1 }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await store.get(c)).toEqual({ version: 1 });
      expect(await store.get(b)).toBeNull();
    });

    it(`${racers} concurrent updates from one version: exactly one wins`, async () => {
      const store = await options.makeStore();
      const id = nextId();
      await store.compareAndSet(id, null, { version: 1, winner: -1 });
      const results = await Promise.all(
        Array.from({ length: racers }, (_, i) => store.compareAndSet(id, 1, { version: 2, winner: i })),
      );
      const winners = results.flatMap((ok, i) => (ok ? [i] : []));
      expect(winners).toHaveLength(1);
      expect(await store.get(id)).toEqual({ version: 2, winner: winners[0] });
    });

    it('a read-modify-write counter with retries loses no increment under contention', async () => {
      const store = await options.makeStore();
      const id = nextId();
      await store.compareAndSet(id, null, { version: 1, count: 0 });
      const workers = 8;
      const perWorker = 10;
      await Promise.all(
        Array.from({ length: workers }, async () => {
          for (let i = 0; i < perWorker; i++) {
            for (;;) {
              const current = (await store.get(id)) as { version: number; count: number };
              if (await store.compareAndSet(id, current.version, { version: current.version + 1, count: current.count + 1 })) break;
            }
          }
        }),
      );
      expect(await store.get(id)).toEqual({ version: 1 + workers * perWorker, count: workers * perWorker });
    });
  });
}
