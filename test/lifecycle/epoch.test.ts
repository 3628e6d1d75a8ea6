// The MFA epoch: every security-relevant change moves it on, logins and status report it, and
// isSessionCurrent tells a session bound to an older epoch that it has ended.
import { describe, expect, it } from 'vitest';
import { createMfa, MemoryStore, recoveryCodes, totp, type MfaEvent } from '../../src/index.js';
import { FakeClock, seededRandom } from '../../src/testing/index.js';
import { enrolledUser } from '../support/enrolled-user.js';

const T0 = Date.UTC(2026, 0, 1, 12) + 10_000;

function setup(store = new MemoryStore()) {
  const clock = new FakeClock(T0);
  const events: MfaEvent[] = [];
  const mfa = createMfa({ store, issuer: 'Acme', clock, rng: seededRandom(11), onEvent: (e) => events.push(e), features: [recoveryCodes()] });
  const code = (secret: Uint8Array) => totp(secret, { time: clock.now() });
  const enrol = (userId = 'alice') => enrolledUser(mfa, clock, userId, { account: 'alice@example.com' });
  return { mfa, clock, events, enrol, code, store };
}

describe('MFA epoch', () => {
  it('starts at 0 and is reported by verifyLogin and getStatus; enrolment and logins do not move it', async () => {
    const { mfa, enrol, code } = setup();
    expect(await mfa.isSessionCurrent('alice', 0)).toBe(true);
    const { secret, recoveryCodes } = await enrol();
    expect(await mfa.verifyLogin('alice', code(secret))).toEqual({ ok: true, method: 'totp', remainingRecoveryCodes: 10, epoch: 0 });
    expect(await mfa.verifyLogin('alice', recoveryCodes[0]!)).toMatchObject({ ok: true, method: 'recovery', epoch: 0 });
    expect((await mfa.getStatus('alice')).epoch).toBe(0);
    expect(await mfa.isSessionCurrent('alice', 0)).toBe(true);
    expect(await mfa.isSessionCurrent('alice', 1)).toBe(false);
  });

  it('resetSecret, disable and adminReset each move it on by one; an older session is no longer current', async () => {
    const { mfa, enrol, code, clock } = setup();
    const { recoveryCodes } = await enrol();
    const reset = await mfa.resetSecret('alice', { proof: { code: recoveryCodes[0]! } });
    if (!reset.ok) throw new Error('reset');
    expect((await mfa.getStatus('alice')).epoch).toBe(1);
    expect(await mfa.isSessionCurrent('alice', 0)).toBe(false);
    expect((await mfa.confirmEnrollment('alice', code(reset.secret))).ok).toBe(true);
    expect((await mfa.getStatus('alice')).epoch).toBe(1); // confirming the new factor is not a change of trust
    clock.advance(30_000);
    expect(await mfa.disable('alice', { code: code(reset.secret) })).toEqual({ ok: true, previous: 'active' });
    expect((await mfa.getStatus('alice')).epoch).toBe(2);
    expect(await mfa.adminReset('alice', { actor: 'support' })).toEqual({ ok: true, previous: 'disabled' });
    expect((await mfa.getStatus('alice')).epoch).toBe(3);
    expect(await mfa.isSessionCurrent('alice', 2)).toBe(false);
    expect(await mfa.isSessionCurrent('alice', 3)).toBe(true);
  });

  it('an adminReset with nothing to clear is audited as unchanged and still ends every session', async () => {
    const { mfa, events, store } = setup();
    await mfa.adminReset('bob', { actor: 'support' });
    expect(events).toMatchObject([{ type: 'reset', by: 'admin', actor: 'support', unchanged: true }]);
    expect(await store.get('bob')).toMatchObject({ status: 'disabled', epoch: 1 });
    expect(await mfa.isSessionCurrent('bob', 0)).toBe(false);
  });

  it('failed proofs and failed logins do not move it', async () => {
    const { mfa, enrol } = setup();
    await enrol();
    await mfa.verifyLogin('alice', '000000');
    await mfa.disable('alice', { code: '000000' });
    await mfa.resetSecret('alice', { proof: { code: '000000' } });
    expect((await mfa.getStatus('alice')).epoch).toBe(0);
  });

  it('a record written before the epoch existed reads as 0; a bad stored epoch is INVALID_RECORD', async () => {
    const { mfa, enrol, store } = setup();
    await enrol();
    const raw = (await store.get('alice')) as Record<string, unknown>;
    expect(raw).not.toHaveProperty('epoch');
    expect(await mfa.isSessionCurrent('alice', 0)).toBe(true);
    for (const bad of [-1, 1.5, '1', null]) {
      await store.compareAndSet('carol', null, { ...raw, userId: 'carol', epoch: bad } as never);
      await expect(mfa.getStatus('carol')).rejects.toMatchObject({ code: 'INVALID_RECORD', message: expect.stringContaining('epoch') });
      await store.delete('carol');
    }
  });

  it('isSessionCurrent answers false for what is not an epoch, never throws on it', async () => {
    const { mfa } = setup();
    for (const bad of [NaN, -0.5, 1e300, '0' as unknown as number, undefined as unknown as number]) {
      expect(await mfa.isSessionCurrent('alice', bad)).toBe(false);
    }
  });
});
