// stepUpAuthentication(): requireFreshMfa across the window (FakeClock on both sides of maxAge and freshWithin),
// stepUp with replay protection and lockout and without counting as a login, and every sensitive
// operation taking { fresh: true } within the window and refusing it after.
import { describe, expect, it } from 'vitest';
import { apiPasswords, createMfa, MemoryStore, oneTimeCodes, recoveryCodes, stepUpAuthentication, totp, type MfaEvent, type OneTimeCodeMessage } from '../../../../src/index.js';
import { FakeClock, seededRandom } from '../../../../src/testing/index.js';
import { enrolledUser } from '../../../support/enrolled-user.js';

const T0 = Date.UTC(2026, 5, 1, 9) + 10_000;
const MIN = 60_000;

function setup(extra: { freshWithin?: number | null; requireProof?: boolean } = {}) {
  const clock = new FakeClock(T0);
  const events: MfaEvent[] = [];
  const store = new MemoryStore();
  const mfa = createMfa({
    store,
    issuer: 'Acme',
    clock,
    rng: seededRandom('step-up'),
    onEvent: (e) => events.push(e),
    ...(extra.freshWithin === undefined ? {} : { freshWithin: extra.freshWithin }),
    features: [recoveryCodes(), stepUpAuthentication(), apiPasswords({ requireProof: extra.requireProof ?? false, maxPerUser: 5 })],
  });
  const code = (secret: Uint8Array) => totp(secret, { time: clock.now() });
  const enrol = (userId = 'alice') => enrolledUser(mfa, clock, userId);
  return { mfa, clock, events, store, code, enrol };
}

describe('requireFreshMfa', () => {
  it('ok within maxAge of the last login, stale from maxAge + 1 ms; never-verified is stale', async () => {
    const { mfa, clock, enrol, code } = setup();
    const { secret } = await enrol();
    expect(await mfa.requireFreshMfa('alice', { maxAge: 10 * MIN })).toEqual({ ok: false, reason: 'stale' });
    const at = clock.now();
    expect((await mfa.verifyLogin('alice', code(secret))).ok).toBe(true);
    clock.advance(10 * MIN);
    expect(await mfa.requireFreshMfa('alice', { maxAge: 10 * MIN })).toEqual({ ok: true, verifiedAt: at });
    clock.advance(1);
    expect(await mfa.requireFreshMfa('alice', { maxAge: 10 * MIN })).toEqual({ ok: false, reason: 'stale' });
    // Without maxAge: the service's freshWithin (5 minutes by default).
    expect(await mfa.requireFreshMfa('alice')).toEqual({ ok: false, reason: 'stale' });
  });

  it('not_enrolled without an active factor; locked while the account is locked', async () => {
    const { mfa, enrol, code } = setup();
    expect(await mfa.requireFreshMfa('nobody', { maxAge: MIN })).toEqual({ ok: false, reason: 'not_enrolled' });
    const { secret } = await enrol();
    expect((await mfa.verifyLogin('alice', code(secret))).ok).toBe(true);
    for (let i = 0; i < 5; i++) await mfa.verifyLogin('alice', '000000');
    expect(await mfa.requireFreshMfa('alice', { maxAge: MIN })).toMatchObject({ ok: false, reason: 'locked' });
  });

  it('maxAge is checked; with freshWithin null it must be given', async () => {
    const { mfa } = setup({ freshWithin: null });
    await expect(mfa.requireFreshMfa('alice')).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(mfa.requireFreshMfa('alice', { maxAge: -1 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});

describe('stepUp', () => {
  it('accepts a current code once (replayed after), stamps the step-up time, emits stepped_up, not verified', async () => {
    const { mfa, clock, enrol, code, events } = setup();
    const { secret } = await enrol();
    clock.advance(60 * MIN);
    const current = code(secret);
    expect(await mfa.stepUp('alice', current)).toEqual({ ok: true, method: 'totp', verifiedAt: clock.now() });
    expect(await mfa.stepUp('alice', current)).toEqual({ ok: false, reason: 'replayed' });
    // The step used by stepUp cannot log in either.
    expect(await mfa.verifyLogin('alice', current)).toEqual({ ok: false, reason: 'replayed' });
    expect(await mfa.requireFreshMfa('alice', { maxAge: MIN })).toMatchObject({ ok: true });
    expect(events.map((e) => e.type)).toContain('stepped_up');
    expect(events.filter((e) => e.type === 'verified')).toEqual([]);
  });

  it('wrong codes count toward the lockout (stepUp is no way around it); a success clears them', async () => {
    const { mfa, clock, enrol, code } = setup();
    const { secret } = await enrol();
    for (let i = 0; i < 4; i++) expect(await mfa.stepUp('alice', '000000')).toEqual({ ok: false, reason: 'mismatch' });
    expect((await mfa.getStatus('alice')).failures).toBe(4);
    expect(await mfa.stepUp('alice', code(secret))).toMatchObject({ ok: true });
    expect((await mfa.getStatus('alice')).failures).toBe(0);
    for (let i = 0; i < 4; i++) await mfa.stepUp('alice', '000000');
    expect(await mfa.stepUp('alice', '000000')).toMatchObject({ ok: false, reason: 'mismatch', retryAt: clock.now() + 30_000 });
    clock.advance(29_999);
    expect(await mfa.stepUp('alice', code(secret))).toMatchObject({ ok: false, reason: 'locked' });
  });

  it('refuses recovery codes (format) and users without MFA (not_enrolled)', async () => {
    const { mfa, enrol } = setup();
    const { recoveryCodes } = await enrol();
    expect(await mfa.stepUp('alice', recoveryCodes[0]!)).toEqual({ ok: false, reason: 'format' });
    expect((await mfa.getStatus('alice')).remainingRecoveryCodes).toBe(10);
    expect(await mfa.stepUp('bob', '123456')).toEqual({ ok: false, reason: 'not_enrolled' });
    // Per-client throttling is the clientThrottle() feature, as for verifyLogin.
    await expect(mfa.stepUp('alice', '123456', { client: '192.0.2.1' })).rejects.toThrow(/clientThrottle\(\)/);
  });
  it('an e-mail/SMS user steps up with a code sent for the purpose step_up; a login code does not serve', async () => {
    const clock = new FakeClock(T0);
    const outbox: OneTimeCodeMessage[] = [];
    const mfa = createMfa({
      store: new MemoryStore(),
      issuer: 'Acme',
      clock,
      rng: seededRandom('oob-step-up'),
      features: [oneTimeCodes({ sender: { send: async (m) => void outbox.push(m) }, resend: false }), stepUpAuthentication()],
    });
    expect((await mfa.beginEnrollment('eve', { method: 'email', destination: 'eve@example.com' })).ok).toBe(true);
    expect((await mfa.confirmEnrollment('eve', outbox.at(-1)!.code)).ok).toBe(true);
    await mfa.sendChallenge('eve', 'login');
    expect(await mfa.stepUp('eve', outbox.at(-1)!.code)).toMatchObject({ ok: false });
    await mfa.sendChallenge('eve', 'step_up');
    const code = outbox.at(-1)!.code;
    expect(await mfa.stepUp('eve', code)).toEqual({ ok: true, method: 'email', verifiedAt: clock.now() });
    expect(await mfa.stepUp('eve', code)).toMatchObject({ ok: false });
    expect(await mfa.requireFreshMfa('eve', { maxAge: MIN })).toMatchObject({ ok: true });
  });
});

describe('sensitive operations take { fresh: true } within freshWithin of a login or step-up', () => {
  const WINDOW = 5 * MIN;

  it('disable, regenerateRecoveryCodes, resetSecret and issueApiPassword (requireProof): ok inside, proof_required outside', async () => {
    const { mfa, clock, enrol, code } = setup({ requireProof: true });
    const { secret } = await enrol();
    // Never verified since enrolment: no fresh proof.
    expect(await mfa.regenerateRecoveryCodes('alice', { fresh: true })).toEqual({ ok: false, reason: 'proof_required' });
    expect(await mfa.issueApiPassword('alice')).toEqual({ ok: false, reason: 'proof_required' });
    expect((await mfa.stepUp('alice', code(secret))).ok).toBe(true);
    clock.advance(WINDOW);
    expect((await mfa.regenerateRecoveryCodes('alice', { fresh: true })).ok).toBe(true);
    expect((await mfa.issueApiPassword('alice', { label: 'ci' })).ok).toBe(true);
    expect((await mfa.issueApiPassword('alice', { proof: { fresh: true } })).ok).toBe(true);
    clock.advance(1);
    expect(await mfa.regenerateRecoveryCodes('alice', { fresh: true })).toEqual({ ok: false, reason: 'proof_required' });
    expect(await mfa.issueApiPassword('alice')).toEqual({ ok: false, reason: 'proof_required' });
    expect(await mfa.disable('alice', { fresh: true })).toEqual({ ok: false, reason: 'proof_required' });
    expect(await mfa.resetSecret('alice')).toEqual({ ok: false, reason: 'proof_required' });
    // A code as proof still works for an API password, and is single-use like any code.
    clock.advance(30_000);
    const c = code(secret);
    expect((await mfa.issueApiPassword('alice', { proof: { code: c } })).ok).toBe(true);
    expect(await mfa.issueApiPassword('alice', { proof: { code: c } })).toEqual({ ok: false, reason: 'replayed' });
    clock.advance(30_000);
    expect((await mfa.stepUp('alice', code(secret))).ok).toBe(true);
    expect((await mfa.resetSecret('alice')).ok).toBe(true);
    // An unfinished reset: a code cannot vouch (no confirmed factor), a fresh step-up can.
    expect(await mfa.issueApiPassword('alice', { proof: { code: '123456' } })).toEqual({ ok: false, reason: 'proof_required' });
    expect(await mfa.disable('alice', { fresh: true })).toEqual({ ok: true, previous: 'pending' });
  });

  it('issueApiPassword: no proof asked without MFA; a wrong proof passed is refused even without requireProof', async () => {
    const { mfa, enrol } = setup();
    expect((await mfa.issueApiPassword('bob')).ok).toBe(true);
    await enrol();
    expect((await mfa.issueApiPassword('alice')).ok).toBe(true); // requireProof is off: as before
    expect(await mfa.issueApiPassword('alice', { proof: { code: '000000' } })).toEqual({ ok: false, reason: 'mismatch' });
    expect(await mfa.issueApiPassword('alice', { proof: { fresh: true } })).toEqual({ ok: false, reason: 'proof_required' });
  });
});

describe('few recovery codes left', () => {
  it('recovery_codes_low fires when a login leaves at most lowThreshold (default 2), with remainingRecoveryCodes', async () => {
    const { mfa, enrol, events } = setup();
    const { recoveryCodes } = await enrol();
    const answers = [];
    for (const rc of recoveryCodes) answers.push(await mfa.verifyLogin('alice', rc));
    expect(answers.map((a) => (a.ok ? a.remainingRecoveryCodes : -1))).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(events.filter((e) => e.type === 'recovery_codes_low')).toEqual([2, 1, 0].map((remaining) => ({ type: 'recovery_codes_low', userId: 'alice', at: T0 + 30_000, remaining })));
  });

  it('the threshold is configurable; null turns the event off', async () => {
    for (const [lowThreshold, expected] of [[5, 6], [null, 0], [0, 1]] as const) {
      const clock = new FakeClock(T0);
      const events: MfaEvent[] = [];
      const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', clock, rng: seededRandom(1), features: [recoveryCodes({ lowThreshold })], onEvent: (e) => events.push(e) });
      const begun = await mfa.beginEnrollment('u', { account: 'u' });
      if (!begun.ok) throw new Error('begin');
      const confirmed = await mfa.confirmEnrollment('u', totp(begun.secret, { time: clock.now() }));
      if (!confirmed.ok) throw new Error('confirm');
      for (const rc of confirmed.recoveryCodes) await mfa.verifyLogin('u', rc);
      expect(events.filter((e) => e.type === 'recovery_codes_low')).toHaveLength(expected);
    }
    expect(() => recoveryCodes({ lowThreshold: -1 })).toThrow(/lowThreshold/);
  });
});
