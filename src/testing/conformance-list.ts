// The listing capability groups of runStoreConformance: `list` (keyset pages over the ids, stable
// under concurrent writes, code point order, limits) and `key-rotation` (reencryptAll over `list`
// with compare-and-set, racing logins). Each test scans only the ids it created (they share a
// prefix unique to the run, so they are contiguous in code point order), so leftover data is fine.
import { expect, it } from 'vitest';
import { isMfaError } from '../errors.js';
import type { MfaStore, StoredRecord } from '../lifecycle/store.js';
import { createMfa } from '../lifecycle/service.js';
import { userListing } from '../lifecycle/features/user-listing/index.js';
import { reencryptAll, type ReencryptProgress } from '../lifecycle/features/key-rotation/reencrypt.js';
import { aesGcmCipher } from '../aes-gcm-cipher.js';
import { encryptedSecrets } from '../lifecycle/features/encrypted-secrets/index.js';
import { policies } from '../lifecycle/features/policy/index.js';
import { totp } from '../totp.js';
import { FakeClock } from './fake-clock.js';
import { seededRandom } from './seeded-random.js';

/** How conformance.ts registers a group (declared here: conformance.ts imports this file). */
type Group = (
  capability: 'list' | 'key-rotation',
  body: (ctx: { readonly store: () => MfaStore; readonly id: (label: string) => string; readonly concurrency: number }) => void,
) => void;

/** Code point order, written independently of the library's comparator. */
const byCodePoint = (a: string, b: string): number => {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
};

function listOf(store: MfaStore): NonNullable<MfaStore['list']> {
  if (typeof store.list !== 'function') throw new Error('the store has no list(): implement it or skip the "list" group with a reason');
  return store.list.bind(store);
}

/** Every entry under `prefix`, page by page; `between` runs after each page (concurrent writes). */
async function scan(store: MfaStore, prefix: string, limit: number, between?: () => Promise<void>): Promise<{ id: string; record: StoredRecord }[]> {
  const list = listOf(store);
  const out: { id: string; record: StoredRecord }[] = [];
  let after: string | null = prefix;
  for (let pages = 0; after !== null; pages++) {
    if (pages > 10_000) throw new Error('list never ends');
    const page = await list({ after, limit });
    expect(page.entries.length).toBeLessThanOrEqual(limit);
    for (const entry of page.entries) {
      if (!entry.id.startsWith(prefix)) return out;
      out.push(entry);
    }
    after = page.next;
    await between?.();
  }
  return out;
}

async function rejectsWith(call: () => Promise<unknown>, code: string): Promise<void> {
  let error: unknown;
  try {
    await call();
  } catch (err) {
    error = err;
  }
  expect(isMfaError(error, code as never), `expected MfaError ${code}`).toBe(true);
}

export function listConformance(group: Group): void {
  group('list', ({ store, id }) => {
    it('pages cover every id that exists for the whole scan exactly once, in code point order, while another task writes', async () => {
      const prefix = `${id('list-race')}/`;
      const stable = Array.from({ length: 120 }, (_, i) => `${prefix}s${String(i).padStart(3, '0')}`);
      const doomed = Array.from({ length: 30 }, (_, i) => `${prefix}d${String(i).padStart(3, '0')}`);
      await Promise.all([...stable, ...doomed].map((key) => store().compareAndSet(key, null, { version: 1, n: 0 })));
      let writes = 0;
      // Between pages: update stable records, create new ids, delete the doomed ones.
      const writer = async (): Promise<void> => {
        for (let k = 0; k < 4; k++, writes++) {
          const key = stable[(writes * 7) % stable.length]!;
          const current = (await store().get(key))!;
          await store().compareAndSet(key, current.version, { version: current.version + 1, n: (current.n as number) + 1 });
          await store().compareAndSet(`${prefix}n${String(writes).padStart(3, '0')}`, null, { version: 1 });
          if (writes < doomed.length) await store().delete(doomed[writes]!);
        }
      };
      const entries = await scan(store(), prefix, 7, writer);
      const ids = entries.map((e) => e.id);
      expect(writes).toBeGreaterThan(40);
      expect(new Set(ids).size).toBe(ids.length); // no duplicates
      for (let i = 1; i < ids.length; i++) expect(byCodePoint(ids[i - 1]!, ids[i]!)).toBeLessThan(0);
      for (const key of stable) expect(ids.filter((x) => x === key)).toHaveLength(1);
      // The records come with the page, as get returns them (stable ones: some version of it).
      for (const entry of entries) expect(entry.record.version).toBeGreaterThanOrEqual(1);
    });

    it('ids with unusual characters come back in code point order (the UTF-8 byte order)', async () => {
      const prefix = `${id('list-order')}/`;
      const tails = ['A', 'a', '~', ' ', '%25', 'é', 'ü', '\u00ff', '中', '\uE000', '\uFFFD', '😀', '🔐x', '\u{10FFFD}', 'a\u0301', "'\"", '{tag}', ':', 'Z'.repeat(300)];
      const keys = tails.map((t) => prefix + t);
      for (const [i, key] of keys.entries()) expect(await store().compareAndSet(key, null, { version: 1, i })).toBe(true);
      const listed = await scan(store(), prefix, 4);
      expect(listed.map((e) => e.id)).toEqual([...keys].sort(byCodePoint));
      for (const entry of listed) expect(entry.record).toEqual(await store().get(entry.id));
    });

    it('a page holds at most limit entries; limit 1 walks one id at a time', async () => {
      const prefix = `${id('list-limit')}/`;
      const keys = ['a', 'b', 'c'].map((t) => prefix + t);
      for (const key of keys) await store().compareAndSet(key, null, { version: 1 });
      expect((await scan(store(), prefix, 1)).map((e) => e.id)).toEqual(keys);
      expect((await scan(store(), prefix, 1000)).map((e) => e.id)).toEqual(keys);
      const first = await listOf(store())({ after: prefix, limit: 2 });
      expect(first.entries.map((e) => e.id)).toEqual(keys.slice(0, 2));
      expect(first.next).toBe(keys[1]);
    });

    it('limits outside 1..1000 and a bad cursor are refused', async () => {
      const list = listOf(store());
      for (const limit of [0, -1, 1.5, 1001, Number.NaN, undefined, '10']) {
        await rejectsWith(() => list({ limit } as never), 'INVALID_OPTION');
      }
      await rejectsWith(() => list({ after: 42, limit: 1 } as never), 'INVALID_OPTION');
      await rejectsWith(() => list({ after: 'x\uD800', limit: 1 }), 'INVALID_OPTION');
      await rejectsWith(() => list({ after: 'x\u0000', limit: 1 }), 'INVALID_OPTION');
    });

    it('past the last id (or in an empty store): an empty page and no next', async () => {
      const page = await listOf(store())({ after: '\u{10FFFF}\u{10FFFF}\u{10FFFF}', limit: 10 });
      expect(page).toEqual({ entries: [], next: null });
    });

    it('listUsers pages users with their status and never lists scope policies', async () => {
      const prefix = `${id('list-users')}/`;
      const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 10));
      const mfa = createMfa({ store: store(), issuer: 'Conformance', clock, rng: seededRandom(prefix), features: [userListing(), policies()] });
      const users = ['u1', 'u2', 'u3', 'u4', 'u5'].map((u) => prefix + u);
      for (const u of users) await mfa.beginEnrollment(u, { account: `${u}@example.com` });
      await mfa.setPolicy({ userId: users[1]! }, { required: true }, { actor: 'admin' });
      await mfa.setPolicy({ scope: prefix }, { required: true }, { actor: 'admin' }); // stored as mfakit:policy:…
      const seen: { userId: string; status: unknown }[] = [];
      let after: string | null = prefix;
      while (after !== null) {
        const page: Awaited<ReturnType<typeof mfa.listUsers>> = await mfa.listUsers({ after, limit: 2 });
        expect(page.users.length).toBeLessThanOrEqual(2);
        for (const user of page.users) if (user.userId.startsWith(prefix)) seen.push(user);
        after = page.users.some((u) => !u.userId.startsWith(prefix)) ? null : page.next;
      }
      expect(seen.map((u) => u.userId)).toEqual(users);
      for (const user of seen) expect(user.status).toEqual(await mfa.getStatus(user.userId));
      expect(seen.some((u) => u.userId.startsWith('mfakit:'))).toBe(false);
    });
  });

  group('key-rotation', ({ store, id }) => {
    it('reencryptAll moves every secret to the new key while logins race it; no login is lost', async () => {
      const prefix = `${id('rotate')}/`;
      const k1 = crypto.getRandomValues(new Uint8Array(32));
      const k2 = crypto.getRandomValues(new Uint8Array(32));
      // Key ids unique to the run: records of other runs sharing the store cannot open with them.
      const [old, next] = [`a${prefix.length}${Math.random().toString(36).slice(2, 10)}`, `b${Math.random().toString(36).slice(2, 10)}`];
      const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 10));
      const before = createMfa({ store: store(), issuer: 'C', clock, rng: seededRandom(prefix), features: [encryptedSecrets(aesGcmCipher({ keys: { [old]: k1 }, current: old }))] });
      const rotated = aesGcmCipher({ keys: { [old]: k1, [next]: k2 }, current: next });
      const after = createMfa({ store: store(), issuer: 'C', clock, rng: seededRandom(`${prefix}2`), features: [encryptedSecrets(rotated)] });
      const users = Array.from({ length: 24 }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);
      const secrets = new Map<string, Uint8Array>();
      for (const u of users) {
        const begun = await before.beginEnrollment(u, { account: u });
        if (!begun.ok) throw new Error('enrolment failed');
        secrets.set(u, begun.secret);
        expect((await before.confirmEnrollment(u, totp(begun.secret, { time: clock.now() }))).ok).toBe(true);
      }
      clock.advance(30_000);
      // Every user logs in during the rotation, with the new cipher set (the app was redeployed).
      const logins = users.map(async (u, i) => {
        await new Promise((r) => setTimeout(r, i % 5));
        return after.verifyLogin(u, totp(secrets.get(u)!, { time: clock.now() }));
      });
      const progress: ReencryptProgress[] = [];
      for await (const p of reencryptAll(store(), rotated, { batchSize: 5 })) progress.push(p);
      const results = await Promise.all(logins);
      expect(results.every((r) => r.ok)).toBe(true);
      const last = progress.at(-1)!;
      expect(last.done).toBe(true);
      expect(last.scanned).toBeGreaterThanOrEqual(users.length);
      for (const u of users) {
        const data = (await store().get(u)) as unknown as { method: { secret: string; lastStep: number | null } };
        expect(rotated.keyIdOf(data.method.secret)).toBe(next); // on the new key
        // The login was not lost: the code it used is now a replay.
        expect(data.method.lastStep).toBe(Math.floor(clock.now() / 30_000));
        const replay = await after.verifyLogin(u, totp(secrets.get(u)!, { time: clock.now() }));
        expect(replay.ok).toBe(false);
      }
      // The new key alone now opens every secret.
      clock.advance(30_000);
      const onlyNew = createMfa({ store: store(), issuer: 'C', clock, features: [encryptedSecrets(aesGcmCipher({ keys: { [next]: k2 }, current: next }))] });
      for (const u of users) expect((await onlyNew.verifyLogin(u, totp(secrets.get(u)!, { time: clock.now() }))).ok).toBe(true);
      // A second run finds nothing left to do for these users.
      let again: ReencryptProgress | undefined;
      for await (const p of reencryptAll(store(), rotated, { batchSize: 50, after: prefix })) again = p;
      expect(again!.failures.filter((f) => f.userId.startsWith(prefix))).toEqual([]);
    });
  });
}
