// The lifecycle capability groups of runStoreConformance: the whole MFA flow through `createMfa` on
// the store under test (lifecycle), and records sealed by a cipher (encrypted-secrets); the
// concurrency group is in conformance-lifecycle-concurrency.ts. One test per guarantee a store must
// keep, each self-contained so an adapter author can read the one that fails.
import { expect, it } from 'vitest';
import { createMfa } from '../lifecycle/service.js';
import { policies } from '../lifecycle/features/policy/index.js';
import type { SecretCipher } from '../secret-cipher.js';
import { aesGcmCipher } from '../aes-gcm-cipher.js';
import { encodeBase32 } from '../base32.js';
import { totp } from '../totp.js';
import { unpackRecoveryCodes, type StoredRecoveryCodeSet } from '../recovery-code-set.js';
import { harnessWith, makeHarness, sealedWith, STEP, toyCipher, type Group } from './conformance-harness.js';
import { lifecycleConcurrency } from './conformance-lifecycle-concurrency.js';

/** @internal Registers the lifecycle groups: `lifecycle`, `lifecycle-concurrency`, `encrypted-secrets`. */
export function lifecycleConformance(group: Group, cipher?: SecretCipher): void {
  const harness = harnessWith(cipher);
  group('lifecycle', ({ store, id }) => {
    it('the whole flow: enrol, confirm, login, recovery code, reset, disable', async () => {
      const { mfa, clock, code } = harness(store(), 'flow');
      const user = id('flow');
      expect(await mfa.loginRequirement(user)).toBe('none');
      const begun = await mfa.beginEnrollment(user, { account: 'alice@example.com' });
      expect(begun.ok).toBe(true);
      if (!begun.ok) return;
      expect(await mfa.loginRequirement(user)).toBe('confirm');
      const confirmed = await mfa.confirmEnrollment(user, code(begun.secret));
      expect(confirmed.ok).toBe(true);
      if (!confirmed.ok) return;
      expect(await mfa.loginRequirement(user)).toBe('verify');
      clock.advance(STEP);
      expect(await mfa.verifyLogin(user, code(begun.secret))).toMatchObject({ ok: true, method: 'totp' });
      expect(await mfa.verifyLogin(user, code(begun.secret))).toEqual({ ok: false, reason: 'replayed' });
      expect(await mfa.verifyLogin(user, confirmed.recoveryCodes[0]!)).toEqual({
        ok: true,
        method: 'recovery',
        remainingRecoveryCodes: 19, epoch: 0,
      });
      const reset = await mfa.resetSecret(user);
      expect(reset.ok).toBe(true);
      if (!reset.ok) return;
      expect(await mfa.verifyLogin(user, code(begun.secret))).toEqual({ ok: false, reason: 'not_enrolled' });
      expect((await mfa.confirmEnrollment(user, code(reset.secret))).ok).toBe(true);
      clock.advance(STEP);
      expect(await mfa.disable(user, { code: code(reset.secret) })).toEqual({ ok: true, previous: 'active' });
      expect(await mfa.loginRequirement(user)).toBe('none');
    });

    it('scope and user policies are stored and enforced', async () => {
      const { mfa, enrolled, code, clock } = harness(store(), 'policy');
      const scope = id('org');
      const user = id('member');
      const scoped = createMfa({ store: store(), issuer: 'Conformance', clock, features: [policies({ scopes: () => [scope] }), ...sealedWith(cipher)] });
      expect(await scoped.loginRequirement(user)).toBe('none');
      await mfa.setPolicy({ scope }, { required: true }, { actor: 'conformance' });
      expect(await mfa.getPolicy({ scope })).toEqual({ required: true });
      expect(await scoped.loginRequirement(user)).toBe('enroll');
      await mfa.setPolicy({ userId: user }, { required: true }, { actor: 'conformance' });
      expect(await mfa.getPolicy({ userId: user })).toEqual({ required: true });
      const { secret } = await enrolled(user);
      expect(await scoped.disable(user, { code: code(secret) })).toEqual({ ok: false, reason: 'policy' });
      await mfa.setPolicy({ scope }, null, { actor: 'conformance' });
      expect(await mfa.getPolicy({ scope })).toBeNull();
    });

    it('lockout state persists through the store', async () => {
      const { mfa, enrolled } = harness(store(), 'lockout');
      const user = id('locked');
      await enrolled(user);
      for (let i = 0; i < 4; i++) expect((await mfa.verifyLogin(user, '000000')).ok).toBe(false);
      const fifth = await mfa.verifyLogin(user, '000000');
      expect(fifth).toMatchObject({ ok: false });
      const status = await mfa.getStatus(user);
      expect(status.failures).toBeGreaterThanOrEqual(4);
    });
    it('a pending enrolment expires after pendingTtl; the record and everything else in it stay', async () => {
      const { mfa, clock, enrolled } = harness(store(), 'expiry');
      const user = id('expiry');
      await mfa.setPolicy({ userId: user }, { required: true }, { actor: 'conformance' });
      const api = await mfa.issueApiPassword(user, { label: 'ci' });
      if (!api.ok) throw new Error('issueApiPassword failed');
      const begun = await mfa.beginEnrollment(user, { account: 'expiry@example.com' });
      if (!begun.ok) throw new Error('beginEnrollment failed');
      expect(await mfa.confirmEnrollment(user, '000000')).toMatchObject({ ok: false, reason: 'mismatch' });
      clock.advance(24 * 3_600_000);
      // Exactly pendingTtl (default 24 h) after the enrolment began: too late, whatever was stored.
      expect(await mfa.loginRequirement(user)).toBe('enroll');
      expect(await mfa.pendingEnrollment(user)).toBeNull();
      const late = totp(begun.secret, { time: clock.now() });
      expect(await mfa.confirmEnrollment(user, late)).toEqual({ ok: false, reason: 'expired' });
      const raw = (await store().get(user)) as Record<string, unknown> | null;
      expect(raw).toMatchObject({ status: 'disabled', method: null, policy: { required: true }, failures: 1 });
      expect(JSON.stringify(raw)).not.toContain(encodeBase32(begun.secret));
      expect((await mfa.verifyApiPassword(user, api.password)).ok).toBe(true);
      expect(await mfa.confirmEnrollment(user, late)).toEqual({ ok: false, reason: 'not_pending' });
      // A reset that expires leaves a user who had MFA: set it up again, and the API keeps refusing the password.
      const other = id('expiry-reset');
      const { recoveryCodes } = await enrolled(other);
      expect((await mfa.resetSecret(other, { proof: { code: recoveryCodes[0]! } })).ok).toBe(true);
      clock.advance(24 * 3_600_000 - 1);
      expect(await mfa.loginRequirement(other)).toBe('confirm');
      clock.advance(1);
      expect(await mfa.loginRequirement(other)).toBe('enroll');
      expect(await mfa.passwordAuthAllowed(other, 'api')).toBe(false);
      expect(await mfa.disable(other, { code: recoveryCodes[1]! })).toEqual({ ok: false, reason: 'proof_required' });
      expect(await store().get(other)).toMatchObject({ status: 'disabled', method: null });
      expect((await mfa.beginEnrollment(other, { account: 'again@example.com' })).ok).toBe(true);
      expect(await mfa.loginRequirement(other)).toBe('confirm');
    });
  });

  lifecycleConcurrency(group, harness);

  group('encrypted-secrets', ({ store, id }) => {
    it('a record whose secret is sealed by a SecretCipher round-trips and verifies', async () => {
      const { mfa, code, enrolled } = harness(store(), 'sealed', { cipher: toyCipher });
      const user = id('sealed');
      const { secret } = await enrolled(user);
      const raw = (await store().get(user)) as unknown as { method: { secret: string; secretSealed?: boolean } };
      expect(raw.method.secretSealed).toBe(true);
      expect(raw.method.secret.startsWith('toy1.')).toBe(true);
      expect((await mfa.verifyLogin(user, code(secret))).ok).toBe(true);
      const after = (await store().get(user)) as unknown as { method: { secret: string } };
      expect(after.method.secret).toBe(raw.method.secret);
      // A service without encryptedSecrets(cipher) refuses the sealed secret: never read as a key.
      const plain = makeHarness(store(), 'sealed-plain');
      await expect(plain.mfa.verifyLogin(user, code(secret))).rejects.toMatchObject({ code: 'CIPHER_FAILURE', message: expect.stringContaining('encryptedSecrets(cipher)') });
    });

    it('aesGcmCipher: sealed v2.<keyId> records verify, and move to the current key on the next write', async () => {
      const k1 = new Uint8Array(32).fill(0x11);
      const k2 = new Uint8Array(32).fill(0x22);
      const old = harness(store(), 'aes', { cipher: aesGcmCipher({ keys: { k1 }, current: 'k1' }) });
      const user = id('aes');
      const { secret, recoveryCodes } = await old.enrolled(user);
      const raw = (await store().get(user)) as unknown as { method: { secret: string; secretSealed?: boolean } };
      expect(raw.method.secretSealed).toBe(true);
      expect(raw.method.secret.startsWith('v2.k1.')).toBe(true);
      expect(JSON.stringify(raw)).not.toContain(encodeBase32(secret));
      const next = makeHarness(store(), 'aes-2', { cipher: aesGcmCipher({ keys: { k1, k2 }, current: 'k2' }) });
      next.clock.set(old.clock.now());
      expect((await next.mfa.verifyLogin(user, next.code(secret))).ok).toBe(true);
      const rotated = (await store().get(user)) as unknown as { method: { secret: string } };
      expect(rotated.method.secret.startsWith('v2.k2.')).toBe(true);
      expect((await next.mfa.verifyLogin(user, recoveryCodes[0]!)).ok).toBe(true);
      const wrongUser = id('aes-moved');
      expect(await store().compareAndSet(wrongUser, null, { ...(await store().get(user))!, userId: wrongUser })).toBe(true);
      await expect(next.mfa.verifyLogin(wrongUser, next.code(secret))).rejects.toMatchObject({ code: 'CIPHER_FAILURE' });
    });

    it('a record of schema 1 (recovery codes stored per code) still logs in, and its next write stores schema 2', async () => {
      const { mfa, code, enrolled } = harness(store(), 'schema-1');
      const user = id('schema-1');
      const { secret, recoveryCodes } = await enrolled(user);
      const current = (await store().get(user))! as unknown as { version: number; recoveryCodes: StoredRecoveryCodeSet };
      // What mfakit before record schema 2 wrote: the same record with one object per code.
      const v1 = { ...current, schema: 1, version: current.version + 1, recoveryCodes: unpackRecoveryCodes(current.recoveryCodes) };
      expect(await store().compareAndSet(user, current.version, v1 as never)).toBe(true);
      expect(await mfa.verifyLogin(user, recoveryCodes[4]!)).toEqual({ ok: true, method: 'recovery', remainingRecoveryCodes: 19, epoch: 0 });
      const migrated = (await store().get(user)) as unknown as { schema: number; recoveryCodes: StoredRecoveryCodeSet };
      expect(migrated.schema).toBe(2);
      expect(migrated.recoveryCodes.hashes).toEqual(current.recoveryCodes.hashes);
      expect(migrated.recoveryCodes.usedAt.filter((u) => u !== null)).toHaveLength(1);
      expect(await mfa.verifyLogin(user, recoveryCodes[4]!)).toEqual({ ok: false, reason: 'replayed' });
      expect((await mfa.verifyLogin(user, code(secret))).ok).toBe(true);
    });

    it('a record with recovery codes, on a service without recoveryCodes(): TOTP logs in, the set is kept as stored, a recovery code is format', async () => {
      const { mfa, clock, code, enrolled } = harness(store(), 'rc-off');
      const user = id('rc-off');
      const { secret, recoveryCodes } = await enrolled(user);
      const before = (await store().get(user))! as unknown as { recoveryCodes: StoredRecoveryCodeSet };
      const plain = createMfa({ store: store(), issuer: 'Conformance', clock, features: sealedWith(cipher) });
      expect(await plain.verifyLogin(user, recoveryCodes[0]!)).toEqual({ ok: false, reason: 'format' });
      expect(await plain.verifyLogin(user, code(secret))).toMatchObject({ ok: true, method: 'totp', remainingRecoveryCodes: 0 });
      expect((await plain.getStatus(user)).remainingRecoveryCodes).toBe(0);
      const after = (await store().get(user))! as unknown as { version: number; recoveryCodes: StoredRecoveryCodeSet };
      expect(after.recoveryCodes).toEqual(before.recoveryCodes);
      // The feature back on: the same set works.
      expect(await mfa.verifyLogin(user, recoveryCodes[0]!)).toMatchObject({ ok: true, method: 'recovery', remainingRecoveryCodes: 19 });
    });

    it('records with an e-mail method, one-time codes, a confirmation token and API passwords round-trip', async () => {
      const sent: string[] = [];
      const { mfa } = harness(store(), 'oob', {
        cipher: aesGcmCipher({ keys: { k1: new Uint8Array(32).fill(0x33) }, current: 'k1' }),
        sender: { send: async (m) => void sent.push(m.code) },
      });
      const user = id('oob');
      const api = await mfa.issueApiPassword(user, { label: 'ci' });
      expect((await mfa.beginEnrollment(user, { method: 'email', destination: 'oob@example.com' })).ok).toBe(true);
      expect((await mfa.confirmEnrollment(user, sent.at(-1)!)).ok).toBe(true);
      const token = await mfa.issueConfirmationToken(user, 'disable');
      const raw = JSON.stringify(await store().get(user));
      for (const s of [...sent, api.ok ? api.password : '', token.ok ? token.token : '']) expect(raw).not.toContain(s);
      expect(api.ok && (await mfa.verifyApiPassword(user, api.password)).ok).toBe(true);
      expect(await mfa.passwordAuthAllowed(user, 'api')).toBe(false);
      expect(token.ok && (await mfa.disable(user, { token: token.token })).ok).toBe(true);
    });
  });
}
