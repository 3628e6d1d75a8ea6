// Edges of the management transitions (src/lifecycle/features/management/) that StrykerJS found
// untested (npm run mutation -- lifecycle-features): what unlock writes and when, when an
// adminReset counts as unchanged, a reset-pending disable with a malformed proof, and the texts of
// the configuration errors.
import { describe, expect, it } from 'vitest';
import { createMfa, FakeClock, MemoryStore, seededRandom, totp, type MfaEvent } from '../../../../src/index.js';
import { emptyRecord, resolveLifecycleOptions, type MfaRecord, type TransitionContext } from '../../../../src/lifecycle/public.js';
import { unlock } from '../../../../src/lifecycle/features/management/unlock.js';
import { adminReset } from '../../../../src/lifecycle/features/management/management.js';
import { enrolledUser } from '../../../support/enrolled-user.js';
import { rejection } from '../../../support/rejection.js';

const T0 = Date.UTC(2026, 11, 2, 8);
const options = resolveLifecycleOptions({ issuer: 'Acme' });
const ctx: TransitionContext = { now: T0 + 1_000, rng: seededRandom('management-edges'), options, scopeRequired: false };
const base: MfaRecord = { ...emptyRecord('alice', T0), status: 'disabled' };
const client = (failures: number, lockedUntil: number | null) => ({ key: 'k', failures, lockedUntil, seenAt: T0, verifiedAt: T0 });

describe('unlock: writes only when something is locked', () => {
  it('nothing to clear: the same record (nothing written), still audited', () => {
    for (const record of [base, { ...base, clients: [client(0, null)] }]) {
      const t = unlock(record, { actor: 'support' }, ctx);
      expect(t.record).toBe(record);
      expect(t.events).toEqual([{ type: 'unlocked', userId: 'alice', at: ctx.now, actor: 'support', failures: 0 }]);
    }
  });

  it.each<[string, Partial<MfaRecord>]>([
    ['account failures, no lock', { failures: 2 }],
    ['an account lock, no failures', { lockedUntil: T0 + 60_000 }],
    ['one client with failures', { clients: [client(0, null), client(3, null)] }],
    ['one client locked, no failures', { clients: [client(0, null), client(0, T0 + 60_000)] }],
  ])('%s: cleared and written', (_, patch) => {
    const record = { ...base, ...patch };
    const t = unlock(record, { actor: 'support' }, ctx);
    expect(t.record).not.toBe(record);
    expect(t.record).toMatchObject({ failures: 0, lockedUntil: null, updatedAt: ctx.now });
    for (const c of t.record!.clients ?? []) expect(c).toMatchObject({ failures: 0, lockedUntil: null });
    expect(t.result).toEqual({ ok: true, failures: record.failures });
  });
});

describe('adminReset: unchanged only when there is nothing at all to clear', () => {
  const isUnchanged = (record: MfaRecord, c: TransitionContext = ctx) => adminReset(record, { actor: 'root' }, c).events[0]?.type === 'reset' && 'unchanged' in adminReset(record, { actor: 'root' }, c).events[0]!;

  it('a disabled record with no counters, lock or clients is unchanged', () => {
    expect(isUnchanged(base)).toBe(true);
  });

  it.each<[string, Partial<MfaRecord>]>([
    ['a lock left without failures', { lockedUntil: T0 + 60_000 }],
    ['client throttle state', { clients: [client(0, null)] }],
    ['an empty client list', { clients: [] }],
  ])('%s: changed, and cleared', (_, patch) => {
    const record = { ...base, ...patch };
    expect(isUnchanged(record)).toBe(false);
    expect(adminReset(record, { actor: 'root' }, ctx).record).toMatchObject({ lockedUntil: null, clients: null });
  });

  it('something a feature clears (API passwords) makes it a change', async () => {
    const { apiPasswords } = await import('../../../../src/index.js');
    const clock = new FakeClock(T0);
    const store = new MemoryStore();
    const events: MfaEvent[] = [];
    const mfa = createMfa({ issuer: 'Acme', store, clock, rng: seededRandom(3), features: [apiPasswords()], onEvent: (e) => events.push(e) });
    const issued = await mfa.issueApiPassword('alice', { label: 'ci' });
    expect(issued.ok).toBe(true);
    events.length = 0;
    expect(await mfa.adminReset('alice', { actor: 'root' })).toEqual({ ok: true, previous: 'disabled' });
    const reset = events.find((e) => e.type === 'reset');
    expect(reset).toBeDefined();
    expect('unchanged' in reset!).toBe(false);
    expect(events.map((e) => e.type)).toContain('api_password_revoked');
  });
});

describe('disable while a reset is pending', () => {
  async function resetPending() {
    const clock = new FakeClock(T0);
    const events: MfaEvent[] = [];
    const mfa = createMfa({ issuer: 'Acme', store: new MemoryStore(), clock, rng: seededRandom(5), onEvent: (e) => events.push(e) });
    const user = await enrolledUser(mfa, clock);
    const reset = await mfa.resetSecret('alice', { proof: { code: totp(user.secret, { time: clock.now() }) } });
    if (!reset.ok) throw new Error(`resetSecret: ${reset.reason}`);
    events.length = 0;
    return { mfa, events, clock, secret: reset.secret };
  }

  it('a code proof is refused (proof_required) with no event', async () => {
    const { mfa, events, clock, secret } = await resetPending();
    expect(await mfa.disable('alice', { code: totp(secret, { time: clock.now() }) })).toEqual({ ok: false, reason: 'proof_required' });
    expect(events).toEqual([]);
  });

  it.each([null, 'code', 123456])('a proof of %j is a typed refusal, not a throw', async (proof) => {
    const { mfa } = await resetPending();
    const result = await mfa.disable('alice', proof as never);
    expect(result.ok).toBe(false);
  });
});

describe('configuration errors say what is wrong', () => {
  it('a missing actor', async () => {
    const mfa = createMfa({ issuer: 'Acme', store: new MemoryStore(), clock: new FakeClock(T0), rng: seededRandom(1) });
    const err = await rejection(mfa.unlock('alice', { actor: '' }));
    expect({ code: err.code, message: err.message }).toEqual({
      code: 'INVALID_OPTION',
      message: 'actor (who makes this administrative change) must be a string of 1 to 256 characters',
    });
  });

  it('a { token } proof without the confirmationTokens feature', async () => {
    const clock = new FakeClock(T0);
    const mfa = createMfa({ issuer: 'Acme', store: new MemoryStore(), clock, rng: seededRandom(2) });
    await enrolledUser(mfa, clock);
    const err = await rejection(mfa.disable('alice', { token: 'x' } as never));
    expect({ code: err.code, message: err.message }).toEqual({
      code: 'INVALID_OPTION',
      message: 'a { token } proof needs the confirmationTokens() feature: createMfa({ features: [confirmationTokens()] })',
    });
  });
});
