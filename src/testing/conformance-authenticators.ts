// The several-authenticators tests of runStoreConformance, in the `lifecycle` and
// `lifecycle-concurrency` groups: records with the `authenticators()` slice (extra secrets, HOTP
// counters, e-mail/SMS destinations) round-trip through the store, and its compare-and-set keeps a
// code (TOTP, HOTP, e-mail) to one use.
import { expect, it } from 'vitest';
import { authenticators } from '../lifecycle/features/authenticators/index.js';
import { oneTimeCodes } from '../lifecycle/features/one-time-codes/index.js';
import type { MfaStore } from '../lifecycle/store.js';
import type { OneTimeCodeMessage } from '../one-time-codes.js';
import type { SecretCipher } from '../secret-cipher.js';
import { hotp } from '../hotp.js';
import { totp } from '../totp.js';
import { makeHarness, STEP, type Group } from './conformance-harness.js';

function harness(store: MfaStore, seed: string, cipher: SecretCipher | undefined) {
  const sent: OneTimeCodeMessage[] = [];
  const sender = { send: async (m: OneTimeCodeMessage) => void sent.push(m) };
  const features = [authenticators({ channels: ['email', 'sms'] }), oneTimeCodes({ sender })] as const;
  const h = makeHarness(store, seed, { features, ...(cipher === undefined ? {} : { cipher }) });
  /** A user with three active TOTP authenticators (the primary and two more). */
  async function threeAuthenticators(userId: string): Promise<Uint8Array[]> {
    const secrets = [1, 2, 3].map((n) => new Uint8Array(20).fill(n * 17));
    const imported = await h.mfa.importAuthenticator(
      userId,
      secrets.map((secret, n) => ({ secret, name: `phone ${n + 1}` })),
    );
    if (!imported.ok) throw new Error(`import failed: ${imported.reason}`);
    return secrets;
  }
  /** A TOTP user with an active e-mail authenticator (enrolled by the code sent to it). */
  async function withEmail(userId: string): Promise<{ secret: Uint8Array; id: string }> {
    const { secret } = await h.enrolled(userId);
    const added = await h.mfa.addAuthenticator(userId, { name: 'Mail', authenticator: 'email', destination: `${userId}@example.com`, proof: { code: h.code(secret) } });
    if (!added.ok) throw new Error(`addAuthenticator failed: ${added.reason}`);
    const confirmed = await h.mfa.confirmAuthenticator(userId, added.id, sent.at(-1)!.code);
    if (!confirmed.ok) throw new Error(`confirmAuthenticator failed: ${confirmed.reason}`);
    h.clock.advance(STEP);
    return { secret, id: added.id };
  }
  return { ...h, sent, threeAuthenticators, withEmail };
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

    it('authenticators(): an e-mail authenticator round-trips: enrolled and logged in by codes sent to it, listed masked', async () => {
      const { mfa, clock, sent, code, withEmail } = harness(store(), 'email', cipher);
      const user = id('email');
      const { secret, id: mail } = await withEmail(user);
      const list = await mfa.listAuthenticators(user);
      expect(list.map((a) => [a.type, a.status, a.maskedDestination ?? null])).toEqual([
        ['totp', 'active', null],
        ['email', 'active', expect.stringMatching(/^.•+@example\.com$/)],
      ]);
      expect(await mfa.sendAuthenticatorChallenge(user, mail)).toMatchObject({ ok: true, id: mail });
      expect(await mfa.verifyLogin(user, sent.at(-1)!.code)).toMatchObject({ ok: true, authenticator: mail });
      expect(await mfa.verifyLogin(user, sent.at(-1)!.code)).toEqual({ ok: false, reason: 'replayed' });
      clock.advance(STEP);
      expect(await mfa.verifyLogin(user, code(secret))).toMatchObject({ ok: true, authenticator: 'primary' });
      expect(await mfa.removeAuthenticator(user, mail, { code: code(secret) })).toMatchObject({ ok: false, reason: 'replayed' });
      clock.advance(STEP);
      expect(await mfa.removeAuthenticator(user, mail, { code: code(secret) })).toEqual({ ok: true, disabled: false });
      expect(await mfa.sendAuthenticatorChallenge(user, mail)).toEqual({ ok: false, reason: 'not_found' });
    });
  });

  group('lifecycle-concurrency', ({ store, id, concurrency }) => {
    it(`authenticators(): ${concurrency} concurrent logins with one e-mail code: exactly one success, the others replayed, nothing counted`, async () => {
      const { mfa, sent, withEmail } = harness(store(), 'race-email', cipher);
      const user = id('race-email');
      const { id: mail } = await withEmail(user);
      expect(await mfa.sendAuthenticatorChallenge(user, mail)).toMatchObject({ ok: true });
      const input = sent.at(-1)!.code;
      const results = await Promise.all(Array.from({ length: concurrency }, () => mfa.verifyLogin(user, input)));
      expect(results.filter((r) => r.ok)).toEqual([expect.objectContaining({ authenticator: mail })]);
      expect(results.filter((r) => !r.ok && r.reason === 'replayed')).toHaveLength(concurrency - 1);
      expect((await mfa.getStatus(user)).failures).toBe(0);
    });

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
