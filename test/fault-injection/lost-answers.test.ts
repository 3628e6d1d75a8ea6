// What a lost answer (the write committed, the caller saw STORE_UNAVAILABLE) means for a user, call
// by call, where it is not just "retry": these pin down today's behaviour so a change is deliberate.
import { describe, expect, it } from 'vitest';
import { createMfa, FakeClock, MemoryStore, recoveryCodes, seededRandom, totp } from '../../src/index.js';
import { faultyStore } from '../../src/testing/index.js';

describe('a lost answer to a committed write', () => {
  it('confirmEnrollment: MFA is active with recovery codes nobody saw; a retry answers not_pending', async () => {
    const clock = new FakeClock(Date.UTC(2026, 5, 1));
    let loseNextWrite = false;
    const store = faultyStore(new MemoryStore(), (c) => (c.operation === 'compareAndSet' && loseNextWrite ? 'fail-after' : 'pass'));
    const mfa = createMfa({ store, issuer: 'Acme', clock, rng: seededRandom(1), features: [recoveryCodes()] });
    const begun = await mfa.beginEnrollment('alice', { account: 'alice' });
    if (!begun.ok) throw new Error('enrolment did not begin');
    const code = totp(begun.secret, { time: clock.now() });

    loseNextWrite = true;
    await expect(mfa.confirmEnrollment('alice', code)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    loseNextWrite = false;
    // The write committed: the account is protected, and the codes shown once were never shown.
    expect(await mfa.getStatus('alice')).toMatchObject({ status: 'active', remainingRecoveryCodes: 10 });
    expect(await mfa.confirmEnrollment('alice', code)).toEqual({ ok: false, reason: 'not_pending' });
    // A confirmation is not a login: `{ fresh: true }` does not vouch for it today (the proposal in
    // docs/assurance.md would change this deliberately).
    expect(await mfa.regenerateRecoveryCodes('alice', { fresh: true })).toEqual({ ok: false, reason: 'proof_required' });
    // The confirming code is spent: it cannot prove the regeneration either.
    expect(await mfa.regenerateRecoveryCodes('alice', { code })).toMatchObject({ ok: false });
    // The way out for an application: after STORE_UNAVAILABLE, read getStatus; if active, issue new
    // codes with the next code as proof.
    clock.advance(30_000);
    const regenerated = await mfa.regenerateRecoveryCodes('alice', { code: totp(begun.secret, { time: clock.now() }) });
    expect(regenerated.ok).toBe(true);
    // The unseen set is gone: only the codes just shown work.
    if (!regenerated.ok) return;
    clock.advance(30_000);
    expect((await mfa.getStatus('alice')).remainingRecoveryCodes).toBe(10);
    expect(await mfa.verifyLogin('alice', regenerated.recoveryCodes[0]!)).toMatchObject({ ok: true });
  });
});
