// The e-mail/SMS feature in the lifecycle: enrolment, sendChallenge, login and its limits.
import { describe, expect, it } from 'vitest';
import {
  oneTimeCodes,
  createMfa,
  isMfaError,
  MemoryStore,
} from '../../../../src/index.js';
import { emailUser, MIN, setup } from '../setup.js';

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
    expect(await t.mfa.verifyLogin('alice', code)).toEqual({ ok: true, method: 'email', remainingRecoveryCodes: 0, epoch: 0 });
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
