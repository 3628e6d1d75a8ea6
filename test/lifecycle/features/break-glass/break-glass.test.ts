// Break-glass recovery, transition by transition, with a fake clock crossing the cooling-off period,
// the final-notice window and the throttling period: every step notifies or audits, any login with
// a factor cancels, completion resets MFA and moves the epoch on.
import { describe, expect, it } from 'vitest';
import { breakGlassRecovery, createMfa, MemoryStore, recoveryCodes, stepUpAuthentication, totp, trustedDevices, type MfaEvent, type RecoveryNotice } from '../../../../src/index.js';
import { FakeClock, seededRandom } from '../../../../src/testing/index.js';
import { enrolledUser } from '../../../support/enrolled-user.js';

const T0 = Date.UTC(2026, 0, 1, 12) + 10_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function setup(o: { coolingOff?: number; remindBefore?: number; maxRequests?: number; period?: number } = {}) {
  const clock = new FakeClock(T0);
  const events: MfaEvent[] = [];
  const notices: RecoveryNotice[] = [];
  const store = new MemoryStore();
  const mfa = createMfa({
    store,
    issuer: 'Acme',
    clock,
    rng: seededRandom(31),
    onEvent: (e) => events.push(e),
    features: [recoveryCodes(), breakGlassRecovery({ notify: (n) => void notices.push(n), ...o }), trustedDevices()],
  });
  const code = (secret: Uint8Array) => totp(secret, { time: clock.now() });
  const enrol = (userId = 'alice') => enrolledUser(mfa, clock, userId, { account: 'alice@example.com' });
  const types = () => events.map((e) => e.type).filter((t) => t.startsWith('recovery_'));
  return { mfa, clock, events, notices, enrol, code, store, types };
}

describe('requestRecovery', () => {
  it('starts a 72 h cooling-off period by default; the owner is notified; audited', async () => {
    const { mfa, enrol, notices, events } = setup();
    await enrol();
    const t = T0 + 30_000;
    const asked = await mfa.requestRecovery('alice', { reason: 'lost phone and codes' });
    expect(asked).toEqual({ ok: true, requestId: expect.any(String), availableAt: t + 72 * HOUR });
    if (!asked.ok) return;
    expect(notices).toEqual([{ kind: 'started', userId: 'alice', requestId: asked.requestId, availableAt: t + 72 * HOUR }]);
    expect(events.at(-1)).toEqual({
      type: 'recovery_requested',
      userId: 'alice',
      at: t,
      requestId: asked.requestId,
      reason: 'lost phone and codes',
      availableAt: t + 72 * HOUR,
    });
    expect(await mfa.recoveryStatus('alice')).toMatchObject({ open: true, requestId: asked.requestId, completesAt: null });
  });

  it('only for users with MFA; one open request at a time; refusals are audited', async () => {
    const { mfa, enrol, types } = setup();
    expect(await mfa.requestRecovery('alice')).toEqual({ ok: false, reason: 'not_enrolled' });
    await enrol();
    expect((await mfa.requestRecovery('alice')).ok).toBe(true);
    expect(await mfa.requestRecovery('alice')).toEqual({ ok: false, reason: 'already_open' });
    expect(types()).toEqual(['recovery_refused', 'recovery_requested', 'recovery_refused']);
  });

  it('at most maxRequests per period, cancelled ones included; the window slides', async () => {
    const { mfa, enrol, clock } = setup({ maxRequests: 2, period: 10 * DAY });
    await enrol();
    const first = clock.now();
    for (let i = 0; i < 2; i++) {
      expect((await mfa.requestRecovery('alice')).ok).toBe(true);
      expect((await mfa.cancelRecovery('alice')).cancelled).toBe(true);
      clock.advance(HOUR);
    }
    expect(await mfa.requestRecovery('alice')).toEqual({ ok: false, reason: 'too_many_requests', retryAt: first + 10 * DAY });
    clock.set(first + 10 * DAY - 1);
    expect((await mfa.requestRecovery('alice')).ok).toBe(false);
    clock.set(first + 10 * DAY);
    expect((await mfa.requestRecovery('alice')).ok).toBe(true);
  });

  it('bad options are INVALID_OPTION; notify is required', () => {
    expect(() => breakGlassRecovery({} as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    const notify = () => {};
    expect(() => breakGlassRecovery({ notify, coolingOff: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => breakGlassRecovery({ notify, coolingOff: HOUR, remindBefore: 2 * HOUR })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => breakGlassRecovery({ notify, maxRequests: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});

describe('cooling-off, final notice and completion', () => {
  it('the scheduler sends the final notice 24 h before the end; completion is possible exactly at availableAt', async () => {
    const { mfa, enrol, clock, notices, types, store } = setup();
    await enrol();
    const asked = await mfa.requestRecovery('alice');
    if (!asked.ok) throw new Error('request');
    const dueAt = asked.availableAt - 24 * HOUR;
    clock.set(dueAt - 1);
    expect(await mfa.remindRecovery('alice')).toEqual({ ok: true, requestId: asked.requestId, sent: false, dueAt, completesAt: null });
    clock.set(dueAt);
    expect(await mfa.remindRecovery('alice')).toEqual({ ok: true, requestId: asked.requestId, sent: true, dueAt, completesAt: asked.availableAt });
    expect(await mfa.remindRecovery('alice')).toMatchObject({ sent: false }); // once per request
    expect(notices.map((n) => n.kind)).toEqual(['started', 'reminder']);
    clock.set(asked.availableAt - 1);
    expect(await mfa.completeRecovery('alice', { actor: 'self-service' })).toEqual({
      ok: false,
      reason: 'cooling_off',
      requestId: asked.requestId,
      availableAt: asked.availableAt,
    });
    clock.set(asked.availableAt);
    expect(await mfa.completeRecovery('alice', { actor: 'self-service' })).toEqual({ ok: true, requestId: asked.requestId, previous: 'active' });
    expect(await mfa.getStatus('alice')).toMatchObject({ status: 'disabled', epoch: 1, loginRequirement: 'none' });
    expect(notices.map((n) => n.kind)).toEqual(['started', 'reminder', 'completed']);
    expect(types()).toEqual(['recovery_requested', 'recovery_reminded', 'recovery_completed']);
    expect(await store.get('alice')).toMatchObject({ breakGlass: { open: null } });
    expect(await mfa.completeRecovery('alice', { actor: 'self-service' })).toEqual({ ok: false, reason: 'no_request' });
  });

  it('without a scheduler, completeRecovery sends the final notice itself and waits remindBefore', async () => {
    const { mfa, enrol, clock, notices } = setup({ coolingOff: 48 * HOUR, remindBefore: 6 * HOUR });
    await enrol();
    const asked = await mfa.requestRecovery('alice');
    if (!asked.ok) throw new Error('request');
    clock.set(asked.availableAt + HOUR);
    const late = clock.now() + 6 * HOUR;
    expect(await mfa.completeRecovery('alice', { actor: 'support:bob' })).toEqual({
      ok: false,
      reason: 'cooling_off',
      requestId: asked.requestId,
      availableAt: late,
      reminderSent: true,
    });
    expect(notices.at(-1)).toEqual({ kind: 'reminder', userId: 'alice', requestId: asked.requestId, availableAt: late });
    clock.set(late - 1);
    expect(await mfa.completeRecovery('alice', { actor: 'support:bob' })).toMatchObject({ ok: false, availableAt: late });
    expect(notices.filter((n) => n.kind === 'reminder')).toHaveLength(1);
    clock.set(late);
    expect((await mfa.completeRecovery('alice', { actor: 'support:bob' })).ok).toBe(true);
  });

  it('completion resets MFA like an administrator: reset event with actor, trusted devices revoked, epoch moved on', async () => {
    const { mfa, enrol, clock, code, events } = setup();
    const { secret } = await enrol();
    clock.advance(30_000);
    await mfa.verifyLogin('alice', code(secret));
    const device = await mfa.trustDevice('alice', { label: 'laptop' });
    if (!device.ok) throw new Error('trust');
    const asked = await mfa.requestRecovery('alice');
    if (!asked.ok) throw new Error('request');
    clock.set(asked.availableAt);
    await mfa.remindRecovery('alice');
    clock.advance(24 * HOUR);
    expect((await mfa.completeRecovery('alice', { actor: 'self-service' })).ok).toBe(true);
    expect(events.slice(-3)).toMatchObject([
      { type: 'reset', by: 'admin', actor: 'self-service' },
      { type: 'devices_revoked', reason: 'security_change', count: 1 },
      { type: 'recovery_completed', actor: 'self-service', requestId: asked.requestId },
    ]);
    expect(await mfa.verifyLogin('alice', device.token)).toEqual({ ok: false, reason: 'not_enrolled' });
    expect(await mfa.isSessionCurrent('alice', 0)).toBe(false);
  });

  it('completeRecovery needs an actor', async () => {
    const { mfa, enrol } = setup();
    await enrol();
    await expect(mfa.completeRecovery('alice', {} as never)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});

describe('cancellation', () => {
  for (const kind of ['code', 'recovery code'] as const) {
    it(`a login with a ${kind} during cooling-off cancels the request in the same write`, async () => {
      const { mfa, enrol, clock, code, events, store } = setup();
      const { secret, recoveryCodes } = await enrol();
      const asked = await mfa.requestRecovery('alice');
      if (!asked.ok) throw new Error('request');
      clock.advance(71 * HOUR);
      const version = (await store.get('alice'))!.version as number;
      expect((await mfa.verifyLogin('alice', kind === 'code' ? code(secret) : recoveryCodes[0]!)).ok).toBe(true);
      expect((await store.get('alice'))!.version).toBe(version + 1);
      expect(events).toContainEqual(expect.objectContaining({ type: 'recovery_cancelled', by: 'login', requestId: asked.requestId }));
      expect(await mfa.recoveryStatus('alice')).toEqual({ open: false });
      clock.advance(HOUR);
      expect(await mfa.completeRecovery('alice', { actor: 'self-service' })).toEqual({ ok: false, reason: 'no_request' });
    });
  }

  it('a step-up with a code during cooling-off cancels it too (the factor was proven), in the same write', async () => {
    const clock = new FakeClock(T0);
    const events: MfaEvent[] = [];
    const mfa = createMfa({
      store: new MemoryStore(),
      issuer: 'Acme',
      clock,
      rng: seededRandom(32),
      onEvent: (e) => events.push(e),
      features: [breakGlassRecovery({ notify: () => {} }), stepUpAuthentication()],
    });
    const begun = await mfa.beginEnrollment('alice', { account: 'alice@example.com' });
    if (!begun.ok) throw new Error('begin');
    await mfa.confirmEnrollment('alice', totp(begun.secret, { time: clock.now() }));
    const asked = await mfa.requestRecovery('alice');
    if (!asked.ok) throw new Error('request');
    clock.advance(HOUR);
    expect((await mfa.stepUp('alice', '000000')).ok).toBe(false);
    expect((await mfa.recoveryStatus('alice')).open).toBe(true);
    expect((await mfa.stepUp('alice', totp(begun.secret, { time: clock.now() }))).ok).toBe(true);
    expect(events).toContainEqual(expect.objectContaining({ type: 'recovery_cancelled', by: 'login', requestId: asked.requestId }));
    expect(await mfa.recoveryStatus('alice')).toEqual({ open: false });
  });

  it('a failed login and a trusted-device login do not cancel it', async () => {
    const { mfa, enrol, clock, code } = setup();
    const { secret } = await enrol();
    clock.advance(30_000);
    await mfa.verifyLogin('alice', code(secret));
    const device = await mfa.trustDevice('alice');
    if (!device.ok) throw new Error('trust');
    await mfa.requestRecovery('alice');
    await mfa.verifyLogin('alice', '000000');
    expect((await mfa.verifyLogin('alice', device.token)).ok).toBe(true);
    expect((await mfa.recoveryStatus('alice')).open).toBe(true);
  });

  it('the user cancels (notified, audited); an administrator cancels with an actor', async () => {
    const { mfa, enrol, notices, events } = setup();
    await enrol();
    const asked = await mfa.requestRecovery('alice');
    if (!asked.ok) throw new Error('request');
    expect(await mfa.cancelRecovery('alice')).toEqual({ ok: true, cancelled: true, requestId: asked.requestId });
    expect(await mfa.cancelRecovery('alice')).toEqual({ ok: true, cancelled: false });
    expect(notices.at(-1)).toEqual({ kind: 'cancelled', userId: 'alice', requestId: asked.requestId, availableAt: null });
    await mfa.requestRecovery('alice');
    await mfa.cancelRecovery('alice', { actor: 'support:eve' });
    expect(events.filter((e) => e.type === 'recovery_cancelled')).toMatchObject([{ by: 'user' }, { by: 'admin', actor: 'support:eve' }]);
  });

  it('a reset, disable or administrator reset meanwhile closes the request (security_change)', async () => {
    const { mfa, enrol, events } = setup();
    const { recoveryCodes } = await enrol();
    await mfa.requestRecovery('alice');
    // The recovery-code proof is not a login: the reset itself closes the request.
    expect((await mfa.resetSecret('alice', { proof: { code: recoveryCodes[0]! } })).ok).toBe(true);
    expect(events.filter((e) => e.type === 'recovery_cancelled')).toMatchObject([{ by: 'security_change' }]);
    expect((await mfa.recoveryStatus('alice')).open).toBe(false);
  });
});
