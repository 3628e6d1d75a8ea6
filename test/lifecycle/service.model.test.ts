// Model-based test: random sequences of lifecycle operations run against the real service
// (MemoryStore, fake clock) and against a few lines of reference model; after every step the
// result and the observable state must agree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMfa, MemoryStore, policies, recoveryCodes, totp, type Mfa, type MfaStatus, type PoliciesMfa, type RecoveryCodesMfa } from '../../src/index.js';
import { FakeClock, seededRandom } from '../../src/testing/index.js';

const MAX_FAILURES = 3;
const BASE_LOCK = 60_000;
const MAX_LOCK = 240_000;
const USER = 'model-user';

interface Model {
  status: MfaStatus;
  secret: Uint8Array | null;
  lastStep: number | null;
  codes: Array<{ code: string; used: boolean }>;
  failures: number;
  lockedUntil: number | null;
  required: boolean | null;
  /** A reset replaced the active factor and the new one is not confirmed yet. */
  resetPending: boolean;
  /** The MFA epoch: one more after every reset, disable and administrator reset. */
  epoch: number;
}

interface Real {
  mfa: Mfa & RecoveryCodesMfa & PoliciesMfa;
  clock: FakeClock;
}

const step = (now: number) => Math.floor(now / 30_000);
const locked = (m: Model, now: number) => m.lockedUntil !== null && now < m.lockedUntil;

/** Model of a counted failure. */
function fail(m: Model, now: number): { ok: false; reason: 'mismatch'; retryAt?: number } {
  m.failures++;
  if (m.failures >= MAX_FAILURES) {
    m.lockedUntil = now + Math.min(MAX_LOCK, BASE_LOCK * 2 ** (m.failures - MAX_FAILURES));
    return { ok: false, reason: 'mismatch', retryAt: m.lockedUntil };
  }
  return { ok: false, reason: 'mismatch' };
}

function succeed(m: Model): void {
  m.failures = 0;
  m.lockedUntil = null;
}

/** A code no step of the ±1 window produces. */
function wrongCode(secret: Uint8Array | null, now: number): string {
  const valid = new Set(secret === null ? [] : [-30_000, 0, 30_000].map((d) => totp(secret, { time: now + d })));
  for (let i = 0; ; i++) {
    const c = String(i).padStart(6, '0');
    if (!valid.has(c)) return c;
  }
}

/** Model of checking a factor; `kind` selects a right TOTP code, a wrong one, or recovery code i. */
function modelCheck(
  m: Model,
  now: number,
  kind: 'right' | 'wrong' | { recovery: number },
): { ok: true; method: 'totp' | 'recovery' } | { ok: false; reason: string; retryAt?: number } {
  if (locked(m, now)) return { ok: false, reason: 'locked', retryAt: m.lockedUntil! };
  if (kind === 'wrong') return fail(m, now);
  if (kind === 'right') {
    if (m.lastStep !== null && step(now) <= m.lastStep) return { ok: false, reason: 'replayed' };
    m.lastStep = step(now);
    succeed(m);
    return { ok: true, method: 'totp' };
  }
  const entry = m.codes[kind.recovery]!;
  if (entry.used) return { ok: false, reason: 'replayed' };
  entry.used = true;
  succeed(m);
  return { ok: true, method: 'recovery' };
}

function inputFor(m: Model, now: number, kind: 'right' | 'wrong' | { recovery: number }): string {
  if (kind === 'right') return totp(m.secret!, { time: now });
  if (kind === 'wrong') return wrongCode(m.secret, now);
  return m.codes[kind.recovery]!.code;
}

const remaining = (m: Model) => m.codes.filter((c) => !c.used).length;

type Cmd = fc.AsyncCommand<Model, Real>;
type Kind = 'right' | 'wrong' | { recovery: number };

const kindArb: fc.Arbitrary<Kind> = fc.oneof(
  { arbitrary: fc.constant<Kind>('right'), weight: 2 },
  { arbitrary: fc.constant<Kind>('wrong'), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 1 }).map((i): Kind => ({ recovery: i })), weight: 2 },
);
const usable = (m: Model, kind: Kind) => typeof kind === 'string' || kind.recovery < m.codes.length;

function command(name: string, check: (m: Model) => boolean, run: (m: Model, r: Real) => Promise<void>): Cmd {
  return { check, run, toString: () => name };
}

const baseCommands: Array<fc.Arbitrary<Cmd>> = [
  fc.constant(
    command('beginEnrollment', () => true, async (m, r) => {
      const result = await r.mfa.beginEnrollment(USER, { account: 'model@example.com' });
      if (m.status === 'active') return void expect(result).toEqual({ ok: false, reason: 'already_active' });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      Object.assign(m, { status: 'pending', secret: result.secret, lastStep: null, codes: [] });
    }),
  ),
  fc.constantFrom<'right' | 'wrong'>('right', 'wrong').map((kind) =>
    command(`confirmEnrollment(${kind})`, (m) => m.secret !== null, async (m, r) => {
      const now = r.clock.now();
      const input = inputFor(m, now, kind);
      const result = await r.mfa.confirmEnrollment(USER, input);
      if (m.status !== 'pending') return void expect(result).toEqual({ ok: false, reason: 'not_pending' });
      const expected = modelCheck(m, now, kind);
      if (!expected.ok) return void expect(result).toEqual(expected);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      m.status = 'active';
      m.resetPending = false;
      m.codes = result.recoveryCodes.map((code) => ({ code, used: false }));
    }),
  ),
  kindArb.map((kind) =>
    command(`verifyLogin(${JSON.stringify(kind)})`, (m) => m.secret !== null && usable(m, kind), async (m, r) => {
      const now = r.clock.now();
      const result = await r.mfa.verifyLogin(USER, inputFor(m, now, kind));
      if (m.status !== 'active') return void expect(result).toEqual({ ok: false, reason: 'not_enrolled' });
      const expected = modelCheck(m, now, kind);
      expect(result).toEqual(expected.ok ? { ...expected, remainingRecoveryCodes: remaining(m), epoch: m.epoch } : expected);
    }),
  ),
  kindArb.map((kind) =>
    command(`disable(${JSON.stringify(kind)})`, (m) => m.secret !== null && usable(m, kind), async (m, r) => {
      const now = r.clock.now();
      const result = await r.mfa.disable(USER, { code: inputFor(m, now, kind) });
      if (m.status === 'disabled') return void expect(result).toEqual({ ok: false, reason: 'not_enrolled' });
      if (m.required === true) return void expect(result).toEqual({ ok: false, reason: 'policy' });
      // A pending reset still counts as enrolled, and no code can vouch for it (old factor gone, new one unconfirmed).
      if (m.resetPending) return void expect(result).toEqual({ ok: false, reason: 'proof_required' });
      const previous = m.status;
      if (previous === 'active') {
        const expected = modelCheck(m, now, kind);
        if (!expected.ok) return void expect(result).toEqual(expected);
      }
      expect(result).toEqual({ ok: true, previous });
      Object.assign(m, { status: 'disabled', secret: null, lastStep: null, codes: [], resetPending: false, epoch: m.epoch + 1 });
    }),
  ),
  fc.constant(
    command('regenerateRecoveryCodes(right)', (m) => m.secret !== null, async (m, r) => {
      const now = r.clock.now();
      const result = await r.mfa.regenerateRecoveryCodes(USER, { code: inputFor(m, now, 'right') });
      if (m.status !== 'active') return void expect(result).toEqual({ ok: false, reason: 'not_active' });
      const expected = modelCheck(m, now, 'right');
      if (!expected.ok) return void expect(result).toEqual(expected);
      expect(result.ok).toBe(true);
      if (result.ok) m.codes = result.recoveryCodes.map((code) => ({ code, used: false }));
    }),
  ),
  kindArb.map((kind) =>
    command(`resetSecret(${JSON.stringify(kind)})`, (m) => m.secret !== null && usable(m, kind), async (m, r) => {
      const now = r.clock.now();
      const result = await r.mfa.resetSecret(USER, { proof: { code: inputFor(m, now, kind) } });
      if (m.status !== 'active') return void expect(result).toEqual({ ok: false, reason: 'not_active' });
      const expected = modelCheck(m, now, kind);
      if (!expected.ok) return void expect(result).toEqual(expected);
      expect(result.ok).toBe(true);
      if (result.ok) Object.assign(m, { status: 'pending', secret: result.secret, lastStep: null, codes: [], resetPending: true, epoch: m.epoch + 1 });
    }),
  ),
  fc.constant(
    command('adminReset', () => true, async (m, r) => {
      expect(await r.mfa.adminReset(USER, { actor: 'root' })).toEqual({ ok: true, previous: m.status });
      Object.assign(m, { status: 'disabled', secret: null, lastStep: null, codes: [], failures: 0, lockedUntil: null, resetPending: false, epoch: m.epoch + 1 });
    }),
  ),
  fc.constantFrom(true, false, null).map((required) =>
    command(`setPolicy(${required})`, () => true, async (m, r) => {
      await r.mfa.setPolicy({ userId: USER }, required === null ? null : { required }, { actor: 'admin' });
      m.required = required;
    }),
  ),
  fc.constantFrom(-1, 0).map((offset) =>
    command(`advanceToLockEnd(${offset})`, (m) => m.lockedUntil !== null, async (m, r) => {
      // Exactly at (0) or just before (-1) the end of the lock: the boundary is `now < lockedUntil`.
      if (r.clock.now() < m.lockedUntil! + offset) r.clock.set(m.lockedUntil! + offset);
    }),
  ),
  fc.integer({ min: 1, max: 200_000 }).map((ms) =>
    command(`advance(${ms})`, () => true, async (_m, r) => {
      r.clock.advance(ms);
    }),
  ),
];

// Logins and lock boundaries weigh more: they are where the interesting states are.
const commands = [...baseCommands, baseCommands[2]!, baseCommands[2]!, baseCommands[8]!, baseCommands[8]!];

/** After every command: the observable state matches the model. */
async function agree(m: Model, r: Real): Promise<void> {
  const status = await r.mfa.getStatus(USER);
  const requirement = m.status === 'active' ? 'verify' : m.status === 'pending' ? 'confirm' : m.required ? 'enroll' : 'none';
  expect(status).toMatchObject({
    status: m.status,
    failures: m.failures,
    lockedUntil: locked(m, r.clock.now()) ? m.lockedUntil : null,
    remainingRecoveryCodes: remaining(m),
    loginRequirement: requirement,
    required: m.required === true,
    epoch: m.epoch,
  });
  expect(await r.mfa.isSessionCurrent(USER, m.epoch)).toBe(true);
}

describe('lifecycle service vs reference model', () => {
  it('agrees on every result and on the state after each step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 80, size: 'max' }), fc.integer(), async (cmds, seed) => {
        const clock = new FakeClock(Date.UTC(2026, 0, 1));
        const mfa = createMfa({
          store: new MemoryStore(),
          issuer: 'Model',
          clock,
          rng: seededRandom(seed),
          features: [recoveryCodes({ count: 3 }), policies()],
          throttle: { maxFailures: MAX_FAILURES, baseLockMs: BASE_LOCK, maxLockMs: MAX_LOCK },
        });
        const model: Model = { status: 'disabled', secret: null, lastStep: null, codes: [], failures: 0, lockedUntil: null, required: null, resetPending: false, epoch: 0 };
        const real: Real = { mfa, clock };
        const checked = [...cmds].map(
          (c): Cmd => ({
            check: (m) => c.check(m),
            run: async (m, r) => {
              await c.run(m, r);
              await agree(m, r);
            },
            toString: () => c.toString(),
          }),
        );
        await fc.asyncModelRun(() => ({ model, real }), checked);
      }),
      { numRuns: 200 },
    );
  });
});
