// Seed 001 — Management Console "Your MFA Settings", replayed as the console's backend would call
// mfakit: enable (pending, finalised at next login), active logins, disable, reset secret. The API
// password section waits for issue 8.
import { describe, expect, it } from 'vitest';
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
  it.todo('"When MFA has been enabled … you cannot use your regular password to use the Management API" (issue 8)');
  it.todo('"Generate New API Password": shown once, one API password per user account (issue 8)');
  it.todo('"When your username contains a colon (:) you may not be able to connect": Basic auth split (issue 8)');
});
