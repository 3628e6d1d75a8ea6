// The lifecycle capability groups of runStoreConformance (lifecycle, lifecycle-concurrency,
// encrypted-secrets). Over 300 lines: one test per lifecycle guarantee a store must keep, each
// self-contained so an adapter author can read the one that fails.
import { expect, it } from 'vitest';
import { createMfa } from '../lifecycle/service.js';
import { oneTimeCodes } from '../lifecycle/features/one-time-codes/index.js';
import { confirmationTokens } from '../lifecycle/features/confirmation-tokens/index.js';
import { apiPasswords } from '../lifecycle/features/api-passwords/index.js';
import type { MfaStore } from '../lifecycle/store.js';
import type { SecretCipher } from '../secret-cipher.js';
import { aesGcmCipher } from '../aes-gcm-cipher.js';
import { encodeBase32 } from '../base32.js';
import type { Sender } from '../one-time-codes.js';
import { totp } from '../totp.js';
import { unpackRecoveryCodes, type StoredRecoveryCodeSet } from '../recovery-code-set.js';
import { FakeClock } from './fake-clock.js';
import { seededRandom } from './seeded-random.js';

/**
 * How conformance.ts registers a capability group. Declared here, over the fields this file reads,
 * rather than imported from conformance.ts, which imports this file: no cycle between the two.
 */
type Group = (
  capability: 'lifecycle' | 'lifecycle-concurrency' | 'encrypted-secrets',
  body: (ctx: { readonly store: () => MfaStore; readonly id: (label: string) => string; readonly concurrency: number }) => void,
) => void;

const STEP = 30_000;

/** A service on the store under test with a fake clock, plus helpers to enrol a user. */
function makeHarness(store: MfaStore, seed: string, extra: { cipher?: SecretCipher; sender?: Sender } = {}) {
  // Mid-step, so a code stays current while the test runs.
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0) + 10_000);
  const { sender = { send: async () => {} }, ...rest } = extra;
  // Every feature, so their slices round-trip through the store under test too.
  const mfa = createMfa({
    store,
    issuer: 'Conformance',
    clock,
    rng: seededRandom(seed),
    recoveryCodes: { count: 20 },
    maxAttempts: 1000,
    features: [oneTimeCodes({ sender }), confirmationTokens(), apiPasswords()],
    ...rest,
  });
  const code = (secret: Uint8Array): string => totp(secret, { time: clock.now() });
  async function enrolled(userId: string): Promise<{ secret: Uint8Array; recoveryCodes: readonly string[] }> {
    const begun = await mfa.beginEnrollment(userId, { account: `${userId}@example.com` });
    if (!begun.ok) throw new Error('beginEnrollment failed');
    const confirmed = await mfa.confirmEnrollment(userId, code(begun.secret));
    if (!confirmed.ok) throw new Error(`confirmEnrollment failed: ${confirmed.reason}`);
    clock.advance(STEP);
    return { secret: begun.secret, recoveryCodes: confirmed.recoveryCodes };
  }
  return { mfa, clock, code, enrolled };
}

/** A toy cipher for the suite only (reversible, bound to the user id); not encryption. */
const toyCipher: SecretCipher = {
  async encrypt(plaintext, { userId }) {
    const bytes = Array.from(plaintext, (b, i) => (b ^ (0x5a + i + userId.length)) & 0xff);
    return `toy1.${userId.length}.${bytes.map((b) => b.toString(16).padStart(2, '0')).join('')}`;
  },
  async decrypt(sealed, { userId }) {
    const [tag, len, hex] = sealed.split('.');
    if (tag !== 'toy1' || Number(len) !== userId.length || hex === undefined) throw new Error('toy cipher: wrong user');
    const bytes = hex.match(/../g)!.map((h) => parseInt(h, 16));
    return Uint8Array.from(bytes, (b, i) => (b ^ (0x5a + i + userId.length)) & 0xff);
  },
  // With a cipher, recovery-code hashes are keyed with a pepper the cipher derives (a fixed one here).
  derivePepper: (keyId = 'toy1') => (keyId === 'toy1' ? { keyId, pepper: new Uint8Array(32).fill(0x5a) } : null),
};

/** A pass-through store that counts compare-and-set calls that wrote (`won`) and lost races (`lost`). */
function countingStore(inner: MfaStore) {
  const counts = { won: 0, lost: 0 };
  const store: MfaStore = {
    get: (id) => inner.get(id),
    delete: (id) => inner.delete(id),
    async compareAndSet(id, expected, record) {
      const written = await inner.compareAndSet(id, expected, record);
      if (written) counts.won++;
      else counts.lost++;
      return written;
    },
  };
  return {
    store,
    get won() {
      return counts.won;
    },
    get lost() {
      return counts.lost;
    },
    reset() {
      counts.won = 0;
      counts.lost = 0;
    },
  };
}

export function lifecycleConformance(group: Group, cipher?: SecretCipher): void {
  const harness = (store: MfaStore, seed: string, extra: { cipher?: SecretCipher; sender?: Sender } = {}) =>
    makeHarness(store, seed, { ...(cipher === undefined ? {} : { cipher }), ...extra });
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
      const scoped = createMfa({ store: store(), issuer: 'Conformance', clock, policyScopes: () => [scope], ...(cipher === undefined ? {} : { cipher }) });
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

  group('lifecycle-concurrency', ({ store, id, concurrency }) => {
    it(`${concurrency} concurrent verifyLogin with the same valid code: exactly one success`, async () => {
      // Through a counting wrapper, so the test proves the calls really raced on this store.
      const counted = countingStore(store());
      const { mfa, code, enrolled } = harness(counted.store, 'same-code');
      const user = id('same-code');
      const { secret } = await enrolled(user);
      const input = code(secret);
      counted.reset();
      const results = await Promise.all(Array.from({ length: concurrency }, () => mfa.verifyLogin(user, input)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.reason === 'replayed')).toHaveLength(concurrency - 1);
      // One write won; the others read the same version, lost the compare-and-set, reloaded and
      // saw the replay (which writes nothing).
      expect(counted.won).toBe(1);
      if (concurrency > 1) expect(counted.lost).toBeGreaterThanOrEqual(1);
    });

    it('one recovery code used concurrently: used once', async () => {
      const { mfa, enrolled } = harness(store(), 'same-recovery');
      const user = id('same-recovery');
      const { recoveryCodes } = await enrolled(user);
      const n = Math.min(concurrency, 16);
      const results = await Promise.all(Array.from({ length: n }, () => mfa.verifyLogin(user, recoveryCodes[3]!)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect((await mfa.getStatus(user)).remainingRecoveryCodes).toBe(19);
    });

    it('different recovery codes used concurrently: every use recorded (no lost update)', async () => {
      const { mfa, enrolled } = harness(store(), 'many-recovery');
      const user = id('many-recovery');
      const { recoveryCodes } = await enrolled(user);
      const results = await Promise.all(recoveryCodes.slice(0, 8).map((c) => mfa.verifyLogin(user, c)));
      expect(results.every((r) => r.ok)).toBe(true);
      expect((await mfa.getStatus(user)).remainingRecoveryCodes).toBe(12);
    });

    it('concurrent wrong codes are all counted until the lock', async () => {
      const { mfa, enrolled } = harness(store(), 'wrong-codes');
      const user = id('wrong-codes');
      await enrolled(user);
      const results = await Promise.all(Array.from({ length: 10 }, () => mfa.verifyLogin(user, '000000')));
      // 000000 could be the right code once in a million runs of a seed: the seed is fixed, so not here.
      expect(results.filter((r) => !r.ok && r.reason === 'mismatch')).toHaveLength(5);
      expect(results.filter((r) => !r.ok && r.reason === 'locked')).toHaveLength(5);
      expect((await mfa.getStatus(user)).failures).toBe(5);
    });

    it('concurrent reset and logins leave a consistent record (the stored secret is the one returned)', async () => {
      const { mfa, code, enrolled } = harness(store(), 'reset-verify');
      for (let round = 0; round < 4; round++) {
        const user = id(`reset-verify-${round}`);
        const { secret, recoveryCodes } = await enrolled(user);
        const [login, reset, reset2, recovery] = await Promise.all([
          mfa.verifyLogin(user, code(secret)),
          mfa.resetSecret(user, { proof: { code: recoveryCodes[1]! } }),
          mfa.resetSecret(user, { proof: { code: recoveryCodes[2]! } }),
          mfa.verifyLogin(user, recoveryCodes[0]!),
        ]);
        expect([login.ok || (!login.ok && login.reason === 'not_enrolled')]).toEqual([true]);
        expect([recovery.ok || (!recovery.ok && recovery.reason === 'not_enrolled')]).toEqual([true]);
        const winners = [reset, reset2].filter((r) => r.ok);
        expect(winners).toHaveLength(1);
        const winner = winners[0]!;
        if (!winner.ok) return;
        expect((await mfa.getStatus(user)).status).toBe('pending');
        expect(await mfa.verifyLogin(user, code(secret))).toEqual({ ok: false, reason: 'not_enrolled' });
        expect((await mfa.confirmEnrollment(user, code(winner.secret))).ok).toBe(true);
      }
    });

    it('concurrent beginEnrollment: the pending secret is exactly one of those returned', async () => {
      const { mfa } = harness(store(), 'begin-race');
      const user = id('begin-race');
      const results = await Promise.all(Array.from({ length: 8 }, () => mfa.beginEnrollment(user, { account: 'a@example.com' })));
      const pending = await mfa.pendingEnrollment(user);
      expect(pending).not.toBeNull();
      const matches = results.filter((r) => r.ok && pending !== null && r.uri === pending.uri);
      expect(matches).toHaveLength(1);
    });

    it('concurrent disable and login: either order, never a half-written record', async () => {
      const { mfa, code, enrolled } = harness(store(), 'disable-login');
      const user = id('disable-login');
      const { secret, recoveryCodes } = await enrolled(user);
      const loginCode = code(secret);
      const [login, disabled] = await Promise.all([
        mfa.verifyLogin(user, loginCode),
        mfa.disable(user, { code: recoveryCodes[1]! }),
      ]);
      expect(disabled).toEqual({ ok: true, previous: 'active' });
      expect(login.ok || (!login.ok && login.reason === 'not_enrolled')).toBe(true);
      const status = await mfa.getStatus(user);
      expect(status).toMatchObject({ status: 'disabled', method: null, remainingRecoveryCodes: 0 });
    });
  });

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
