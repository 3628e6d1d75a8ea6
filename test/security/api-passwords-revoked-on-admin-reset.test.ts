// An administrator resets a user's MFA after a suspected compromise. An API password the intruder
// minted while holding the session must not outlive that reset: by default (`apiPasswords({ revokeOnAdminReset })`)
// `adminReset` revokes every API password of the user, reports each revocation, and the old password
// stops working. Turning the option off keeps them (API passwords managed apart from MFA).
import { describe, expect, it } from 'vitest';
import { apiPasswords, createMfa, MemoryStore, totp, type LifecycleApiPasswordOptions, type MfaEvent } from '../../src/index.js';
import { FakeClock, seededRandom } from '../../src/testing/index.js';

async function compromised(api: LifecycleApiPasswordOptions = {}) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
  const events: MfaEvent[] = [];
  const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', clock, rng: seededRandom('api-reset'), onEvent: (e) => events.push(e), features: [apiPasswords(api)] });
  const begun = await mfa.beginEnrollment('alice', { account: 'alice@example.com' });
  if (!begun.ok) throw new Error('begin');
  expect((await mfa.confirmEnrollment('alice', totp(begun.secret, { time: clock.now() }))).ok).toBe(true);
  // The intruder, holding Alice's session, mints an API password.
  const minted = await mfa.issueApiPassword('alice', { label: 'totally legit' });
  if (!minted.ok) throw new Error('issue');
  expect((await mfa.verifyApiPassword('alice', minted.password)).ok).toBe(true);
  events.length = 0;
  return { mfa, events, minted };
}

describe('apiPasswords({ revokeOnAdminReset })', () => {
  it('is on by default: the feature made without options revokes (next test), and so does true', async () => {
    const { mfa, minted } = await compromised({ revokeOnAdminReset: true });
    await mfa.adminReset('alice', { actor: 'root' });
    expect((await mfa.verifyApiPassword('alice', minted.password)).ok).toBe(false);
  });

  it('default: adminReset revokes the API password minted during the compromise', async () => {
    const { mfa, events, minted } = await compromised();
    await mfa.adminReset('alice', { actor: 'root' });
    expect(await mfa.verifyApiPassword('alice', minted.password)).toEqual({ ok: false, reason: 'mismatch' });
    expect(await mfa.listApiPasswords('alice')).toEqual([]);
    expect(events).toMatchObject([
      { type: 'reset', by: 'admin', actor: 'root' },
      { type: 'api_password_revoked', id: minted.id, by: 'admin' },
    ]);
  });

  it('revokes even when MFA was already off (nothing else to clear)', async () => {
    const { mfa, minted } = await compromised();
    await mfa.adminReset('alice', { actor: 'root' });
    const again = await mfa.issueApiPassword('alice');
    if (!again.ok) throw new Error('issue');
    await mfa.adminReset('alice', { actor: 'root' });
    expect((await mfa.verifyApiPassword('alice', again.password)).ok).toBe(false);
    expect((await mfa.verifyApiPassword('alice', minted.password)).ok).toBe(false);
  });

  it('false: API passwords survive the reset', async () => {
    const { mfa, minted } = await compromised({ revokeOnAdminReset: false });
    await mfa.adminReset('alice', { actor: 'root' });
    expect((await mfa.verifyApiPassword('alice', minted.password)).ok).toBe(true);
  });
});
