// The confirmation-token feature in the lifecycle: disable(userId, { token }).
import { describe, expect, it } from 'vitest';
import { totp } from '../../../../src/index.js';
import { emailUser, MIN, setup } from '../setup.js';

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
