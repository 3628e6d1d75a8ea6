// Org enforcement with a 14-day deadline, as an operator runs it: the organisation's owner turns on
// "MFA required — members have 14 days to set it up", keeps a break-glass admin account exempt,
// members see a skippable prompt with their date, the events go to the notification service, and on
// day 14 after a member's first sign-in the prompt stops being skippable. Editing the policy later
// never gives anyone more time.
import { describe, expect, it } from 'vitest';
import { enforcementDeadlines, policies, stepUpAuthentication, type MfaEvent } from '../../src/index.js';
import { authenticatorApp, backend, nextStep } from './_harness.js';

const DAY = 86_400_000;
const ORG = 'org:acme';

describe('org enforcement with a 14-day deadline', () => {
  const { mfa, clock, events } = backend('Acme', {
    features: [policies({ scopes: () => [ORG] }), enforcementDeadlines(), stepUpAuthentication()],
  });
  const start = clock.now();
  /** What the notification service would mail: the events an app forwards to the user. */
  const notices = (type: MfaEvent['type']) => events.filter((e) => e.type === type);

  /** The app's sign-in: password first (checked by the app), then what mfakit says to ask next. */
  const signIn = (userId: string) => mfa.recordPasswordLogin(userId);

  it('the owner requires MFA within 14 days, exempting the break-glass account; the call answers the policy', async () => {
    const set = await mfa.setPolicy({ scope: ORG }, { required: true, enrollBy: 14 * DAY, exempt: ['breakglass'] }, { actor: 'owner' });
    expect(set).toEqual({ ok: true, changed: true, policy: { required: true, enrollBy: 14 * DAY, exempt: ['breakglass'] } });
  });

  it('day 0: Alice signs in and gets "set up MFA by <date>" with a Skip button', async () => {
    expect(await signIn('alice')).toEqual({ loginRequirement: 'enroll-optional', grace: { deadline: start + 14 * DAY, loginsLeft: null } });
    expect(notices('enforcement_grace_started')).toMatchObject([{ userId: 'alice', deadline: start + 14 * DAY }]);
  });

  it('day 3: Bob signs in for the first time since; his 14 days start now', async () => {
    clock.advance(3 * DAY);
    expect(await signIn('bob')).toMatchObject({ loginRequirement: 'enroll-optional', grace: { deadline: start + 17 * DAY } });
  });

  it('the break-glass account is never asked', async () => {
    expect(await signIn('breakglass')).toEqual({ loginRequirement: 'none' });
    expect((await mfa.getStatus('breakglass')).required).toBe(false);
  });

  it('day 5: Alice sets it up; from then on she is asked for a code', async () => {
    clock.advance(2 * DAY);
    const enrollment = await mfa.beginEnrollment('alice', { account: 'alice@acme.example' });
    if (!enrollment.ok) throw new Error('enrolment');
    const phone = authenticatorApp(clock, enrollment.secret);
    expect((await mfa.confirmEnrollment('alice', phone.code())).ok).toBe(true);
    expect(await signIn('alice')).toEqual({ loginRequirement: 'verify' });
    nextStep(clock);
    expect((await mfa.verifyLogin('alice', phone.code())).ok).toBe(true);
  });

  it('day 10: the owner edits the policy (sets it again, even with 30 days): nobody gets more time', async () => {
    clock.set(start + 10 * DAY);
    expect(await mfa.setPolicy({ scope: ORG }, { required: true, enrollBy: 30 * DAY, exempt: ['breakglass'] }, { actor: 'owner' })).toMatchObject({ changed: true });
    expect(await signIn('bob')).toMatchObject({ loginRequirement: 'enroll-optional', grace: { deadline: start + 17 * DAY } });
    // Carol joins now: the policy reaches her today, under its current terms.
    expect(await signIn('carol')).toMatchObject({ loginRequirement: 'enroll-optional', grace: { deadline: start + 40 * DAY } });
  });

  it('day 17: Bob skipped every time; the prompt is no longer skippable', async () => {
    clock.set(start + 17 * DAY - 1);
    expect(await mfa.loginRequirement('bob')).toBe('enroll-optional');
    clock.set(start + 17 * DAY);
    expect(await signIn('bob')).toEqual({ loginRequirement: 'enroll' });
    expect(await mfa.getStatus('bob')).toMatchObject({ required: true, loginRequirement: 'enroll' });
    // He cannot be moved back by removing and re-adding the policy either.
    await mfa.setPolicy({ scope: ORG }, null, { actor: 'owner' });
    await mfa.setPolicy({ scope: ORG }, { required: true, enrollBy: 14 * DAY, exempt: ['breakglass'] }, { actor: 'owner' });
    expect(await signIn('bob')).toEqual({ loginRequirement: 'enroll' });
  });

  it('every policy change is audited with who made it', () => {
    expect(notices('scope_policy_changed').map((e) => (e as { actor?: string }).actor)).toEqual(['owner', 'owner', 'owner', 'owner']);
  });
});
