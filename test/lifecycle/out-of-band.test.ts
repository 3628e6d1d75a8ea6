// The opt-in features in the lifecycle: e-mail/SMS method, sendChallenge, confirmation tokens for
// disable, API passwords, passwordAuthAllowed, and secrets sealed with aesGcmCipher.
import { describe, expect, it } from 'vitest';
import {
  aesGcmCipher,
  apiPasswords,
  confirmationTokens,
  oneTimeCodes,
  createMfa,
  isMfaError,
  MemoryStore,
  totp,
  type CreateMfaOptions,
  type LifecycleApiPasswordOptions,
  type OneTimeCodeOptions,
  type MfaEvent,
  type MfaStatus,
  type OneTimeCodeMessage,
  type Sender,
} from '../../src/index.js';
import { emptyRecord, resolveLifecycleOptions, transition, type TransitionContext } from '../../src/lifecycle/public.js';
import { FakeClock, seededRandom } from '../../src/testing/index.js';
import { featureSet } from '../../src/lifecycle/feature.js';

const MIN = 60_000;

/** The options of each feature by name, as the tests below set them; every feature is on. */
interface SetupOptions extends Partial<Omit<CreateMfaOptions, 'features'>> {
  outOfBand?: OneTimeCodeOptions;
  apiPasswords?: LifecycleApiPasswordOptions;
  sender?: Sender;
}

function setup({ outOfBand, apiPasswords: apiOptions, sender: customSender, ...extra }: SetupOptions = {}) {
  const store = new MemoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 10));
  const outbox: OneTimeCodeMessage[] = [];
  const events: MfaEvent[] = [];
  const sender: Sender = {
    async send(message) {
      outbox.push(message);
    },
  };
  const mfa = createMfa({
    store,
    clock,
    issuer: 'Acme',
    rng: seededRandom('oob'),
    onEvent: (e) => events.push(e),
    features: [oneTimeCodes({ sender: customSender ?? sender, ...outOfBand }), confirmationTokens(), apiPasswords(apiOptions)],
    ...extra,
  });
  const lastCode = (): string => outbox.at(-1)!.code;
  return { store, clock, mfa, outbox, events, lastCode };
}

async function emailUser(t: ReturnType<typeof setup>, user = 'alice') {
  const begun = await t.mfa.beginEnrollment(user, { method: 'email', destination: 'alice@example.com' });
  expect(begun.ok).toBe(true);
  const confirmed = await t.mfa.confirmEnrollment(user, t.lastCode());
  expect(confirmed.ok).toBe(true);
  t.clock.advance(31_000); // past the resend interval
  return confirmed;
}

describe('e-mail / SMS method', () => {
  it('enrolment sends an enroll code; confirming activates it; no recovery codes by default (seed 000)', async () => {
    const t = setup();
    const begun = await t.mfa.beginEnrollment('alice', { method: 'email', destination: 'alice@example.com' });
    expect(begun).toEqual({ ok: true, method: 'email', sentTo: 'a••••@example.com', expiresAt: t.clock.now() + 10 * MIN });
    expect(t.outbox).toEqual([
      { userId: 'alice', destination: 'alice@example.com', code: expect.stringMatching(/^\d{6}$/), purpose: 'enroll', expiresAt: t.clock.now() + 10 * MIN },
    ]);
    expect(await t.mfa.getStatus('alice')).toMatchObject({ status: 'pending', method: 'email', loginRequirement: 'confirm' });
    expect(await t.mfa.pendingEnrollment('alice')).toBeNull(); // nothing to scan
    const wrong = t.lastCode() === '000000' ? '000001' : '000000';
    expect(await t.mfa.confirmEnrollment('alice', wrong)).toEqual({ ok: false, reason: 'mismatch' });
    expect(await t.mfa.confirmEnrollment('alice', t.lastCode())).toEqual({ ok: true, recoveryCodes: [] });
    expect(await t.mfa.getStatus('alice')).toMatchObject({ status: 'active', method: 'email', remainingRecoveryCodes: 0 });
    expect(t.events.map((e) => e.type)).toEqual(['enrolled', 'code_issued', 'failed', 'confirmed']);
  });

  it('recovery codes for the e-mail method when configured', async () => {
    const t = setup({ outOfBand: { recoveryCodes: true } });
    const confirmed = await emailUser(t);
    expect(confirmed.ok && confirmed.recoveryCodes.length).toBe(10);
    if (!confirmed.ok) return;
    expect(await t.mfa.verifyLogin('alice', confirmed.recoveryCodes[0]!)).toMatchObject({ ok: true, method: 'recovery' });
  });

  it('sms works the same; destination is any phone number', async () => {
    const t = setup();
    const begun = await t.mfa.beginEnrollment('bob', { method: 'sms', destination: '+44 7700 900123' });
    expect(begun).toMatchObject({ ok: true, method: 'sms', sentTo: '••••••••0123' });
    expect((await t.mfa.confirmEnrollment('bob', t.lastCode())).ok).toBe(true);
  });

  it('login with an e-mailed code: single use, purpose-bound, expires after 10 minutes', async () => {
    const t = setup();
    await emailUser(t);
    expect(await t.mfa.verifyLogin('alice', '123456')).toEqual({ ok: false, reason: 'expired' }); // nothing sent
    expect(await t.mfa.sendChallenge('alice', 'login')).toMatchObject({ ok: true, sentTo: 'a••••@example.com' });
    const code = t.lastCode();
    expect(t.outbox.at(-1)!.purpose).toBe('login');
    expect(await t.mfa.verifyLogin('alice', code)).toEqual({ ok: true, method: 'email', remainingRecoveryCodes: 0 });
    expect(await t.mfa.verifyLogin('alice', code)).toEqual({ ok: false, reason: 'expired' }); // used

    t.clock.advance(31_000);
    await t.mfa.sendChallenge('alice', 'login');
    t.clock.advance(10 * MIN);
    expect(await t.mfa.verifyLogin('alice', t.lastCode())).toEqual({ ok: false, reason: 'expired' });

    await t.mfa.sendChallenge('alice', 'disable');
    expect(await t.mfa.verifyLogin('alice', t.lastCode())).toEqual({ ok: false, reason: 'expired' }); // wrong purpose
    expect(await t.mfa.disable('alice', { code: t.lastCode() })).toEqual({ ok: true, previous: 'active' });
  });

  it('a new code replaces the previous one; resend is rate limited', async () => {
    const t = setup();
    await emailUser(t);
    await t.mfa.sendChallenge('alice', 'login');
    const first = t.lastCode();
    expect(await t.mfa.sendChallenge('alice', 'login')).toEqual({ ok: false, reason: 'rate_limited', retryAt: t.clock.now() + 30_000 });
    t.clock.advance(30_000);
    await t.mfa.sendChallenge('alice', 'login');
    const second = t.lastCode();
    if (first !== second) expect(await t.mfa.verifyLogin('alice', first)).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(await t.mfa.verifyLogin('alice', second)).toMatchObject({ ok: true });
  });

  it('the resend limit is per purpose: a login code right after enrolment is sent; a second one waits (docs/out-of-band-and-api.md)', async () => {
    const t = setup();
    expect((await t.mfa.beginEnrollment('alice', { method: 'email', destination: 'alice@example.com' })).ok).toBe(true);
    expect((await t.mfa.confirmEnrollment('alice', t.lastCode())).ok).toBe(true);
    expect(await t.mfa.sendChallenge('alice', 'login')).toMatchObject({ ok: true });
    expect(await t.mfa.sendChallenge('alice', 'login')).toEqual({ ok: false, reason: 'rate_limited', retryAt: t.clock.now() + 30_000 });
    expect(await t.mfa.verifyLogin('alice', t.lastCode())).toMatchObject({ ok: true, method: 'email' });
    expect(await t.mfa.sendChallenge('alice', 'disable')).toMatchObject({ ok: true }); // its own limit
  });

  it('resendByPurpose and resendTotal reach the lifecycle', async () => {
    const t = setup({ outOfBand: { resendByPurpose: { login: { minInterval: 60_000 } }, resendTotal: { maxPerWindow: 3 } } });
    expect((await t.mfa.beginEnrollment('alice', { method: 'email', destination: 'alice@example.com' })).ok).toBe(true);
    expect((await t.mfa.confirmEnrollment('alice', t.lastCode())).ok).toBe(true);
    expect(await t.mfa.sendChallenge('alice', 'login')).toMatchObject({ ok: true });
    t.clock.advance(30_000);
    expect(await t.mfa.sendChallenge('alice', 'login')).toEqual({ ok: false, reason: 'rate_limited', retryAt: t.clock.now() + 30_000 });
    expect(await t.mfa.sendChallenge('alice', 'disable')).toMatchObject({ ok: true }); // third code this hour
    t.clock.advance(60_000);
    expect(await t.mfa.sendChallenge('alice', 'login')).toMatchObject({ ok: false, reason: 'rate_limited' }); // total of 3
  });

  it('wrong codes count toward the lockout; a locked account gets no code', async () => {
    const t = setup({ outOfBand: { maxAttempts: 10 } });
    await emailUser(t);
    await t.mfa.sendChallenge('alice', 'login');
    const right = t.lastCode();
    const wrong = right === '000000' ? '000001' : '000000';
    for (let i = 0; i < 4; i++) expect(await t.mfa.verifyLogin('alice', wrong)).toEqual({ ok: false, reason: 'mismatch' });
    const fifth = await t.mfa.verifyLogin('alice', wrong);
    expect(fifth).toMatchObject({ ok: false, reason: 'mismatch', retryAt: t.clock.now() + 30_000 });
    expect(await t.mfa.verifyLogin('alice', right)).toMatchObject({ ok: false, reason: 'locked' });
    expect(await t.mfa.sendChallenge('alice', 'login')).toMatchObject({ ok: false, reason: 'locked' });
    t.clock.advance(30_000);
    expect(await t.mfa.verifyLogin('alice', right)).toMatchObject({ ok: true });
    expect(t.events.filter((e) => e.type === 'locked')).toHaveLength(1);
  });

  it('a code burns after maxAttempts wrong answers', async () => {
    const t = setup({ outOfBand: { maxAttempts: 2 }, throttle: false });
    await emailUser(t);
    await t.mfa.sendChallenge('alice', 'login');
    const right = t.lastCode();
    const wrong = right === '000000' ? '000001' : '000000';
    await t.mfa.verifyLogin('alice', wrong);
    await t.mfa.verifyLogin('alice', wrong);
    expect(await t.mfa.verifyLogin('alice', right)).toEqual({ ok: false, reason: 'expired' });
  });

  it('sendChallenge refusals', async () => {
    const t = setup();
    expect(await t.mfa.sendChallenge('nobody', 'login')).toEqual({ ok: false, reason: 'not_enrolled' });
    const begun = await t.mfa.beginEnrollment('totp-user', { account: 'totp@example.com' });
    expect(begun.ok).toBe(true);
    expect(await t.mfa.sendChallenge('totp-user', 'login')).toEqual({ ok: false, reason: 'not_out_of_band' });
    await t.mfa.beginEnrollment('alice', { method: 'email', destination: 'alice@example.com' });
    expect(await t.mfa.sendChallenge('alice', 'login')).toEqual({ ok: false, reason: 'wrong_state' });
    await t.mfa.confirmEnrollment('alice', t.lastCode());
    expect(await t.mfa.sendChallenge('alice', 'enroll')).toEqual({ ok: false, reason: 'wrong_state' });
    expect(await t.mfa.beginEnrollment('alice', { method: 'email', destination: 'x@example.com' })).toEqual({
      ok: false,
      reason: 'already_active',
    });
  });

  it('no sender: INVALID_OPTION before anything is written; a failing sender: SENDER_FAILURE without the code', async () => {
    // The sender is checked when the feature is made, so nothing can be written without one.
    expect(() => oneTimeCodes({ sender: undefined as never })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION' }));
    // Without the feature at all, an e-mail enrolment is refused the same way.
    const store = new MemoryStore();
    const plain = createMfa({ store, issuer: 'Acme' });
    await expect(plain.beginEnrollment('alice', { method: 'email', destination: 'a@example.com' } as never)).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
    expect(await store.get('alice')).toBeNull();

    let sent = '';
    const failing = setup({
      sender: {
        async send(m) {
          sent = m.code;
          throw new Error('smtp down');
        },
      },
    });
    const err = await failing.mfa
      .beginEnrollment('alice', { method: 'email', destination: 'a@example.com' })
      .then(() => null, (e: unknown) => e);
    expect(isMfaError(err, 'SENDER_FAILURE')).toBe(true);
    expect((err as Error).message).not.toContain(sent);
    expect((await failing.mfa.getStatus('alice')).status).toBe('pending'); // stored; resend later
  });

  it('bad destinations are INVALID_OPTION', async () => {
    const t = setup();
    for (const o of [
      { method: 'email', destination: 'not-an-address' },
      { method: 'email', destination: '' },
      { method: 'fax', destination: '123' },
    ]) {
      await expect(t.mfa.beginEnrollment('alice', o as never)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    }
    // Control characters and lone surrogates: INVALID_INPUT (test/security/input-validation.test.ts).
    await expect(t.mfa.beginEnrollment('alice', { method: 'sms', destination: 'a\nb' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('resetSecret switches an e-mail user to TOTP (labelled with the address)', async () => {
    const t = setup();
    await emailUser(t);
    // The proof for an e-mail user: a code sent for the purpose 'reset'.
    await t.mfa.sendChallenge('alice', 'reset');
    const reset = await t.mfa.resetSecret('alice', { proof: { code: t.lastCode() } });
    expect(reset.ok && reset.uri).toContain('alice@example.com');
    expect(await t.mfa.getStatus('alice')).toMatchObject({ status: 'pending', method: 'totp' });
  });
});

describe('confirmation tokens: disable(userId, { token }) (seed 003)', () => {
  it('valid until the 15-minute edge, once', async () => {
    const t = setup();
    await emailUser(t);
    const issued = await t.mfa.issueConfirmationToken('alice', 'disable');
    expect(issued).toEqual({ ok: true, token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expiresAt: t.clock.now() + 15 * MIN });
    if (!issued.ok) return;
    t.clock.advance(15 * MIN - 1);
    expect(await t.mfa.disable('alice', { token: issued.token })).toEqual({ ok: true, previous: 'active' });
  });

  it('refused at 15 minutes; a wrong token counts toward the lockout', async () => {
    const t = setup();
    await emailUser(t);
    const issued = await t.mfa.issueConfirmationToken('alice', 'disable');
    if (!issued.ok) throw new Error('expected a token');
    expect(await t.mfa.disable('alice', { token: 'A'.repeat(43) })).toEqual({ ok: false, reason: 'mismatch' });
    expect((await t.mfa.getStatus('alice')).failures).toBe(1);
    expect(await t.mfa.disable('alice', { token: 'short' })).toEqual({ ok: false, reason: 'format' });
    t.clock.advance(15 * MIN);
    expect(await t.mfa.disable('alice', { token: issued.token })).toEqual({ ok: false, reason: 'expired' });
    expect(await t.mfa.disable('alice', { token: issued.token })).toEqual({ ok: false, reason: 'expired' });
    expect((await t.mfa.getStatus('alice')).status).toBe('active');
  });

  it('bound to its purpose, custom ttl, needs an enrolled user', async () => {
    const t = setup({ outOfBand: { recoveryCodes: true } });
    expect(await t.mfa.issueConfirmationToken('nobody', 'disable')).toEqual({ ok: false, reason: 'not_enrolled' });
    await emailUser(t);
    const issued = await t.mfa.issueConfirmationToken('alice', 'recovery_codes', { ttl: 5 * MIN });
    if (!issued.ok) throw new Error('expected a token');
    expect(issued.expiresAt).toBe(t.clock.now() + 5 * MIN);
    expect(await t.mfa.disable('alice', { token: issued.token })).toEqual({ ok: false, reason: 'expired' });
    expect(await t.mfa.regenerateRecoveryCodes('alice', { token: issued.token })).toMatchObject({ ok: true });
  });

  it('a token issued before MFA was set up again no longer counts', async () => {
    const t = setup();
    await emailUser(t);
    const stale = await t.mfa.issueConfirmationToken('alice', 'disable');
    if (!stale.ok) throw new Error('token');
    await t.mfa.sendChallenge('alice', 'disable');
    expect((await t.mfa.disable('alice', { code: t.lastCode() })).ok).toBe(true);
    t.clock.advance(31_000);
    await emailUser(t); // enrolled again within the 15 minutes
    expect(await t.mfa.disable('alice', { token: stale.token })).toEqual({ ok: false, reason: 'expired' });
    expect((await t.mfa.getStatus('alice')).status).toBe('active');
  });

  it('e-mail users get no recovery codes by regenerating either, unless configured (seed 000)', async () => {
    const t = setup();
    await emailUser(t);
    await t.mfa.sendChallenge('alice', 'recovery_codes');
    expect(await t.mfa.regenerateRecoveryCodes('alice', { code: t.lastCode() })).toEqual({ ok: false, reason: 'not_supported' });
  });

  it('works for TOTP users too, and with disableRequiresPassword', async () => {
    const t = setup({ disableRequiresPassword: true });
    const begun = await t.mfa.beginEnrollment('carol', { account: 'carol@example.com' });
    if (!begun.ok) throw new Error('enrol');
    await t.mfa.confirmEnrollment('carol', totp(begun.secret, { time: t.clock.now() }));
    const issued = await t.mfa.issueConfirmationToken('carol', 'disable');
    if (!issued.ok) throw new Error('expected a token');
    expect(await t.mfa.disable('carol', { token: issued.token })).toEqual({ ok: false, reason: 'password_required' });
    expect(await t.mfa.disable('carol', { token: issued.token, passwordVerified: true })).toEqual({ ok: true, previous: 'active' });
  });
});

describe('API passwords and passwordAuthAllowed (seeds 000, 001, 002)', () => {
  it('issue (shown once), verify, one per user, list, revoke', async () => {
    const t = setup();
    const first = await t.mfa.issueApiPassword('alice', { label: 'backup' });
    if (!first.ok) throw new Error('issue');
    expect(first.password).toMatch(/^mfak_[0-9A-Za-z]{12}_[0-9A-Za-z]{38}$/);
    expect(await t.mfa.verifyApiPassword('alice', first.password)).toEqual({ ok: true, id: first.id, label: 'backup' });
    expect(await t.mfa.verifyApiPassword('bob', first.password)).toEqual({ ok: false, reason: 'mismatch' });
    const second = await t.mfa.issueApiPassword('alice');
    if (!second.ok) throw new Error('issue');
    expect(second.replaced).toEqual([first.id]);
    expect(await t.mfa.verifyApiPassword('alice', first.password)).toEqual({ ok: false, reason: 'mismatch' });
    expect(await t.mfa.listApiPasswords('alice')).toEqual([{ id: second.id, label: '', createdAt: t.clock.now() }]);
    expect(await t.mfa.revokeApiPassword('alice', second.id)).toEqual({ ok: true, revoked: true });
    expect(await t.mfa.verifyApiPassword('alice', second.password)).toEqual({ ok: false, reason: 'mismatch' });
    expect(JSON.stringify(await t.store.get('alice'))).not.toContain(second.password);
    expect(t.events.map((e) => e.type)).toEqual([
      'api_password_issued',
      'api_password_revoked',
      'api_password_issued',
      'api_password_revoked',
    ]);
  });

  it('a labelled list with maxPerUser', async () => {
    const t = setup({ apiPasswords: { maxPerUser: 2 } });
    expect((await t.mfa.issueApiPassword('alice', { label: 'a' })).ok).toBe(true);
    expect((await t.mfa.issueApiPassword('alice', { label: 'b' })).ok).toBe(true);
    expect(await t.mfa.issueApiPassword('alice', { label: 'c' })).toEqual({ ok: false, reason: 'limit_reached' });
  });

  it('API passwords survive enrolment and, with revokeApiPasswordsOnAdminReset: false, an admin reset', async () => {
    const t = setup({ apiPasswords: { revokeOnAdminReset: false } });
    const issued = await t.mfa.issueApiPassword('alice');
    if (!issued.ok) throw new Error('issue');
    await emailUser(t);
    await t.mfa.adminReset('alice', { actor: 'root' });
    expect((await t.mfa.verifyApiPassword('alice', issued.password)).ok).toBe(true);
  });

  it('passwordAuthAllowed: the API refuses the account password once MFA is active', async () => {
    const t = setup();
    const at = async (): Promise<[boolean, boolean]> => [
      await t.mfa.passwordAuthAllowed('alice', 'api'),
      await t.mfa.passwordAuthAllowed('alice', 'ui'),
    ];
    expect(await at()).toEqual([true, true]);
    await t.mfa.beginEnrollment('alice', { method: 'email', destination: 'alice@example.com' });
    expect(await at()).toEqual([true, true]); // pending
    await t.mfa.confirmEnrollment('alice', t.lastCode());
    expect(await at()).toEqual([false, true]);
    const lenient = setup({ apiPasswords: { allowAccountPasswordOnApi: true } });
    await emailUser(lenient);
    expect(await lenient.mfa.passwordAuthAllowed('alice', 'api')).toBe(true);
  });
});

describe('secrets at rest with aesGcmCipher', () => {
  const k1 = new Uint8Array(32).fill(1);
  const k2 = new Uint8Array(32).fill(2);

  it('TOTP secrets are sealed v2.<kid>…, and re-encrypted under the new key on the next write', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 10));
    const old = createMfa({ store, clock, issuer: 'Acme', cipher: aesGcmCipher({ keys: { k1 }, current: 'k1' }) });
    const begun = await old.beginEnrollment('alice', { account: 'alice@example.com' });
    if (!begun.ok) throw new Error('enrol');
    const raw = (await store.get('alice')) as unknown as { method: { secret: string; secretSealed: boolean } };
    expect(raw.method.secret.startsWith('v2.k1.')).toBe(true);
    expect(raw.method.secretSealed).toBe(true);
    await old.confirmEnrollment('alice', totp(begun.secret, { time: clock.now() }));

    const rotated = createMfa({ store, clock, issuer: 'Acme', cipher: aesGcmCipher({ keys: { k1, k2 }, current: 'k2' }) });
    clock.advance(30_000);
    expect((await rotated.verifyLogin('alice', totp(begun.secret, { time: clock.now() }))).ok).toBe(true);
    const after = (await store.get('alice')) as unknown as { method: { secret: string } };
    expect(after.method.secret.startsWith('v2.k2.')).toBe(true);

    const k2only = createMfa({ store, clock, issuer: 'Acme', cipher: aesGcmCipher({ keys: { k2 }, current: 'k2' }) });
    clock.advance(30_000);
    expect((await k2only.verifyLogin('alice', totp(begun.secret, { time: clock.now() }))).ok).toBe(true);
  });

  it('a sealed secret moved to another user fails with CIPHER_FAILURE', async () => {
    const store = new MemoryStore();
    const cipher = aesGcmCipher({ keys: { k1 }, current: 'k1' });
    const mfa = createMfa({ store, issuer: 'Acme', cipher, clock: new FakeClock() });
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
