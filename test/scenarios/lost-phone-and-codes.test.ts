// "The user loses the phone and the recovery codes": the worst case the seeds leave to support.
// An operator's story, step by step: Dana trusted her laptop, then loses her phone and the
// printed codes; she asks for break-glass recovery, the owner's address hears of it at once and
// again a day before the end, a would-be attacker's request is cancelled by the real owner's login,
// and after 72 quiet hours MFA is reset, every session and trusted device ends, and she enrols again.
import { describe, expect, it } from 'vitest';
import { breakGlassRecovery, recoveryCodes, trustedDevices, type RecoveryNotice } from '../../src/index.js';
import { authenticatorApp, backend, nextStep } from './_harness.js';

const HOUR = 3_600_000;
const owner = 'dana';
const notices: RecoveryNotice[] = [];
/** The product's mailer: notices go to the address on file, never to whoever made the request. */
const mailOwner = (n: RecoveryNotice) => void notices.push(n);

describe('user loses phone and codes: break-glass recovery with a 72-hour cooling-off', () => {
  const { mfa, clock, events } = backend('Acme Cloud', {
    features: [recoveryCodes(), trustedDevices({ ttl: 30 * 24 * HOUR, max: 5 }), breakGlassRecovery({ notify: mailOwner })],
  });
  let phone: ReturnType<typeof authenticatorApp>;
  let printedCodes: readonly string[];
  let laptopCookie: string;
  let sessionEpoch: number;

  it('Dana sets up MFA and ticks "remember this device for 30 days" on her laptop', async () => {
    const enrollment = await mfa.beginEnrollment(owner, { account: 'dana@example.com' });
    if (!enrollment.ok) throw new Error('enrolment');
    phone = authenticatorApp(clock, enrollment.secret);
    const confirmed = await mfa.confirmEnrollment(owner, phone.code());
    if (!confirmed.ok) throw new Error('confirm');
    printedCodes = confirmed.recoveryCodes;
    nextStep(clock);
    const login = await mfa.verifyLogin(owner, phone.code());
    if (!login.ok) throw new Error('login');
    sessionEpoch = login.epoch; // kept with the session
    const trusted = await mfa.trustDevice(owner, { label: 'Dana’s laptop' });
    if (!trusted.ok) throw new Error('trust');
    laptopCookie = trusted.token;
    clock.advance(24 * HOUR);
    expect(await mfa.verifyLogin(owner, laptopCookie)).toMatchObject({ ok: true, method: 'device' });
  });

  it('someone with her password asks for recovery; the real Dana gets mail, signs in with her phone, and that cancels it', async () => {
    const asked = await mfa.requestRecovery(owner, { reason: 'lost my phone' });
    expect(asked.ok).toBe(true);
    expect(notices.at(-1)).toMatchObject({ kind: 'started', userId: owner });
    expect(await mfa.requestRecovery(owner, { reason: 'again' })).toEqual({ ok: false, reason: 'already_open' });
    clock.advance(5 * HOUR);
    nextStep(clock);
    expect((await mfa.verifyLogin(owner, phone.code())).ok).toBe(true);
    expect(await mfa.recoveryStatus(owner)).toEqual({ open: false });
    expect(events.filter((e) => e.type === 'recovery_cancelled').at(-1)).toMatchObject({ by: 'login' });
  });

  it('weeks later Dana really loses the phone and the printed codes, and asks for recovery herself', async () => {
    clock.advance(14 * 24 * HOUR);
    phone = { code: () => 'lost' };
    printedCodes = [];
    const asked = await mfa.requestRecovery(owner, { reason: 'phone stolen, codes were in the bag' });
    if (!asked.ok) throw new Error('request');
    expect(asked.availableAt).toBe(clock.now() + 72 * HOUR);
    expect(notices.at(-1)).toMatchObject({ kind: 'started', availableAt: asked.availableAt });
    // Support cannot shortcut the wait.
    expect(await mfa.completeRecovery(owner, { actor: 'support:sam' })).toMatchObject({ ok: false, reason: 'cooling_off', availableAt: asked.availableAt });
  });

  it('the hourly job sends the final notice a day before the end, once', async () => {
    const { availableAt } = (await mfa.recoveryStatus(owner)) as { availableAt: number };
    for (let hour = 1; hour <= 72; hour++) {
      clock.advance(HOUR);
      await mfa.remindRecovery(owner); // what the product's scheduler runs for every open request
    }
    expect(notices.filter((n) => n.kind === 'reminder')).toEqual([{ kind: 'reminder', userId: owner, requestId: expect.any(String), availableAt }]);
    expect(clock.now()).toBeGreaterThanOrEqual(availableAt);
  });

  it('after 72 quiet hours MFA is reset: old sessions and the trusted laptop stop working, she enrols again', async () => {
    expect(await mfa.completeRecovery(owner, { actor: 'self-service' })).toMatchObject({ ok: true, previous: 'active' });
    expect(notices.at(-1)).toMatchObject({ kind: 'completed' });
    expect(await mfa.isSessionCurrent(owner, sessionEpoch)).toBe(false);
    expect(await mfa.verifyLogin(owner, laptopCookie)).toEqual({ ok: false, reason: 'not_enrolled' });
    expect(await mfa.listDevices(owner)).toEqual([]);
    expect(await mfa.loginRequirement(owner)).toBe('none');
    const again = await mfa.beginEnrollment(owner, { account: 'dana@example.com' });
    if (!again.ok) throw new Error('enrol again');
    phone = authenticatorApp(clock, again.secret);
    expect((await mfa.confirmEnrollment(owner, phone.code())).ok).toBe(true);
    expect(printedCodes).toEqual([]);
  });

  it('the audit trail tells the whole story', () => {
    const story = events
      .map((e) => e.type)
      .filter((t) => t.startsWith('recovery_') || t.startsWith('device') || t === 'reset');
    expect(story).toEqual([
      'device_trusted',
      'recovery_requested',
      'recovery_refused',
      'recovery_cancelled',
      'recovery_requested',
      'recovery_reminded',
      'reset',
      'devices_revoked',
      'recovery_completed',
    ]);
  });
});
