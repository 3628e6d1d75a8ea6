// The several-authenticators tests of runStoreConformance, in the `lifecycle` and
// `lifecycle-concurrency` groups: records with the `authenticators()` slice (extra secrets, HOTP
// counters) round-trip through the store, and its compare-and-set keeps a code to one use.
import { expect, it } from 'vitest';
import { createMfa } from '../lifecycle/service.js';
import { authenticators } from '../lifecycle/features/authenticators/index.js';
import type { MfaStore } from '../lifecycle/store.js';
import type { SecretCipher } from '../secret-cipher.js';
import { hotp } from '../hotp.js';
import { totp } from '../totp.js';
import { FakeClock } from './fake-clock.js';
import { seededRandom } from './seeded-random.js';
import { sealedWith } from './conformance-harness.js';

type Group = (
  capability: 'lifecycle' | 'lifecycle-concurrency',
  body: (ctx: { readonly store: () => MfaStore; readonly id: (label: string) => string; readonly concurrency: number }) => void,
) => void;

const STEP = 30_000;

function harness(store: MfaStore, seed: string, cipher: SecretCipher | undefined) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0) + 10_000);
  const mfa = createMfa({
    store,
    issuer: 'Conformance',
    clock,
    rng: seededRandom(seed),
    maxAttempts: 1000,
    features: [authenticators(), ...sealedWith(cipher)],
  });
  const code = (secret: Uint8Array): string => totp(secret, { time: clock.now() });
  /** A user with three active TOTP authenticators (the primary and two more). */
  async function threeAuthenticators(userId: string): Promise<Uint8Array[]> {
    const secrets = [1, 2, 3].map((n) => new Uint8Array(20).fill(n * 17));
    const imported = await mfa.importAuthenticator(
      userId,
      secrets.map((secret, n) => ({ secret, name: `phone ${n + 1}` })),
    );
    if (!imported.ok) throw new Error(`import failed: ${imported.reason}`);
    return secrets;
  }
  return { mfa, clock, code, threeAuthenticators };
}

/** @internal Registers the several-authenticators tests. */
export function authenticatorsConformance(group: Group, cipher?: SecretCipher): void {
  group('lifecycle', ({ store, id }) => {
    it('authenticators(): several authenticators round-trip; each logs in; the list names them', async () => {
      const { mfa, clock, code, threeAuthenticators } = harness(store(), 'several', cipher);
      const user = id('several');
      const secrets = await threeAuthenticators(user);
      const list = await mfa.listAuthenticators(user);
      expect(list.map((a) => [a.name, a.type, a.status])).toEqual([
        ['phone 1', 'totp', 'active'],
        ['phone 2', 'totp', 'active'],
        ['phone 3', 'totp', 'active'],
      ]);
      for (const [n, secret] of secrets.entries()) {
        clock.advance(STEP);
        expect(await mfa.verifyLogin(user, code(secret))).toMatchObject({ ok: true, authenticator: list[n]!.id });
      }
      expect(await mfa.removeAuthenticator(user, list[1]!.id, { code: code(secrets[0]!) })).toEqual({ ok: true, disabled: false });
      clock.advance(STEP);
      expect(await mfa.verifyLogin(user, code(secrets[1]!))).toMatchObject({ ok: false, reason: 'mismatch' });
    });

    it('authenticators(): an imported lastStep is kept: a replay of that step is refused', async () => {
      const { mfa, clock } = harness(store(), 'import-replay', cipher);
      const user = id('import-replay');
      const secret = new Uint8Array(20).fill(9);
      const step = Math.floor(clock.now() / STEP);
      expect((await mfa.importAuthenticator(user, { secret, name: 'Imported', lastStep: step })).ok).toBe(true);
      expect(await mfa.verifyLogin(user, totp(secret, { time: clock.now() }))).toMatchObject({ ok: false, reason: 'replayed' });
      clock.advance(STEP);
      expect(await mfa.verifyLogin(user, totp(secret, { time: clock.now() }))).toMatchObject({ ok: true });
    });
  });

  group('lifecycle-concurrency', ({ store, id, concurrency }) => {
    it(`authenticators(): ${concurrency} concurrent logins with one code of one of three authenticators: exactly one success`, async () => {
      const { mfa, clock, code, threeAuthenticators } = harness(store(), 'race-three', cipher);
      const user = id('race-three');
      const secrets = await threeAuthenticators(user);
      clock.advance(STEP);
      const input = code(secrets[1]!);
      const results = await Promise.all(Array.from({ length: concurrency }, () => mfa.verifyLogin(user, input)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.reason === 'replayed')).toHaveLength(concurrency - 1);
      // The other authenticators' codes of the same step still work.
      expect(await mfa.verifyLogin(user, code(secrets[2]!))).toMatchObject({ ok: true });
    });

    it(`authenticators(): ${concurrency} concurrent logins with one HOTP code: the counter moves once`, async () => {
      const { mfa } = harness(store(), 'race-hotp', cipher);
      const user = id('race-hotp');
      const secret = new Uint8Array(20).fill(77);
      expect((await mfa.importAuthenticator(user, { secret, type: 'hotp', counter: 3, name: 'Token' })).ok).toBe(true);
      const input = hotp(secret, 5);
      const results = await Promise.all(Array.from({ length: concurrency }, () => mfa.verifyLogin(user, input)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.reason === 'replayed')).toHaveLength(concurrency - 1);
      const stored = (await store().get(user)) as unknown as { method: { counter: number } };
      expect(stored.method.counter).toBe(6);
      expect(await mfa.verifyLogin(user, hotp(secret, 5))).toMatchObject({ ok: false });
      expect(await mfa.verifyLogin(user, hotp(secret, 6))).toMatchObject({ ok: true });
    });
  });
}
