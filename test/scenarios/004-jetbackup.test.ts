// Seed 004 — JetBackup Storage "Profile Settings": the MFA switcher, "set it up at your next
// login", MFA reset while logged in, and the root user's organisation-wide policy with a
// per-subuser "Reset MFA", replayed as the JetBackup backend would call mfakit.
import { describe, expect, it } from 'vitest';
import { policies } from '../../src/index.js';
import { authenticatorApp, backend, nextStep } from './_harness.js';

const ORG = 'org:jetbackup-account-42';
const members = new Set(['root', 'sub-anna', 'sub-ben']);

describe('seed 004: JetBackup — enabling, resetting and disabling MFA for your account', () => {
  const { mfa, clock } = backend('JetBackup Storage', { features: [policies()] });
  const user = 'sub-anna';
  let phone: ReturnType<typeof authenticatorApp>;

  it('"By default, your … account doesn\'t have MFA enabled"', async () => {
    expect(await mfa.loginRequirement(user)).toBe('none');
  });

  it('"Click the Multi-Factor Authentication switcher" → "you\'ll be asked to set it up at your next login"', async () => {
    await mfa.setPolicy({ userId: user }, { required: true }, { actor: 'root' });
    expect(await mfa.loginRequirement(user)).toBe('enroll');
  });

  it('next login: set up with an authenticator app; "Without this code, you won\'t be able to access your account"', async () => {
    const enrollment = await mfa.beginEnrollment(user, { account: 'anna@example.com' });
    if (!enrollment.ok) throw new Error('enrolment');
    phone = authenticatorApp(clock, enrollment.secret);
    expect((await mfa.confirmEnrollment(user, phone.code())).ok).toBe(true);
    nextStep(clock);
    expect(await mfa.loginRequirement(user)).toBe('verify');
    expect(await mfa.verifyLogin(user, '000000')).toMatchObject({ ok: false, reason: 'mismatch' });
    expect((await mfa.verifyLogin(user, phone.code())).ok).toBe(true);
  });

  it('"MFA Reset" while logged in: "set up MFA again at your next login with a new device"', async () => {
    const lostPhone = phone;
    const reset = await mfa.resetSecret(user);
    expect(reset.ok).toBe(true);
    expect(await mfa.loginRequirement(user)).toBe('confirm');
    expect(await mfa.verifyLogin(user, lostPhone.code())).toEqual({ ok: false, reason: 'not_enrolled' });
    const pending = await mfa.pendingEnrollment(user);
    phone = authenticatorApp(clock, pending!.secret);
    expect((await mfa.confirmEnrollment(user, phone.code())).ok).toBe(true);
  });

  it('"If you\'re unable to log in … contact our support team": support clears MFA (adminReset)', async () => {
    expect(await mfa.adminReset(user, { actor: 'support' })).toEqual({ ok: true, previous: 'active' });
    // The user's own switcher is still on, so MFA is set up again at the next login.
    expect(await mfa.loginRequirement(user)).toBe('enroll');
    const enrollment = await mfa.beginEnrollment(user, { account: 'anna@example.com' });
    if (!enrollment.ok) throw new Error('enrolment');
    phone = authenticatorApp(clock, enrollment.secret);
    expect((await mfa.confirmEnrollment(user, phone.code())).ok).toBe(true);
  });

  it('switcher off: "disabling MFA will revert your login process to using only your username and password"', async () => {
    // mfakit asks a proof for self-service disable: the backend asks for a current code.
    await mfa.setPolicy({ userId: user }, null, { actor: 'root' });
    nextStep(clock);
    expect(await mfa.disable(user, { code: phone.code() })).toEqual({ ok: true, previous: 'active' });
    expect(await mfa.loginRequirement(user)).toBe('none');
  });
});

describe('seed 004: JetBackup — Organization-wide Policies (root user)', () => {
  const { mfa, clock, events } = backend('JetBackup Storage', {
    features: [policies({ scopes: (userId) => (members.has(userId) ? [ORG] : []) })],
  });
  const phones = new Map<string, ReturnType<typeof authenticatorApp>>();

  async function enrol(userId: string): Promise<void> {
    const enrollment = await mfa.beginEnrollment(userId, { account: `${userId}@example.com` });
    if (!enrollment.ok) throw new Error('enrolment');
    phones.set(userId, authenticatorApp(clock, enrollment.secret));
    const confirmed = await mfa.confirmEnrollment(userId, phones.get(userId)!.code());
    if (!confirmed.ok) throw new Error('confirm');
  }

  it('before the policy, a subuser may run without MFA', async () => {
    expect(await mfa.loginRequirement('sub-ben')).toBe('none');
  });

  it('"Enforce MFA policy to all users in your organization": mandatory for all users, including you', async () => {
    await enrol('sub-anna');
    await mfa.setPolicy({ scope: ORG }, { required: true }, { actor: 'root' });
    expect(events.at(-1)).toMatchObject({ type: 'scope_policy_changed', scope: ORG, required: true, actor: 'root' });
    expect(await mfa.loginRequirement('root')).toBe('enroll');
    expect(await mfa.loginRequirement('sub-ben')).toBe('enroll');
    expect(await mfa.loginRequirement('sub-anna')).toBe('verify');
    expect(await mfa.loginRequirement('outsider')).toBe('none');
  });

  it('"making it impossible for any subuser to disable MFA"', async () => {
    nextStep(clock);
    expect(await mfa.disable('sub-anna', { code: phones.get('sub-anna')!.code() })).toEqual({ ok: false, reason: 'policy' });
    await mfa.setPolicy({ userId: 'sub-anna' }, { required: false }, { actor: 'sub-anna' });
    expect(await mfa.disable('sub-anna', { code: phones.get('sub-anna')!.code() })).toEqual({ ok: false, reason: 'policy' });
  });

  it('"they can still reset their own MFA" … "only possible while you are logged in"', async () => {
    // Not from a password alone: the reset needs a login with the second factor within \`freshWithin\`.
    expect(await mfa.resetSecret('sub-anna')).toEqual({ ok: false, reason: 'proof_required' });
    nextStep(clock);
    expect((await mfa.verifyLogin('sub-anna', phones.get('sub-anna')!.code())).ok).toBe(true);
    const reset = await mfa.resetSecret('sub-anna');
    expect(reset.ok).toBe(true);
    if (reset.ok) phones.set('sub-anna', authenticatorApp(clock, reset.secret));
    expect((await mfa.confirmEnrollment('sub-anna', phones.get('sub-anna')!.code())).ok).toBe(true);
  });

  it('the "Reset MFA" button for each subuser: the subuser sets MFA up again at the next login', async () => {
    await enrol('sub-ben');
    expect(await mfa.adminReset('sub-ben', { actor: 'root' })).toEqual({ ok: true, previous: 'active' });
    expect(await mfa.loginRequirement('sub-ben')).toBe('enroll');
    expect(events.at(-1)).toMatchObject({ type: 'reset', userId: 'sub-ben', by: 'admin', actor: 'root' });
    nextStep(clock);
    expect(await mfa.verifyLogin('sub-ben', phones.get('sub-ben')!.code())).toEqual({ ok: false, reason: 'not_enrolled' });
  });

  it('lifting the policy lets subusers disable MFA again', async () => {
    await mfa.setPolicy({ scope: ORG }, null, { actor: 'root' });
    expect(await mfa.loginRequirement('sub-ben')).toBe('none');
    nextStep(clock);
    expect((await mfa.disable('sub-anna', { code: phones.get('sub-anna')!.code() })).ok).toBe(true);
  });

  // "Organization-wide Policies are exclusively available for root users": who may call setPolicy
  // and adminReset is the application's authorisation, not mfakit's.
});
