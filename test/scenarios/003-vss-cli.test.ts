// Seed 003 — ITS Private Cloud `vss-cli account set mfa`, replayed as the VSS API backend would
// call mfakit: `mk AUTHENTICATOR` (QR, security key, 8 recovery codes saved to a text file, 6-digit
// verification), `verify`, `mk EMAIL|SMS`, `get-token`, and `rm` (an e-mailed confirmation token valid
// 15 minutes, crossed with a fake clock).
import { describe, expect, it } from 'vitest';
import { apiPasswords, confirmationTokens, decodeBase32, oneTimeCodes, recoveryCodes, recoveryCodesToText } from '../../src/index.js';
import { authenticatorApp, backend, nextStep } from './_harness.js';
import { outbox } from './_outbox.js';

describe('seed 003: vss-cli — MFA with TOTP', () => {
  // "Recovery codes … [ recover_code 1 ] … [ recover_code 8 ]": eight codes.
  const { mfa, clock } = backend('ITS Private Cloud', { features: [recoveryCodes({ count: 8 }), confirmationTokens(), apiPasswords()] });
  const user = 'jm';
  let phone: ReturnType<typeof authenticatorApp>;
  let shownCodes: readonly string[] = [];

  it('`mk AUTHENTICATOR`: "Please, scan the QR code" and "display the security key"', async () => {
    const enrollment = await mfa.beginEnrollment(user, { account: 'jm' });
    expect(enrollment.ok).toBe(true);
    if (!enrollment.ok) return;
    expect(enrollment.uri.startsWith('otpauth://totp/ITS%20Private%20Cloud:jm?')).toBe(true);
    // "Use the following key if you are unable to scan the QR Code: [ TOTP KEY ]"
    phone = authenticatorApp(clock, decodeBase32(enrollment.manualKey));
  });

  it('"Enter the 6-digit Code to verify enrolment was successful" → the 8 recovery codes', async () => {
    // vss-cli prints the codes before asking for the code; mfakit hands them out once the factor is
    // confirmed (codes for an unconfirmed factor would be useless), and the CLI prints them then.
    const confirmed = await mfa.confirmEnrollment(user, phone.code());
    expect(confirmed.ok).toBe(true);
    if (!confirmed.ok) return;
    shownCodes = confirmed.recoveryCodes;
    expect(shownCodes).toHaveLength(8);
    expect(new Set(shownCodes).size).toBe(8);
  });

  it('"Would you like to save the codes into a text file?" → __recovery_codes.txt', () => {
    const text = recoveryCodesToText(shownCodes, { issuer: 'ITS Private Cloud', account: 'jm', generatedAt: clock.now() });
    for (const code of shownCodes) expect(text).toContain(code);
  });

  it('`verify`: "Verify existing MFA setup" with the app\'s code', async () => {
    nextStep(clock);
    expect(await mfa.verifyLogin(user, phone.code())).toEqual({ ok: true, method: 'totp', remainingRecoveryCodes: 8, epoch: 0 });
  });

  it('a recovery code from the text file logs in once, "in the event you cannot get two-factor authentication codes"', async () => {
    expect(await mfa.verifyLogin(user, shownCodes[7]!)).toEqual({ ok: true, method: 'recovery', remainingRecoveryCodes: 7, epoch: 0 });
    expect(await mfa.verifyLogin(user, shownCodes[7]!)).toEqual({ ok: false, reason: 'replayed' });
  });

  // Issue 8: the out-of-band methods. The VSS backend with a mailer and an SMS gateway.
  const inbox = outbox();
  const vss = backend('ITS Private Cloud', { features: [recoveryCodes({ count: 8 }), oneTimeCodes({ sender: inbox.sender }), confirmationTokens(), apiPasswords()] });

  it('`mk EMAIL`: codes are e-mailed (issue 8)', async () => {
    const begun = await vss.mfa.beginEnrollment('jm-email', { method: 'email', destination: 'jm@utoronto.ca' });
    expect(begun).toMatchObject({ ok: true, method: 'email', sentTo: 'j•@utoronto.ca' });
    expect(inbox.last()).toMatchObject({ destination: 'jm@utoronto.ca', purpose: 'enroll', code: expect.stringMatching(/^\d{6}$/) });
    // "Enter the 6-digit Code to verify enrolment was successful"
    expect(await vss.mfa.confirmEnrollment('jm-email', inbox.last().code)).toEqual({ ok: true, recoveryCodes: [] });
    expect(await vss.mfa.getStatus('jm-email')).toMatchObject({ status: 'active', method: 'email' });
  });

  it('`mk SMS --phone`: codes are sent by SMS to the given phone number (issue 8)', async () => {
    const begun = await vss.mfa.beginEnrollment('jm-sms', { method: 'sms', destination: '+1 416 555 0199' });
    expect(begun).toMatchObject({ ok: true, method: 'sms', sentTo: '•••••••0199' });
    expect(inbox.last()).toMatchObject({ destination: '+1 416 555 0199', purpose: 'enroll' });
    expect((await vss.mfa.confirmEnrollment('jm-sms', inbox.last().code)).ok).toBe(true);
  });

  it('`get-token`: "Request TOTP token" sends a code to the e-mail/SMS destination (issue 8)', async () => {
    nextStep(vss.clock);
    expect(await vss.mfa.sendChallenge('jm-sms', 'login')).toMatchObject({ ok: true, method: 'sms' });
    const token = inbox.last();
    expect(token).toMatchObject({ userId: 'jm-sms', purpose: 'login', expiresAt: vss.clock.now() + 10 * 60_000 });
    // Asking again at once is rate limited; the code already sent keeps working.
    expect(await vss.mfa.sendChallenge('jm-sms', 'login')).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(await vss.mfa.verifyLogin('jm-sms', token.code)).toEqual({ ok: true, method: 'sms', remainingRecoveryCodes: 0, epoch: 0 });
  });

  // Issue 8: confirmation tokens, for the authenticator user `jm` enrolled above.
  const FIFTEEN_MINUTES = 15 * 60_000;
  let expiredToken = '';

  it('`rm`: "an email will be sent … with a link valid for 15min" — issueConfirmationToken(user, "disable", { ttl: 15 min }) (issue 8)', async () => {
    const issued = await mfa.issueConfirmationToken(user, 'disable', { ttl: FIFTEEN_MINUTES });
    expect(issued).toEqual({ ok: true, token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expiresAt: clock.now() + FIFTEEN_MINUTES });
    if (!issued.ok) return;
    // "message : Confirmation email sent." — the user waits too long:
    clock.advance(FIFTEEN_MINUTES);
    expect(await mfa.disable(user, { token: issued.token, passwordVerified: true })).toEqual({ ok: false, reason: 'expired' });
    expect((await mfa.getStatus(user)).status).toBe('active');
    expiredToken = issued.token;
  });

  it('`rm`: "paste the token to continue" → "TOTP has been disabled"; a token after 15 min or a second use is refused (issue 8)', async () => {
    const issued = await mfa.issueConfirmationToken(user, 'disable', { ttl: FIFTEEN_MINUTES });
    if (!issued.ok) throw new Error('token');
    expect(await mfa.disable(user, { token: expiredToken })).toEqual({ ok: false, reason: 'mismatch' }); // the old link
    clock.advance(FIFTEEN_MINUTES - 1); // one millisecond before the edge
    expect(await mfa.disable(user, { token: issued.token, passwordVerified: true })).toEqual({ ok: true, previous: 'active' });
    expect(await mfa.loginRequirement(user)).toBe('none');
    // The same token again: nothing left to disable, and the token is gone.
    expect(await mfa.disable(user, { token: issued.token })).toEqual({ ok: false, reason: 'not_enrolled' });
  });
});
