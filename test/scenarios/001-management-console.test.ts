// Seed 001 — Management Console "Your MFA Settings", replayed as the console's backend would call
// mfakit: enable (pending, finalised at next login), active logins, disable, reset secret, and the API
// password for the Management API (HTTP Basic auth, one per user, the colon-in-username warning).
import { describe, expect, it } from 'vitest';
import { basicAuthUserIdAllowed, formatBasicAuth, parseBasicAuth } from '../../src/index.js';
import { authenticatorApp, backend, nextStep } from './_harness.js';

describe('seed 001: Management Console — Your MFA Settings', () => {
  const { mfa, clock } = backend('Management Console');
  const user = 'sysadmin';
  let oldPhone: ReturnType<typeof authenticatorApp>;
  let phone: ReturnType<typeof authenticatorApp>;

  it('"MFA Enabled" checkbox: unchecked by default', async () => {
    expect((await mfa.getStatus(user)).status).toBe('disabled');
  });

  it('"Enable MFA": a shared secret is generated and the MFA status is set to Pending', async () => {
    const enrollment = await mfa.beginEnrollment(user, { account: 'sysadmin' });
    expect(enrollment.ok).toBe(true);
    expect((await mfa.getStatus(user)).status).toBe('pending');
  });

  it('"finalized on the next login": after username and password the QR code is shown', async () => {
    // Logout, then "Enter your username and password, click OK."
    expect(await mfa.loginRequirement(user)).toBe('confirm');
    const pending = await mfa.pendingEnrollment(user);
    expect(pending?.uri).toMatch(/^otpauth:\/\/totp\/Management%20Console:sysadmin\?/);
    // "Scan the QR code … (or alternatively enter the token shown below the QR code manually)"
    phone = authenticatorApp(clock, pending!.secret);
  });

  it('"Enter the MFA code that is shown on your mobile phone\'s screen in the Code field. Click OK."', async () => {
    expect(await mfa.confirmEnrollment(user, '000000')).toMatchObject({ ok: false, reason: 'mismatch' });
    expect((await mfa.confirmEnrollment(user, phone.code())).ok).toBe(true);
    expect((await mfa.getStatus(user)).status).toBe('active');
  });

  it('"Active MFA": you only have to enter the code after username and password', async () => {
    nextStep(clock);
    expect(await mfa.loginRequirement(user)).toBe('verify');
    expect(await mfa.verifyLogin(user, phone.code())).toMatchObject({ ok: true, method: 'totp' });
  });

  it('"Reset Secret" … "only enabled when the MFA status is active"', async () => {
    const other = 'pending-user';
    await mfa.beginEnrollment(other, { account: 'pending-user' });
    expect(await mfa.resetSecret(other)).toEqual({ ok: false, reason: 'not_active' });
    expect(await mfa.resetSecret('never-enrolled')).toEqual({ ok: false, reason: 'not_active' });
  });

  it('"Reset Secret" generates a new TOTP secret and sets the MFA status to Pending', async () => {
    nextStep(clock);
    const reset = await mfa.resetSecret(user);
    expect(reset.ok).toBe(true);
    expect((await mfa.getStatus(user)).status).toBe('pending');
    oldPhone = phone;
  });

  it('"The previously scanned QR code … is invalid, and MFA codes generated with it cannot be used to log in"', async () => {
    expect(await mfa.verifyLogin(user, oldPhone.code())).toEqual({ ok: false, reason: 'not_enrolled' });
    // Finalisation again at the next login, with the new QR code; the old app's code is refused there too.
    expect(await mfa.loginRequirement(user)).toBe('confirm');
    expect(await mfa.confirmEnrollment(user, oldPhone.code())).toMatchObject({ ok: false, reason: 'mismatch' });
    const pending = await mfa.pendingEnrollment(user);
    phone = authenticatorApp(clock, pending!.secret);
    expect((await mfa.confirmEnrollment(user, phone.code())).ok).toBe(true);
    nextStep(clock);
    expect(await mfa.verifyLogin(user, oldPhone.code())).toEqual({ ok: false, reason: 'mismatch' });
    expect((await mfa.verifyLogin(user, phone.code())).ok).toBe(true);
  });

  it('"Disable MFA": you do not have to enter MFA codes when logging in', async () => {
    nextStep(clock);
    expect(await mfa.disable(user, { code: phone.code() })).toEqual({ ok: true, previous: 'active' });
    expect(await mfa.loginRequirement(user)).toBe('none');
    expect((await mfa.getStatus(user)).status).toBe('disabled');
  });

  // Issue 8: API passwords for the Management API.
  const apiUser = 'apiadmin';
  let apiPassword = '';

  it('"When MFA has been enabled … you cannot use your regular password to use the Management API" (issue 8)', async () => {
    expect(await mfa.passwordAuthAllowed(apiUser, 'api')).toBe(true);
    const enrollment = await mfa.beginEnrollment(apiUser, { account: apiUser });
    if (!enrollment.ok) throw new Error('enrolment');
    expect(await mfa.passwordAuthAllowed(apiUser, 'api')).toBe(true); // pending: finalised at next login
    expect((await mfa.confirmEnrollment(apiUser, authenticatorApp(clock, enrollment.secret).code())).ok).toBe(true);
    expect(await mfa.passwordAuthAllowed(apiUser, 'api')).toBe(false);
    expect(await mfa.passwordAuthAllowed(apiUser, 'ui')).toBe(true);
  });

  it('"Generate New API Password": shown once, one API password per user account (issue 8)', async () => {
    const first = await mfa.issueApiPassword(apiUser);
    if (!first.ok) throw new Error('API password');
    // "The password is shown and can be copied. The API password cannot be shown again."
    expect(JSON.stringify(await mfa.listApiPasswords(apiUser))).not.toContain(first.password);
    expect((await mfa.verifyApiPassword(apiUser, first.password)).ok).toBe(true);
    // "One API password per user account is supported": generating a new one replaces it.
    const second = await mfa.issueApiPassword(apiUser);
    if (!second.ok) throw new Error('API password');
    expect(second.replaced).toEqual([first.id]);
    expect(await mfa.listApiPasswords(apiUser)).toHaveLength(1);
    expect(await mfa.verifyApiPassword(apiUser, first.password)).toEqual({ ok: false, reason: 'mismatch' });
    expect((await mfa.verifyApiPassword(apiUser, second.password)).ok).toBe(true);
    apiPassword = second.password;
    // The Management API port: Basic auth with the API password.
    const auth = parseBasicAuth(formatBasicAuth({ userId: apiUser, password: apiPassword }));
    expect(auth.ok && (await mfa.verifyApiPassword(auth.userId, auth.password)).ok).toBe(true);
  });

  it('"When your username contains a colon (:) you may not be able to connect": Basic auth split (issue 8)', async () => {
    const colonUser = 'ops:backup';
    const issued = await mfa.issueApiPassword(colonUser);
    if (!issued.ok) throw new Error('API password');
    // "the password cannot be separated correctly from the whole string"
    const header = `Basic ${Buffer.from(`${colonUser}:${issued.password}`).toString('base64')}`;
    const auth = parseBasicAuth(header);
    expect(auth).toEqual({ ok: true, userId: 'ops', password: `backup:${issued.password}`, ambiguous: true });
    expect(await mfa.verifyApiPassword('ops', auth.ok ? auth.password : '')).toEqual({ ok: false, reason: 'format' });
    // mfakit says so up front, and refuses to build such a header …
    expect(basicAuthUserIdAllowed(colonUser)).toBe(false);
    expect(() => formatBasicAuth({ userId: colonUser, password: issued.password })).toThrowError(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    // … and since API passwords never contain a colon, an API that accepts only them can split at the last one.
    const last = parseBasicAuth(header, { split: 'last' });
    expect(last).toMatchObject({ ok: true, userId: colonUser, password: issued.password });
    expect(last.ok && (await mfa.verifyApiPassword(last.userId, last.password)).ok).toBe(true);
  });
});
