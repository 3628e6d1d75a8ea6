// The `lookup` capability group of runStoreConformance: the store's lookup index (MfaLookupStore)
// follows every write and delete, and a key a write removed never resolves after that write, which
// is what keeps a revoked API key from authenticating. Then the same through the lifecycle:
// verifyApiKey finds a key's owner, and revoking, replacing, resetting or deleting ends it.
import { expect, it } from 'vitest';
import { createMfa } from '../lifecycle/service.js';
import { apiPasswords } from '../lifecycle/features/api-passwords/index.js';
import type { MfaLookupStore, MfaStore } from '../lifecycle/store.js';
import { FakeClock } from './fake-clock.js';
import { seededRandom } from './seeded-random.js';

/** How conformance.ts registers a capability group (declared here: no import cycle). */
type Group = (
  capability: 'lookup',
  body: (ctx: { readonly store: () => MfaStore; readonly id: (label: string) => string; readonly concurrency: number }) => void,
) => void;

function lookupStore(store: MfaStore): MfaLookupStore {
  const lookup = (store as Partial<MfaLookupStore>).lookup;
  if (typeof lookup !== 'function') {
    throw new Error('the store has no lookup(key) method: implement MfaLookupStore, or skip the lookup group with a reason');
  }
  return store as MfaLookupStore;
}

export function lookupConformance(group: Group): void {
  group('lookup', ({ store, id, concurrency }) => {
    const s = (): MfaLookupStore => lookupStore(store());

    it('a key in a written record resolves to its id; an unknown key to null', async () => {
      const [a, k1, k2] = [id('lk-a'), id('key'), id('key')];
      expect(await s().compareAndSet(a, null, { version: 1, lookupKeys: [k1, k2] })).toBe(true);
      expect(await s().lookup(k1)).toBe(a);
      expect(await s().lookup(k2)).toBe(a);
      expect(await s().lookup(id('never-written'))).toBeNull();
    });

    it('an update that drops a key stops it resolving when the write returns; kept and added keys resolve', async () => {
      const [a, kept, dropped, added] = [id('lk-upd'), id('kept'), id('dropped'), id('added')];
      await s().compareAndSet(a, null, { version: 1, lookupKeys: [kept, dropped] });
      expect(await s().compareAndSet(a, 1, { version: 2, lookupKeys: [kept, added] })).toBe(true);
      expect(await s().lookup(dropped)).toBeNull();
      expect(await s().lookup(kept)).toBe(a);
      expect(await s().lookup(added)).toBe(a);
      expect(await s().compareAndSet(a, 2, { version: 3, lookupKeys: [] })).toBe(true);
      expect(await s().lookup(kept)).toBeNull();
      expect(await s().lookup(added)).toBeNull();
    });

    it('a write without lookupKeys keeps nothing indexed for it; a write that omits the field drops the old keys', async () => {
      const [a, k] = [id('lk-omit'), id('key')];
      await s().compareAndSet(a, null, { version: 1 });
      expect(await s().lookup(k)).toBeNull();
      await s().compareAndSet(a, 1, { version: 2, lookupKeys: [k] });
      expect(await s().lookup(k)).toBe(a);
      await s().compareAndSet(a, 2, { version: 3 });
      expect(await s().lookup(k)).toBeNull();
    });

    it('a compare-and-set that loses changes no index entry', async () => {
      const [a, k, intruder] = [id('lk-lost'), id('key'), id('intruder')];
      await s().compareAndSet(a, null, { version: 1, lookupKeys: [k] });
      expect(await s().compareAndSet(a, 5, { version: 6, lookupKeys: [intruder] })).toBe(false);
      expect(await s().compareAndSet(a, null, { version: 1, lookupKeys: [intruder] })).toBe(false);
      expect(await s().lookup(intruder)).toBeNull();
      expect(await s().lookup(k)).toBe(a);
    });

    it('delete drops every key of the record; other records keep theirs', async () => {
      const [a, b, ka, kb] = [id('lk-del-a'), id('lk-del-b'), id('key'), id('key')];
      await s().compareAndSet(a, null, { version: 1, lookupKeys: [ka] });
      await s().compareAndSet(b, null, { version: 1, lookupKeys: [kb] });
      await s().delete(a);
      expect(await s().lookup(ka)).toBeNull();
      expect(await s().lookup(kb)).toBe(b);
      await s().compareAndSet(a, null, { version: 1 });
      expect(await s().lookup(ka)).toBeNull();
    });

    it('malformed lookupKeys (not an array, entries that are not strings) index nothing and do not fail the write', async () => {
      const [a, b, k] = [id('lk-bad-a'), id('lk-bad-b'), id('key')];
      expect(await s().compareAndSet(a, null, { version: 1, lookupKeys: k })).toBe(true);
      expect(await s().lookup(k)).toBeNull();
      expect(await s().compareAndSet(b, null, { version: 1, lookupKeys: [7, null, { k }, k] })).toBe(true);
      expect(await s().lookup(k)).toBe(b);
      expect(await s().lookup('7')).toBeNull();
    });

    it(`${concurrency} concurrent updates from one version, each adding its own key: only the winner's resolves`, async () => {
      const a = id('lk-race');
      await s().compareAndSet(a, null, { version: 1, lookupKeys: [] });
      const keys = Array.from({ length: concurrency }, (_, i) => id(`race-${i}`));
      const won = await Promise.all(keys.map((k) => s().compareAndSet(a, 1, { version: 2, lookupKeys: [k] })));
      expect(won.filter(Boolean)).toHaveLength(1);
      const resolved = await Promise.all(keys.map((k) => s().lookup(k)));
      expect(resolved.map((r, i) => (r === null ? null : keys[i]))).toEqual(keys.map((k, i) => (won[i] ? k : null)));
    });

    it('verifyApiKey: a key resolves to its owner; revoked, reset or removed, it never resolves again', async () => {
      const clock = new FakeClock(1_700_000_000_000);
      const mfa = createMfa({ store: store(), issuer: 'Conformance', clock, rng: seededRandom('lookup'), features: [apiPasswords({ maxPerUser: 2 })] });
      const [alice, bob] = [id('key-alice'), id('key-bob')];
      const a1 = await mfa.issueApiPassword(alice, { label: 'ci' });
      const b1 = await mfa.issueApiPassword(bob);
      if (!a1.ok || !b1.ok) throw new Error('issueApiPassword failed');
      expect(await mfa.verifyApiKey(a1.password)).toEqual({ ok: true, userId: alice, keyId: a1.id, label: 'ci' });
      expect(await mfa.verifyApiKey(b1.password)).toMatchObject({ ok: true, userId: bob });
      expect(await mfa.revokeApiPassword(alice, a1.id)).toEqual({ ok: true, revoked: true });
      expect(await mfa.verifyApiKey(a1.password)).toEqual({ ok: false, reason: 'unknown_key' });
      const a2 = await mfa.issueApiPassword(alice);
      if (!a2.ok) throw new Error('issueApiPassword failed');
      expect(await mfa.verifyApiKey(a2.password)).toMatchObject({ ok: true, userId: alice });
      await mfa.adminReset(alice, { actor: 'conformance' });
      expect(await mfa.verifyApiKey(a2.password)).toEqual({ ok: false, reason: 'unknown_key' });
      await mfa.removeUser(bob);
      expect(await mfa.verifyApiKey(b1.password)).toEqual({ ok: false, reason: 'unknown_key' });
    });
  });
}
