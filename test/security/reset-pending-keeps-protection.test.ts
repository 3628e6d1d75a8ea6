// Finding: after a reset the record was merely "pending", so `disable` needed no proof (ignoring
// `disableRequiresPassword`) and `passwordAuthAllowed(userId, 'api')` turned true again: a reset was a
// downgrade to password-only. A pending record that was active before now counts as enrolled until
// the new factor is confirmed or an administrator resets it. On the old code the second and third
// tests fail (disable answered ok without a proof; the API allowed the account password).
import { describe, expect, it } from 'vitest';
import { createMfa, MemoryStore, totp, type CreateMfaOptions } from '../../src/index.js';
import { FakeClock, seededRandom } from '../../src/testing/index.js';
import { allFeatures } from '../support/features.js';

const STEP = 30_000;

/** Alice enrolled, logged in, and reset her secret (with a code as proof). */
async function resetUser(extra: Partial<Omit<CreateMfaOptions, 'features'>> = {}) {
  const clock = new FakeClock(Date.UTC(2026, 5, 1, 8, 0, 10));
  const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', clock, rng: seededRandom('reset-pending'), features: allFeatures(), ...extra });
  const begun = await mfa.beginEnrollment('alice', { account: 'alice@example.com' });
  if (!begun.ok) throw new Error('enrolment');
  const old = () => totp(begun.secret, { time: clock.now() });
  const confirmed = await mfa.confirmEnrollment('alice', old());
  if (!confirmed.ok) throw new Error('confirm');
  clock.advance(STEP);
  const reset = await mfa.resetSecret('alice', { proof: { code: old() } });
  if (!reset.ok) throw new Error('reset');
  const next = () => totp(reset.secret, { time: clock.now() });
  clock.advance(STEP);
  return { mfa, clock, old, next, recoveryCodes: confirmed.recoveryCodes };
}

describe('a pending reset keeps the protection of the factor it replaces', () => {
  it('seed 001 still holds: pending, the old secret dead at once, finalised at the next login', async () => {
    const { mfa, old, next } = await resetUser();
    expect(await mfa.getStatus('alice')).toMatchObject({ status: 'pending', loginRequirement: 'confirm' });
    expect(await mfa.verifyLogin('alice', old())).toEqual({ ok: false, reason: 'not_enrolled' });
    expect((await mfa.confirmEnrollment('alice', next())).ok).toBe(true);
    expect((await mfa.getStatus('alice')).status).toBe('active');
  });

  it('disable needs a proof: a code cannot vouch, a token issued since the reset or a fresh login can', async () => {
    const { mfa, clock, old, next, recoveryCodes } = await resetUser();
    // Neither the old factor (gone), nor its recovery codes, nor the unconfirmed new secret (shown to
    // anyone who passes the password step, seed 001) proves who is asking.
    expect(await mfa.disable('alice', { code: next() })).toEqual({ ok: false, reason: 'proof_required' });
    expect(await mfa.disable('alice', { code: old() })).toEqual({ ok: false, reason: 'proof_required' });
    expect(await mfa.disable('alice', { code: recoveryCodes[0]! })).toEqual({ ok: false, reason: 'proof_required' });
    expect(await mfa.disable('alice', { fresh: true })).toEqual({ ok: false, reason: 'proof_required' });
    expect((await mfa.getStatus('alice')).status).toBe('pending');
    const token = await mfa.issueConfirmationToken('alice', 'disable');
    if (!token.ok) throw new Error('token');
    clock.advance(1000);
    expect(await mfa.disable('alice', { token: token.token })).toEqual({ ok: true, previous: 'pending' });
    expect(await mfa.getStatus('alice')).toMatchObject({ status: 'disabled', loginRequirement: 'none' });
  });

  it('a token issued before the reset does not count; disableRequiresPassword still applies', async () => {
    const clock = new FakeClock(Date.UTC(2026, 5, 1, 8, 0, 10));
    const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', clock, rng: seededRandom('early-token'), features: allFeatures(), disableRequiresPassword: true });
    const begun = await mfa.beginEnrollment('bob', { account: 'bob@example.com' });
    if (!begun.ok) throw new Error('enrolment');
    const code = () => totp(begun.secret, { time: clock.now() });
    expect((await mfa.confirmEnrollment('bob', code())).ok).toBe(true);
    const early = await mfa.issueConfirmationToken('bob', 'disable');
    if (!early.ok) throw new Error('token');
    clock.advance(STEP);
    expect((await mfa.verifyLogin('bob', code())).ok).toBe(true);
    expect((await mfa.resetSecret('bob', { proof: { fresh: true, passwordVerified: true } })).ok).toBe(true);
    clock.advance(1000);
    expect(await mfa.disable('bob', { token: early.token, passwordVerified: true })).toEqual({ ok: false, reason: 'expired' });
    expect(await mfa.disable('bob', { fresh: true })).toEqual({ ok: false, reason: 'password_required' });
    // The login before the reset is still within freshWithin: the owner may cancel with it.
    expect(await mfa.disable('bob', { fresh: true, passwordVerified: true })).toEqual({ ok: true, previous: 'pending' });
  });

  it('the API keeps refusing the account password until the reset is finalised or an admin resets', async () => {
    const { mfa, next } = await resetUser();
    expect(await mfa.passwordAuthAllowed('alice', 'api')).toBe(false);
    expect(await mfa.passwordAuthAllowed('alice', 'ui')).toBe(true);
    expect((await mfa.confirmEnrollment('alice', next())).ok).toBe(true);
    expect(await mfa.passwordAuthAllowed('alice', 'api')).toBe(false);

    const other = await resetUser();
    expect(await other.mfa.adminReset('alice', { actor: 'support' })).toEqual({ ok: true, previous: 'pending' });
    expect(await other.mfa.passwordAuthAllowed('alice', 'api')).toBe(true);
    expect(await other.mfa.loginRequirement('alice')).toBe('none');
  });

  it('a first enrolment is unchanged: pending, disable without proof, the API still takes the password', async () => {
    const clock = new FakeClock(Date.UTC(2026, 5, 1, 8, 0, 10));
    const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', clock, rng: seededRandom('first'), features: allFeatures() });
    expect((await mfa.beginEnrollment('carol', { account: 'carol@example.com' })).ok).toBe(true);
    expect(await mfa.passwordAuthAllowed('carol', 'api')).toBe(true);
    expect(await mfa.disable('carol', { code: '' })).toEqual({ ok: true, previous: 'pending' });
  });
});
