// The opt-in features together: secrets sealed with aesGcmCipher beside their slices, concurrency
// (compare-and-set) over feature commands, and every status × feature command through the pure
// transition.
import { describe, expect, it } from 'vitest';
import {
  aesGcmCipher,
  apiPasswords,
  confirmationTokens,
  oneTimeCodes,
  createMfa,
  encryptedSecrets,
  MemoryStore,
  totp,
  type MfaStatus,
} from '../../src/index.js';
import { emptyRecord, resolveLifecycleOptions, transition, type TransitionContext } from '../../src/lifecycle/public.js';
import { FakeClock, seededRandom } from '../../src/testing/index.js';
import { featureSet } from '../../src/lifecycle/feature.js';
import { emailUser, MIN, setup } from './features/setup.js';

describe('secrets at rest with aesGcmCipher', () => {
  const k1 = new Uint8Array(32).fill(1);
  const k2 = new Uint8Array(32).fill(2);

  it('TOTP secrets are sealed v2.<kid>…, and re-encrypted under the new key on the next write', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 10));
    const old = createMfa({ store, clock, issuer: 'Acme', features: [encryptedSecrets(aesGcmCipher({ keys: { k1 }, current: 'k1' }))] });
    const begun = await old.beginEnrollment('alice', { account: 'alice@example.com' });
    if (!begun.ok) throw new Error('enrol');
    const raw = (await store.get('alice')) as unknown as { method: { secret: string; secretSealed: boolean } };
    expect(raw.method.secret.startsWith('v2.k1.')).toBe(true);
    expect(raw.method.secretSealed).toBe(true);
    await old.confirmEnrollment('alice', totp(begun.secret, { time: clock.now() }));

    const rotated = createMfa({ store, clock, issuer: 'Acme', features: [encryptedSecrets(aesGcmCipher({ keys: { k1, k2 }, current: 'k2' }))] });
    clock.advance(30_000);
    expect((await rotated.verifyLogin('alice', totp(begun.secret, { time: clock.now() }))).ok).toBe(true);
    const after = (await store.get('alice')) as unknown as { method: { secret: string } };
    expect(after.method.secret.startsWith('v2.k2.')).toBe(true);

    const k2only = createMfa({ store, clock, issuer: 'Acme', features: [encryptedSecrets(aesGcmCipher({ keys: { k2 }, current: 'k2' }))] });
    clock.advance(30_000);
    expect((await k2only.verifyLogin('alice', totp(begun.secret, { time: clock.now() }))).ok).toBe(true);
  });

  it('a sealed secret moved to another user fails with CIPHER_FAILURE', async () => {
    const store = new MemoryStore();
    const cipher = aesGcmCipher({ keys: { k1 }, current: 'k1' });
    const mfa = createMfa({ store, issuer: 'Acme', features: [encryptedSecrets(cipher)], clock: new FakeClock() });
    await mfa.beginEnrollment('alice', { account: 'alice@example.com' });
    const raw = (await store.get('alice'))!;
    await store.compareAndSet('mallory', null, { ...raw, userId: 'mallory' });
    await expect(mfa.pendingEnrollment('mallory')).rejects.toMatchObject({ code: 'CIPHER_FAILURE' });
  });

  it('e-mail records (no secret) pass through a cipher untouched', async () => {
    const t = setup({ cipher: aesGcmCipher({ keys: { k1 }, current: 'k1' }) });
    await emailUser(t);
    await t.mfa.sendChallenge('alice', 'login');
    expect((await t.mfa.verifyLogin('alice', t.lastCode())).ok).toBe(true);
  });
});

describe('concurrency (compare-and-set)', () => {
  it('64 concurrent verifyLogin with the same e-mailed code: exactly one success', async () => {
    const t = setup({ maxAttempts: 1000 });
    await emailUser(t);
    await t.mfa.sendChallenge('alice', 'login');
    const code = t.lastCode();
    const results = await Promise.all(Array.from({ length: 64 }, () => t.mfa.verifyLogin('alice', code)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'expired')).toBe(true);
  });

  it('32 concurrent disable with the same token: exactly one success', async () => {
    const t = setup({ maxAttempts: 1000 });
    await emailUser(t);
    const issued = await t.mfa.issueConfirmationToken('alice', 'disable');
    if (!issued.ok) throw new Error('token');
    const results = await Promise.all(Array.from({ length: 32 }, () => t.mfa.disable('alice', { token: issued.token })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it('concurrent issueApiPassword in one-per-user mode leaves exactly one working password', async () => {
    const t = setup({ maxAttempts: 1000 });
    const results = await Promise.all(Array.from({ length: 16 }, () => t.mfa.issueApiPassword('alice')));
    const passwords = results.flatMap((r) => (r.ok ? [r.password] : []));
    expect(passwords).toHaveLength(16);
    const working = await Promise.all(passwords.map((p) => t.mfa.verifyApiPassword('alice', p)));
    expect(working.filter((r) => r.ok)).toHaveLength(1);
    expect(await t.mfa.listApiPasswords('alice')).toHaveLength(1);
  });
});

describe('feature transitions: every status × command (pure)', () => {
  const options = resolveLifecycleOptions({ issuer: 'Acme' });
  const T0 = Date.UTC(2026, 0, 1, 12);
  const features = featureSet([oneTimeCodes({ sender: { send: async () => {} } }), confirmationTokens(), apiPasswords()]);
  const ctx: TransitionContext = { now: T0, rng: seededRandom('table'), options, scopeRequired: false, features };

  function recordIn(status: MfaStatus, method: 'email' | 'totp') {
    let r = emptyRecord('alice', T0 - MIN);
    if (status === 'disabled') return r;
    const begun =
      method === 'email'
        ? transition(r, { type: 'beginOutOfBandEnrollment', method: 'email', destination: 'a@example.com' }, { ...ctx, now: T0 - MIN })
        : transition(r, { type: 'beginEnrollment', account: 'a@example.com' }, { ...ctx, now: T0 - MIN });
    r = { ...begun.record, version: 1 };
    if (status === 'pending') return r;
    const code =
      method === 'email'
        ? (begun.result as { code: string }).code
        : totp((begun.result as { secret: Uint8Array }).secret, { time: T0 - MIN });
    return { ...transition(r, { type: 'confirmEnrollment', code }, { ...ctx, now: T0 - MIN }).record, version: 2 };
  }

  const cases: [string, MfaStatus, 'email' | 'totp', Parameters<typeof transition>[1], string][] = [
    ['beginOutOfBandEnrollment', 'disabled', 'email', { type: 'beginOutOfBandEnrollment', method: 'email', destination: 'a@example.com' }, 'ok'],
    ['beginOutOfBandEnrollment', 'pending', 'totp', { type: 'beginOutOfBandEnrollment', method: 'sms', destination: '+1 555 0100' }, 'ok'],
    ['beginOutOfBandEnrollment', 'active', 'email', { type: 'beginOutOfBandEnrollment', method: 'email', destination: 'a@example.com' }, 'already_active'],
    ['sendChallenge', 'disabled', 'email', { type: 'sendChallenge', purpose: 'login' }, 'not_enrolled'],
    ['sendChallenge', 'pending', 'email', { type: 'sendChallenge', purpose: 'enroll' }, 'ok'],
    ['sendChallenge', 'active', 'email', { type: 'sendChallenge', purpose: 'login' }, 'ok'],
    ['sendChallenge', 'active', 'totp', { type: 'sendChallenge', purpose: 'login' }, 'not_out_of_band'],
    ['issueConfirmationToken', 'disabled', 'email', { type: 'issueConfirmationToken', purpose: 'disable' }, 'not_enrolled'],
    ['issueConfirmationToken', 'pending', 'email', { type: 'issueConfirmationToken', purpose: 'disable' }, 'ok'],
    ['issueConfirmationToken', 'active', 'totp', { type: 'issueConfirmationToken', purpose: 'disable' }, 'ok'],
    ['issueApiPassword', 'disabled', 'email', { type: 'issueApiPassword', label: 'x' }, 'ok'],
    ['issueApiPassword', 'active', 'totp', { type: 'issueApiPassword' }, 'ok'],
    ['revokeApiPassword', 'active', 'email', { type: 'revokeApiPassword', id: 'none' }, 'ok'],
  ];
  it.each(cases)('%s on %s (%s) → %s', (_name, status, method, command, want) => {
    const input = recordIn(status, method);
    const before = JSON.stringify(input);
    const out = transition(input, command, ctx);
    expect(JSON.stringify(input)).toBe(before);
    const result = out.result as { ok: boolean; reason?: string };
    if (want === 'ok') expect(result.ok).toBe(true);
    else {
      expect(result).toMatchObject({ ok: false, reason: want });
      expect(out.record).toBe(input);
      expect(out.events).toEqual([]);
    }
    // events never carry what the result hands out once
    const secrets = Object.values(out.result as Record<string, unknown>).filter((v): v is string => typeof v === 'string' && v.length >= 6);
    const shown = JSON.stringify(out.events);
    for (const s of secrets.filter((s) => /^\d{6}$|^mfak_|^[A-Za-z0-9_-]{43}$/.test(s))) expect(shown).not.toContain(s);
  });
});
