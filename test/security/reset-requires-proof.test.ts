// Finding: `resetSecret(userId)` needed no proof. Whoever held the user's password or session turned
// an active factor into a pending one (a downgrade to password-only until someone confirms it).
// Now it needs a Proof — a code, a recovery code, a confirmation token — or, by default, a login with
// the second factor within `freshWithin`. On the old code `resetSecret(user)` without any login
// answered `ok: true`, so the first test fails there.
import { describe, expect, it } from 'vitest';
import { createMfa, MemoryStore, totp, type CreateMfaOptions, type MfaEvent } from '../../src/index.js';
import { FakeClock, seededRandom } from '../../src/testing/index.js';
import { allFeatures } from '../support/features.js';

const STEP = 30_000;

async function activeUser(extra: Partial<Omit<CreateMfaOptions, 'features'>> = {}) {
  const clock = new FakeClock(Date.UTC(2026, 5, 1, 8, 0, 10));
  const events: MfaEvent[] = [];
  const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', clock, rng: seededRandom('reset-proof'), features: allFeatures(), onEvent: (e) => events.push(e), ...extra });
  const begun = await mfa.beginEnrollment('alice', { account: 'alice@example.com' });
  if (!begun.ok) throw new Error('enrolment');
  const code = () => totp(begun.secret, { time: clock.now() });
  const confirmed = await mfa.confirmEnrollment('alice', code());
  if (!confirmed.ok) throw new Error('confirm');
  clock.advance(STEP);
  return { mfa, clock, events, code, recoveryCodes: confirmed.recoveryCodes };
}

describe('resetSecret needs a proof (or a fresh login)', () => {
  it('without a proof and without a recent login: proof_required, and MFA stays active', async () => {
    const { mfa, code } = await activeUser();
    expect(await mfa.resetSecret('alice')).toEqual({ ok: false, reason: 'proof_required' });
    expect(await mfa.resetSecret('alice', { proof: { fresh: true } })).toEqual({ ok: false, reason: 'proof_required' });
    expect(await mfa.getStatus('alice')).toMatchObject({ status: 'active', loginRequirement: 'verify' });
    expect(await mfa.passwordAuthAllowed('alice', 'api')).toBe(false);
    expect((await mfa.verifyLogin('alice', code())).ok).toBe(true);
  });

  it('a wrong code is refused and counts toward the lockout like any other check', async () => {
    const { mfa } = await activeUser();
    expect(await mfa.resetSecret('alice', { proof: { code: '000000' } })).toMatchObject({ ok: false, reason: 'mismatch' });
    expect((await mfa.getStatus('alice')).failures).toBe(1);
    for (let i = 0; i < 4; i++) await mfa.resetSecret('alice', { proof: { code: '000000' } });
    expect(await mfa.resetSecret('alice', { proof: { fresh: true } })).toMatchObject({ ok: false, reason: 'locked' });
  });

  it('a current code, a recovery code, or a confirmation token issued for "reset" each work', async () => {
    const withCode = await activeUser();
    expect((await withCode.mfa.resetSecret('alice', { proof: { code: withCode.code() } })).ok).toBe(true);

    const withRecovery = await activeUser();
    expect((await withRecovery.mfa.resetSecret('alice', { proof: { code: withRecovery.recoveryCodes[0]! } })).ok).toBe(true);

    const withToken = await activeUser();
    const forDisable = await withToken.mfa.issueConfirmationToken('alice', 'disable');
    if (!forDisable.ok) throw new Error('token');
    expect(await withToken.mfa.resetSecret('alice', { proof: { token: forDisable.token } })).toMatchObject({ ok: false, reason: 'expired' });
    const forReset = await withToken.mfa.issueConfirmationToken('alice', 'reset');
    if (!forReset.ok) throw new Error('token');
    expect((await withToken.mfa.resetSecret('alice', { proof: { token: forReset.token } })).ok).toBe(true);
  });

  it('step-up: a login within freshWithin (default 5 minutes) is the proof; after it, not any more', async () => {
    const { mfa, clock, code } = await activeUser();
    expect((await mfa.verifyLogin('alice', code())).ok).toBe(true);
    clock.advance(300_000);
    const reset = await mfa.resetSecret('alice');
    expect(reset.ok).toBe(true);

    const late = await activeUser();
    expect((await late.mfa.verifyLogin('alice', late.code())).ok).toBe(true);
    late.clock.advance(300_001);
    expect(await late.mfa.resetSecret('alice')).toEqual({ ok: false, reason: 'proof_required' });
  });

  it('a failed login does not make a session fresh; freshWithin: null turns the shortcut off', async () => {
    const failed = await activeUser();
    expect((await failed.mfa.verifyLogin('alice', '000000')).ok).toBe(false);
    expect(await failed.mfa.resetSecret('alice')).toEqual({ ok: false, reason: 'proof_required' });

    const strict = await activeUser({ freshWithin: null });
    expect((await strict.mfa.verifyLogin('alice', strict.code())).ok).toBe(true);
    expect(await strict.mfa.resetSecret('alice')).toEqual({ ok: false, reason: 'proof_required' });
  });

  it('disableRequiresPassword: every proof also needs passwordVerified', async () => {
    const { mfa, clock, code } = await activeUser({ disableRequiresPassword: true });
    expect((await mfa.verifyLogin('alice', code())).ok).toBe(true);
    expect(await mfa.resetSecret('alice')).toEqual({ ok: false, reason: 'password_required' });
    clock.advance(STEP);
    expect(await mfa.resetSecret('alice', { proof: { code: code() } })).toEqual({ ok: false, reason: 'password_required' });
    expect((await mfa.resetSecret('alice', { proof: { fresh: true, passwordVerified: true } })).ok).toBe(true);
  });

  it('adminReset stays proof-less and is audited', async () => {
    const { mfa, events } = await activeUser();
    expect(await mfa.adminReset('alice', { actor: 'support-7' })).toEqual({ ok: true, previous: 'active' });
    expect(events.at(-1)).toMatchObject({ type: 'reset', by: 'admin', actor: 'support-7' });
  });
});
