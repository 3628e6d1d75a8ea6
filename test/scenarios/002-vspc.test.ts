// Seed 002 — Veeam Service Provider Console "Multi-Factor Authentication" (REST API), replayed as
// the VSPC backend would call mfakit: own-account enrolment through totp-secret and logins/totp,
// and the per-user `mfaPolicyStatus` an administrator patches; the REST API refuses the password once
// MFA is active (API keys instead) and stays intact for users merely required to enrol.
import { describe, expect, it } from 'vitest';
import { encodeBase32, parseOtpauthUri, policies, apiPasswords } from '../../src/index.js';
import { authenticatorApp, backend, nextStep } from './_harness.js';

describe('seed 002: VSPC — configuring MFA for own account', () => {
  const { mfa, clock } = backend('My Company Portal');
  const userUid = '955b0b80-03b2-49fd-bf38-14785ecff0a8';
  let secretUrl = '';
  let phone: ReturnType<typeof authenticatorApp>;

  it('step 1: /authentication/keys/totp-secret returns `secret` and `secretUrl`', async () => {
    const enrollment = await mfa.beginEnrollment(userUid, { account: 'vspc\\Administrator' });
    expect(enrollment.ok).toBe(true);
    if (!enrollment.ok) return;
    const response = { data: { secret: encodeBase32(enrollment.secret), secretUrl: enrollment.uri } };
    expect(response.data.secret).toMatch(/^[A-Z2-7]{32}$/);
    // "otpauth://totp/vspc%5cAdministrator?secret=…&issuer=My%20Company%20Portal"
    expect(response.data.secretUrl).toMatch(/^otpauth:\/\/totp\/My%20Company%20Portal:vspc%5CAdministrator\?/i);
    expect(response.data.secretUrl).toContain('issuer=My%20Company%20Portal');
    secretUrl = response.data.secretUrl;
  });

  it('step 2: "enter the secret key" (or scan the QR made from secretUrl) in an authenticator app', () => {
    const parsed = parseOtpauthUri(secretUrl);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) phone = authenticatorApp(clock, parsed.value.secret);
  });

  it('step 3: POST /users/{userUid}/logins/totp with secretUrl and the active code → identity "enabled"', async () => {
    // The backend checks that the secretUrl sent back is the pending one, then confirms the code.
    expect((await mfa.pendingEnrollment(userUid))?.uri).toBe(secretUrl);
    const confirmed = await mfa.confirmEnrollment(userUid, phone.code());
    expect(confirmed.ok).toBe(true);
    const status = await mfa.getStatus(userUid);
    const identity = { identityProviderName: 'TOTP', status: status.status === 'active' ? 'enabled' : 'disabled' };
    expect(identity).toEqual({ identityProviderName: 'TOTP', status: 'enabled' });
  });

  it('portal login with the verification code from the app', async () => {
    nextStep(clock);
    expect(await mfa.loginRequirement(userUid)).toBe('verify');
    expect((await mfa.verifyLogin(userUid, phone.code())).ok).toBe(true);
  });

  it('"that user can no longer authenticate with user name and password to the … REST API" (issue 8)', async () => {
    expect(await mfa.passwordAuthAllowed(userUid, 'api')).toBe(false);
    expect(await mfa.passwordAuthAllowed(userUid, 'ui')).toBe(true); // the portal asks for the code next
    // "Before you assign a second authentication factor … configure … API Key-Based Authentication"
    const key = await mfa.issueApiPassword(userUid, { label: 'API key' });
    if (!key.ok) throw new Error('API key');
    expect((await mfa.verifyApiPassword(userUid, key.password)).ok).toBe(true);
  });
});

describe('seed 002: VSPC — enabling and disabling MFA for other users (mfaPolicyStatus)', () => {
  const { mfa, clock, events } = backend('My Company Portal', { features: [policies(), apiPasswords()] });
  const alpha = 'alpha_admin';

  it('PATCH mfaPolicyStatus "enabled": "On the next authorization, these users will be prompted to configure MFA"', async () => {
    await mfa.setPolicy({ userId: alpha }, { required: true }, { actor: 'vspc\\Administrator' });
    expect(await mfa.getPolicy({ userId: alpha })).toEqual({ required: true });
    expect(await mfa.loginRequirement(alpha)).toBe('enroll');
    expect(events.at(-1)).toMatchObject({ type: 'policy_changed', userId: alpha, required: true, actor: 'vspc\\Administrator' });
  });

  it('the prompted user configures MFA at that authorization; the policy keeps them from turning it off', async () => {
    const enrollment = await mfa.beginEnrollment(alpha, { account: 'alpha_admin' });
    if (!enrollment.ok) throw new Error('enrolment');
    const phone = authenticatorApp(clock, enrollment.secret);
    expect((await mfa.confirmEnrollment(alpha, phone.code())).ok).toBe(true);
    nextStep(clock);
    expect(await mfa.disable(alpha, { code: phone.code() })).toEqual({ ok: false, reason: 'policy' });
  });

  it('PATCH mfaPolicyStatus "disabled": MFA is no longer required', async () => {
    await mfa.setPolicy({ userId: alpha }, { required: false }, { actor: 'vspc\\Administrator' });
    expect((await mfa.getStatus(alpha)).required).toBe(false);
  });

  it('"permanently disable MFA for a specific user: delete the associated user identity resource"', async () => {
    expect(await mfa.adminReset(alpha, { actor: 'vspc\\Administrator' })).toEqual({ ok: true, previous: 'active' });
    expect(await mfa.loginRequirement(alpha)).toBe('none');
    expect(events.at(-1)).toMatchObject({ type: 'reset', by: 'admin', actor: 'vspc\\Administrator' });
  });

  it('"Enabled MFA only affects users that access … Portal. Authentication to … REST API remains intact" (issue 8: per-channel check)', async () => {
    const beta = 'beta_admin';
    await mfa.setPolicy({ userId: beta }, { required: true }, { actor: 'vspc\\Administrator' });
    expect(await mfa.loginRequirement(beta)).toBe('enroll'); // the portal prompts
    expect(await mfa.passwordAuthAllowed(beta, 'api')).toBe(true); // the REST API does not
  });
});
