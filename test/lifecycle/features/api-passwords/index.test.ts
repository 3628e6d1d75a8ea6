// The API-password feature in the lifecycle: issue, verify, revoke, list, passwordAuthAllowed.
import { describe, expect, it } from 'vitest';
import { emailUser, setup } from '../setup.js';

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
