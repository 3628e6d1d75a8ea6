// Finding: pending expiry lived in one adapter. Redis' `pendingTtlSeconds` put a TTL on the whole
// hash, so 15 minutes after a user began enrolling their policy, counters and API passwords vanished
// and `loginRequirement` answered `none`; the other stores never expired a pending enrolment at all.
// Expiry is now a lifecycle rule (`pendingTtl`, default 24 h): an expired enrolment cannot be
// confirmed, reads as not set up, and its secret is dropped at the next write while the record stays.
// The same rule runs on every store in the conformance suite (src/testing/conformance-lifecycle.ts,
// "a pending enrolment expires after pendingTtl"). On the old code a day-old enrolment confirmed.
import { describe, expect, it } from 'vitest';
import { createMfa, encodeBase32, MemoryStore, totp, type CreateMfaOptions, type MfaEvent, type Sender } from '../../src/index.js';
import { FakeClock, seededRandom } from '../../src/testing/index.js';
import { allFeatures } from '../support/features.js';

const HOUR = 3_600_000;

async function pendingUser({ sender, ...extra }: Partial<Omit<CreateMfaOptions, 'features'>> & { sender?: Sender } = {}) {
  const clock = new FakeClock(Date.UTC(2026, 5, 1, 8, 0, 10));
  const store = new MemoryStore();
  const events: MfaEvent[] = [];
  const mfa = createMfa({ store, issuer: 'Acme', clock, rng: seededRandom('expiry'), onEvent: (e) => events.push(e), features: allFeatures(sender), ...extra });
  const begun = await mfa.beginEnrollment('alice', { account: 'alice@example.com' });
  if (!begun.ok) throw new Error('enrolment');
  const code = () => totp(begun.secret, { time: clock.now() });
  return { mfa, clock, store, events, code, secret: begun.secret };
}

describe('pending enrolments expire after pendingTtl (a lifecycle rule, not a store TTL)', () => {
  it('just before 24 h the enrolment confirms', async () => {
    const { mfa, clock, code } = await pendingUser();
    clock.advance(24 * HOUR - 1);
    expect((await mfa.confirmEnrollment('alice', code())).ok).toBe(true);
  });

  it('at 24 h it cannot be confirmed (expired), reads as not set up, and the record stays', async () => {
    const { mfa, clock, store, events, code, secret } = await pendingUser();
    await mfa.setPolicy({ userId: 'bob' }, { required: true }, { actor: 'admin' });
    const api = await mfa.issueApiPassword('alice');
    if (!api.ok) throw new Error('api password');
    clock.advance(24 * HOUR);
    expect(await mfa.loginRequirement('alice')).toBe('none');
    expect(await mfa.getStatus('alice')).toMatchObject({ status: 'disabled', method: null });
    expect(await mfa.pendingEnrollment('alice')).toBeNull();
    // Reads change nothing in the store; the next write drops the secret.
    expect(JSON.stringify(await store.get('alice'))).toContain(Buffer.from(secret).toString('base64url'));
    expect(await mfa.confirmEnrollment('alice', code())).toEqual({ ok: false, reason: 'expired' });
    const stored = JSON.stringify(await store.get('alice'));
    for (const s of [Buffer.from(secret).toString('base64url'), encodeBase32(secret)]) expect(stored).not.toContain(s);
    expect(events.at(-1)).toMatchObject({ type: 'enrollment_expired', userId: 'alice', method: 'totp', reset: false });
    expect((await mfa.verifyApiPassword('alice', api.password)).ok).toBe(true);
    // A new enrolment starts a new period.
    expect((await mfa.beginEnrollment('alice', { account: 'alice@example.com' })).ok).toBe(true);
    expect(await mfa.loginRequirement('alice')).toBe('confirm');
  });

  it('any write drops the expired secret; policy and counters stay; a policy then asks to enrol', async () => {
    const { mfa, clock, store, secret } = await pendingUser();
    await mfa.setPolicy({ userId: 'alice' }, { required: true }, { actor: 'admin' });
    expect(await mfa.confirmEnrollment('alice', '000000')).toMatchObject({ ok: false, reason: 'mismatch' });
    clock.advance(25 * HOUR);
    expect(await mfa.loginRequirement('alice')).toBe('enroll');
    expect((await mfa.issueApiPassword('alice', { label: 'ci' })).ok).toBe(true);
    const stored = (await store.get('alice')) as Record<string, unknown>;
    expect(stored).toMatchObject({ status: 'disabled', method: null, policy: { required: true }, failures: 1 });
    expect(JSON.stringify(stored)).not.toContain(Buffer.from(secret).toString('base64url'));
  });

  it('e-mail/SMS enrolments expire the same way', async () => {
    const sent: string[] = [];
    const { mfa, clock } = await pendingUser({ sender: { send: async (m) => void sent.push(m.code) } });
    expect((await mfa.beginEnrollment('carol', { method: 'email', destination: 'carol@example.com' })).ok).toBe(true);
    clock.advance(24 * HOUR);
    expect(await mfa.confirmEnrollment('carol', sent.at(-1)!)).toEqual({ ok: false, reason: 'expired' });
    expect(await mfa.loginRequirement('carol')).toBe('none');
  });

  it('pendingTtl is configurable; null never expires', async () => {
    const short = await pendingUser({ pendingTtl: 15 * 60_000 });
    short.clock.advance(15 * 60_000);
    expect(await short.mfa.confirmEnrollment('alice', short.code())).toEqual({ ok: false, reason: 'expired' });
    const never = await pendingUser({ pendingTtl: null });
    never.clock.advance(365 * 24 * HOUR);
    expect((await never.mfa.confirmEnrollment('alice', never.code())).ok).toBe(true);
    expect(() => createMfa({ store: new MemoryStore(), issuer: 'Acme', pendingTtl: 0 })).toThrowError(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });

  it('an expired reset is not a downgrade: the user must enrol again and still counts as enrolled', async () => {
    const { mfa, clock, code } = await pendingUser();
    expect((await mfa.confirmEnrollment('alice', code())).ok).toBe(true);
    clock.advance(30_000);
    expect((await mfa.resetSecret('alice', { proof: { code: code() } })).ok).toBe(true);
    clock.advance(24 * HOUR);
    expect(await mfa.getStatus('alice')).toMatchObject({ status: 'disabled', loginRequirement: 'enroll' });
    expect(await mfa.passwordAuthAllowed('alice', 'api')).toBe(false);
    expect(await mfa.disable('alice', { fresh: true })).toEqual({ ok: false, reason: 'proof_required' });
    const token = await mfa.issueConfirmationToken('alice', 'disable');
    expect(token.ok).toBe(true);
    const again = await mfa.beginEnrollment('alice', { account: 'alice@example.com' });
    if (!again.ok) throw new Error('enrolment');
    expect(await mfa.disable('alice', { code: totp(again.secret, { time: clock.now() }) })).toEqual({ ok: false, reason: 'proof_required' });
    expect((await mfa.confirmEnrollment('alice', totp(again.secret, { time: clock.now() }))).ok).toBe(true);
    expect(await mfa.loginRequirement('alice')).toBe('verify');
  });
});
