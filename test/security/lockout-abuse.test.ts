// Finding: an attacker with the password could keep the owner locked out forever. Once the lock had
// escalated to its cap, one wrong code per lock period kept the account locked (recovery codes were
// refused too) and only `adminReset`, which wipes MFA, unlocked it. Now:
// - `unlock(userId, { actor })` clears the failure state only, audited;
// - the `locked` event marks each lock start, for a notice to the user;
// - `verifyLogin(userId, input, { client })` locks the failing client before the account, and a
//   client that has passed a check before is held only by its own lock.
// On the old code the 48-hour test fails (the owner's right code answers `locked`) and `unlock`
// does not exist.
import { describe, expect, it } from 'vitest';
import { clientThrottle, createMfa, MemoryStore, recoveryCodes, totp, type CreateMfaOptions, type MfaEvent } from '../../src/index.js';
import { FakeClock, seededRandom } from '../../src/testing/index.js';

const HOUR = 3_600_000;

async function activeUser(extra: Omit<Partial<CreateMfaOptions>, 'features'> = {}, features = [recoveryCodes(), clientThrottle()]) {
  const clock = new FakeClock(Date.UTC(2026, 5, 1, 8, 0, 10));
  const store = new MemoryStore();
  const events: MfaEvent[] = [];
  const mfa = createMfa({ store, issuer: 'Acme', clock, rng: seededRandom('lockout'), onEvent: (e) => events.push(e), ...extra, features });
  const begun = await mfa.beginEnrollment('alice', { account: 'alice@example.com' });
  if (!begun.ok) throw new Error('enrolment');
  const code = (at = clock.now()) => totp(begun.secret, { time: at });
  const confirmed = await mfa.confirmEnrollment('alice', code());
  if (!confirmed.ok) throw new Error('confirm');
  clock.advance(30_000);
  /** A six-digit code no step of the ±1 window produces now. */
  const wrong = () => {
    const valid = new Set([-30_000, 0, 30_000].map((d) => code(clock.now() + d)));
    for (let i = 0; ; i++) if (!valid.has(String(i).padStart(6, '0'))) return String(i).padStart(6, '0');
  };
  return { mfa, clock, store, events, code, wrong, recoveryCodes: confirmed.recoveryCodes };
}

describe('unlock and the lock-start event', () => {
  it('a lock start emits `locked` with its end; unlock clears the failure state only, audited', async () => {
    const { mfa, clock, events, code, wrong, recoveryCodes } = await activeUser();
    for (let i = 0; i < 5; i++) await mfa.verifyLogin('alice', wrong());
    const lock = events.find((e) => e.type === 'locked');
    expect(lock).toEqual({ type: 'locked', userId: 'alice', at: clock.now(), until: clock.now() + 30_000, failures: 5 });
    expect(await mfa.verifyLogin('alice', recoveryCodes[0]!)).toMatchObject({ ok: false, reason: 'locked' });
    expect(await mfa.unlock('alice', { actor: 'support-7' })).toEqual({ ok: true, failures: 5 });
    expect(events.at(-1)).toEqual({ type: 'unlocked', userId: 'alice', at: clock.now(), actor: 'support-7', failures: 5 });
    expect(await mfa.getStatus('alice')).toMatchObject({ status: 'active', failures: 0, lockedUntil: null, remainingRecoveryCodes: 10 });
    expect((await mfa.verifyLogin('alice', code())).ok).toBe(true);
  });

  it('unlock requires an actor and is audited even when nothing was locked', async () => {
    const { mfa, events } = await activeUser();
    await expect(mfa.unlock('alice', {} as never)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(mfa.unlock('alice', { actor: '' })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    expect(await mfa.unlock('alice', { actor: 'support-7' })).toEqual({ ok: true, failures: 0 });
    expect(events.at(-1)).toMatchObject({ type: 'unlocked', actor: 'support-7', failures: 0 });
  });
});

describe('per-client throttling: verifyLogin(userId, input, { client })', () => {
  it('an attacker client at full pace for 48 simulated hours; the owner still logs in once per lock period', async () => {
    const { mfa, clock, events, code, wrong } = await activeUser();
    const start = clock.now();
    const lockPeriod = mfa.options.throttle!.maxLockMs;
    let nextOwner = start + 10 * 60_000;
    let attacks = 0;
    let counted = 0;
    const owner: boolean[] = [];
    while (clock.now() < start + 48 * HOUR) {
      const r = await mfa.verifyLogin('alice', wrong(), { client: '203.0.113.66' });
      attacks++;
      if (!r.ok && r.reason === 'mismatch') counted++;
      if (clock.now() >= nextOwner) {
        owner.push((await mfa.verifyLogin('alice', code(), { client: 'device:owner-laptop' })).ok);
        nextOwner += lockPeriod;
      }
      clock.advance(2_000);
    }
    expect(attacks).toBe(86_400);
    expect(owner).toHaveLength(48);
    expect(owner.every(Boolean)).toBe(true);
    // The attacker's client spent its guesses at the client lock's pace: 5, then one per (doubling) lock.
    expect(counted).toBeLessThan(5 + 8 + 48);
    expect(events.some((e) => e.type === 'client_locked')).toBe(true);
    expect(events.some((e) => e.type === 'locked')).toBe(false);
  });

  it('an owner who has not logged in for days is not held by the account lock once the client is known', async () => {
    const { mfa, clock, code, wrong } = await activeUser();
    expect((await mfa.verifyLogin('alice', code(), { client: 'device:owner' })).ok).toBe(true);
    // Many attacker clients together lock the account (the bound on spread-out guessing) …
    let counted = 0;
    for (let c = 0; c < 30; c++) {
      for (let i = 0; i < 5; i++) {
        const r = await mfa.verifyLogin('alice', wrong(), { client: `198.51.100.${c}` });
        if (!r.ok && r.reason === 'mismatch') counted++;
      }
    }
    expect(counted).toBe(20); // throttle.accountMaxFailures: every further client is refused at once
    expect(await mfa.verifyLogin('alice', code(), { client: '192.0.2.1' })).toMatchObject({ ok: false, reason: 'locked' });
    expect(await mfa.verifyLogin('alice', code())).toMatchObject({ ok: false, reason: 'locked' });
    clock.advance(72 * HOUR);
    // … while the owner's known device still gets in with a right code.
    expect((await mfa.verifyLogin('alice', code(), { client: 'device:owner' })).ok).toBe(true);
  });

  it('the record keeps at most maxClients entries, known clients last to go, and no raw client id', async () => {
    const { mfa, store, code, wrong } = await activeUser({ throttle: { maxClients: 4, accountMaxFailures: 1000 } });
    expect((await mfa.verifyLogin('alice', code(), { client: 'device:owner' })).ok).toBe(true);
    for (let c = 0; c < 50; c++) await mfa.verifyLogin('alice', wrong(), { client: `198.51.100.${c}` });
    const stored = (await store.get('alice')) as unknown as { clients: Array<{ verifiedAt: number | null }> };
    expect(stored.clients).toHaveLength(4);
    expect(stored.clients.filter((c) => c.verifiedAt !== null)).toHaveLength(1);
    const json = JSON.stringify(stored);
    expect(json).not.toContain('device:owner');
    expect(json).not.toContain('198.51.100');
  });

  it('without a client the account locks at maxFailures as before; a bad client id is a misuse', async () => {
    const { mfa, wrong } = await activeUser();
    for (let i = 0; i < 5; i++) await mfa.verifyLogin('alice', wrong());
    expect((await mfa.getStatus('alice')).lockedUntil).not.toBeNull();
    await expect(mfa.verifyLogin('alice', '123456', { client: '' })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    // Lone surrogates would collide with U+FFFD once hashed as UTF-8.
    await expect(mfa.verifyLogin('alice', '123456', { client: 'ip\uD800' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await mfa.verifyLogin('alice', '123456', { client: 'ip\uD83D\uDE00' })).toMatchObject({ ok: false, reason: 'locked' });
  });

  it('a client without the clientThrottle feature is INVALID_OPTION naming it, never silently ignored', async () => {
    const { mfa, code } = await activeUser({}, []);
    await expect(mfa.verifyLogin('alice', code(), { client: '203.0.113.66' })).rejects.toThrow(/clientThrottle\(\)/);
    await expect(mfa.verifyLogin('alice', code(), { client: '203.0.113.66' })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    expect((await mfa.verifyLogin('alice', code())).ok).toBe(true);
  });
});
