// Exhaustive tests of the pure transitions: every status × every command, with a valid and an
// invalid input, under no policy and under an enforcement policy; plus the invariants every
// transition keeps (input never mutated, no-op returns the same object, events carry no secret).
import { describe, expect, it } from 'vitest';
import { encodeBase32, policies, recoveryCodes, totp, type MfaStatus } from '../../src/index.js';
import {
  emptyRecord,
  featureSet,
  lockDuration,
  MFA_COMMAND_TYPES,
  resolveLifecycleOptions,
  transition,
  type MfaCommand,
  type MfaCommandType,
  type MfaRecord,
  type TransitionContext,
} from '../../src/lifecycle/public.js';
import { seededRandom } from '../../src/testing/index.js';

const T0 = Date.UTC(2026, 0, 1, 12) + 10_000;
const options = resolveLifecycleOptions({ issuer: 'Acme' });
const features = featureSet([recoveryCodes({ count: 4 })]);
const ctxAt = (now: number, scopeRequired = false): TransitionContext => ({
  now,
  rng: seededRandom(`ctx-${now}`),
  options,
  scopeRequired,
  features,
});
/** The core commands and the recovery-code feature's. */
const COMMAND_TYPES: readonly MfaCommandType[] = [...MFA_COMMAND_TYPES, 'regenerateRecoveryCodes'];

interface Fixture {
  record: MfaRecord;
  secret: Uint8Array | null;
  recoveryCodes: readonly string[];
}

/** Records in each status, built through the transitions themselves. */
function fixture(status: MfaStatus): Fixture {
  const empty = emptyRecord('alice', T0 - 60_000);
  if (status === 'disabled') return { record: empty, secret: null, recoveryCodes: [] };
  const begun = transition(empty, { type: 'beginEnrollment', account: 'alice@example.com' }, ctxAt(T0 - 60_000));
  if (!begun.result.ok) throw new Error('fixture');
  const pending = { ...begun.record, version: 1 };
  if (status === 'pending') return { record: pending, secret: begun.result.secret, recoveryCodes: [] };
  const code = totp(begun.result.secret, { time: T0 - 60_000 });
  const confirmed = transition(pending, { type: 'confirmEnrollment', code }, ctxAt(T0 - 60_000));
  if (!confirmed.result.ok) throw new Error('fixture');
  return { record: { ...confirmed.record, version: 2 }, secret: begun.result.secret, recoveryCodes: confirmed.result.recoveryCodes };
}

const current = (f: Fixture): string => (f.secret === null ? '123456' : totp(f.secret, { time: T0 }));
const wrong = (f: Fixture): string => {
  const valid = new Set([-30_000, 0, 30_000].map((d) => (f.secret === null ? '' : totp(f.secret, { time: T0 + d }))));
  for (let i = 0; ; i++) {
    const c = String(i).padStart(6, '0');
    if (!valid.has(c)) return c;
  }
};

type Variant = 'valid' | 'invalid';
function command(type: MfaCommandType, f: Fixture, variant: Variant): MfaCommand {
  const code = variant === 'valid' ? current(f) : wrong(f);
  switch (type) {
    case 'beginEnrollment':
      return { type, account: 'alice@example.com' };
    case 'confirmEnrollment':
      return { type, code };
    case 'verifyLogin':
      return { type, input: code };
    case 'resetSecret':
      return { type, proof: { code } };
    case 'adminReset':
      return { type, actor: 'root' };
    case 'disable':
      return { type, proof: { code } };
    case 'regenerateRecoveryCodes':
      return { type, proof: { code } };
    case 'setUserPolicy':
      return { type, required: true, actor: 'root' };
    // Issue 8's commands, on TOTP records (their e-mail/SMS records have their own tests).
    case 'beginOutOfBandEnrollment':
      return { type, method: 'email', destination: 'alice@example.com' };
    case 'sendChallenge':
      return { type, purpose: 'login' };
    case 'issueConfirmationToken':
      return { type, purpose: 'disable' };
    case 'issueApiPassword':
      return { type, label: 'ci' };
    case 'revokeApiPassword':
      return { type, id: variant === 'valid' ? 'unknown-id' : '' };
    case 'unlock':
      return { type, actor: 'support' };
    default:
      throw new Error(`no ${variant} ${type} command in this table yet`);
  }
}

/** Expected status after, and the result's ok/reason, for each status × command × variant. */
/** `audited`: the record is unchanged but an administrative call is still reported in one event. */
type Expect = { status: MfaStatus; ok: boolean; reason?: string; unchanged?: boolean; audited?: boolean };
const TABLE: Partial<Record<MfaCommandType, Record<MfaStatus, Record<Variant, Expect>>>> = {
  beginEnrollment: {
    disabled: { valid: { status: 'pending', ok: true }, invalid: { status: 'pending', ok: true } },
    pending: { valid: { status: 'pending', ok: true }, invalid: { status: 'pending', ok: true } },
    active: {
      valid: { status: 'active', ok: false, reason: 'already_active', unchanged: true },
      invalid: { status: 'active', ok: false, reason: 'already_active', unchanged: true },
    },
  },
  confirmEnrollment: {
    disabled: {
      valid: { status: 'disabled', ok: false, reason: 'not_pending', unchanged: true },
      invalid: { status: 'disabled', ok: false, reason: 'not_pending', unchanged: true },
    },
    pending: { valid: { status: 'active', ok: true }, invalid: { status: 'pending', ok: false, reason: 'mismatch' } },
    active: {
      valid: { status: 'active', ok: false, reason: 'not_pending', unchanged: true },
      invalid: { status: 'active', ok: false, reason: 'not_pending', unchanged: true },
    },
  },
  verifyLogin: {
    disabled: {
      valid: { status: 'disabled', ok: false, reason: 'not_enrolled', unchanged: true },
      invalid: { status: 'disabled', ok: false, reason: 'not_enrolled', unchanged: true },
    },
    pending: {
      valid: { status: 'pending', ok: false, reason: 'not_enrolled', unchanged: true },
      invalid: { status: 'pending', ok: false, reason: 'not_enrolled', unchanged: true },
    },
    active: { valid: { status: 'active', ok: true }, invalid: { status: 'active', ok: false, reason: 'mismatch' } },
  },
  resetSecret: {
    disabled: {
      valid: { status: 'disabled', ok: false, reason: 'not_active', unchanged: true },
      invalid: { status: 'disabled', ok: false, reason: 'not_active', unchanged: true },
    },
    pending: {
      valid: { status: 'pending', ok: false, reason: 'not_active', unchanged: true },
      invalid: { status: 'pending', ok: false, reason: 'not_active', unchanged: true },
    },
    // A reset needs a proof: a wrong code is refused and counted (the default { fresh: true } is
    // tested in test/security/reset-requires-proof.test.ts).
    active: { valid: { status: 'pending', ok: true }, invalid: { status: 'active', ok: false, reason: 'mismatch' } },
  },
  adminReset: {
    disabled: {
      // Nothing to clear, but the MFA epoch moves (test/lifecycle/epoch.test.ts): a write.
      valid: { status: 'disabled', ok: true },
      invalid: { status: 'disabled', ok: true },
    },
    pending: { valid: { status: 'disabled', ok: true }, invalid: { status: 'disabled', ok: true } },
    active: { valid: { status: 'disabled', ok: true }, invalid: { status: 'disabled', ok: true } },
  },
  disable: {
    disabled: {
      valid: { status: 'disabled', ok: false, reason: 'not_enrolled', unchanged: true },
      invalid: { status: 'disabled', ok: false, reason: 'not_enrolled', unchanged: true },
    },
    pending: { valid: { status: 'disabled', ok: true }, invalid: { status: 'disabled', ok: true } },
    active: { valid: { status: 'disabled', ok: true }, invalid: { status: 'active', ok: false, reason: 'mismatch' } },
  },
  regenerateRecoveryCodes: {
    disabled: {
      valid: { status: 'disabled', ok: false, reason: 'not_active', unchanged: true },
      invalid: { status: 'disabled', ok: false, reason: 'not_active', unchanged: true },
    },
    pending: {
      valid: { status: 'pending', ok: false, reason: 'not_active', unchanged: true },
      invalid: { status: 'pending', ok: false, reason: 'not_active', unchanged: true },
    },
    active: { valid: { status: 'active', ok: true }, invalid: { status: 'active', ok: false, reason: 'mismatch' } },
  },
  setUserPolicy: {
    disabled: { valid: { status: 'disabled', ok: true }, invalid: { status: 'disabled', ok: true } },
    pending: { valid: { status: 'pending', ok: true }, invalid: { status: 'pending', ok: true } },
    active: { valid: { status: 'active', ok: true }, invalid: { status: 'active', ok: true } },
  },
  beginOutOfBandEnrollment: {
    disabled: { valid: { status: 'pending', ok: true }, invalid: { status: 'pending', ok: true } },
    pending: { valid: { status: 'pending', ok: true }, invalid: { status: 'pending', ok: true } },
    active: {
      valid: { status: 'active', ok: false, reason: 'already_active', unchanged: true },
      invalid: { status: 'active', ok: false, reason: 'already_active', unchanged: true },
    },
  },
  sendChallenge: {
    disabled: {
      valid: { status: 'disabled', ok: false, reason: 'not_enrolled', unchanged: true },
      invalid: { status: 'disabled', ok: false, reason: 'not_enrolled', unchanged: true },
    },
    pending: {
      valid: { status: 'pending', ok: false, reason: 'not_out_of_band', unchanged: true },
      invalid: { status: 'pending', ok: false, reason: 'not_out_of_band', unchanged: true },
    },
    active: {
      valid: { status: 'active', ok: false, reason: 'not_out_of_band', unchanged: true },
      invalid: { status: 'active', ok: false, reason: 'not_out_of_band', unchanged: true },
    },
  },
  issueConfirmationToken: {
    disabled: {
      valid: { status: 'disabled', ok: false, reason: 'not_enrolled', unchanged: true },
      invalid: { status: 'disabled', ok: false, reason: 'not_enrolled', unchanged: true },
    },
    pending: { valid: { status: 'pending', ok: true }, invalid: { status: 'pending', ok: true } },
    active: { valid: { status: 'active', ok: true }, invalid: { status: 'active', ok: true } },
  },
  issueApiPassword: {
    disabled: { valid: { status: 'disabled', ok: true }, invalid: { status: 'disabled', ok: true } },
    pending: { valid: { status: 'pending', ok: true }, invalid: { status: 'pending', ok: true } },
    active: { valid: { status: 'active', ok: true }, invalid: { status: 'active', ok: true } },
  },
  revokeApiPassword: {
    disabled: { valid: { status: 'disabled', ok: true, unchanged: true }, invalid: { status: 'disabled', ok: true, unchanged: true } },
    pending: { valid: { status: 'pending', ok: true, unchanged: true }, invalid: { status: 'pending', ok: true, unchanged: true } },
    active: { valid: { status: 'active', ok: true, unchanged: true }, invalid: { status: 'active', ok: true, unchanged: true } },
  },
  // Nothing locked in these fixtures: the record stays, the audited event is emitted anyway.
  unlock: {
    disabled: { valid: { status: 'disabled', ok: true }, invalid: { status: 'disabled', ok: true } },
    pending: { valid: { status: 'pending', ok: true }, invalid: { status: 'pending', ok: true } },
    active: { valid: { status: 'active', ok: true }, invalid: { status: 'active', ok: true } },
  },
};

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Every string a secret or code could leak as. */
function secretsOf(f: Fixture, extra: readonly string[] = []): string[] {
  const out = [...f.recoveryCodes, ...extra];
  if (f.secret !== null) out.push(encodeBase32(f.secret), Buffer.from(f.secret).toString('base64url'));
  out.push(...(f.record.recoveryCodes?.hashes ?? []));
  return out;
}

const STATUSES: readonly MfaStatus[] = ['disabled', 'pending', 'active'];

describe('transition: every status × every command', () => {
  it('the table covers every command (add a row when you add a command)', () => {
    expect(COMMAND_TYPES.filter((t) => TABLE[t] === undefined)).toEqual([]);
  });

  for (const type of COMMAND_TYPES.filter((t) => TABLE[t] !== undefined)) {
    for (const status of STATUSES) {
      for (const variant of ['valid', 'invalid'] as const) {
        it(`${type} on ${status} (${variant} input)`, () => {
          const f = fixture(status);
          const before = JSON.stringify(f.record);
          const input = deepFreeze(f.record);
          const cmd = command(type, f, variant);
          const out = transition(input, cmd, ctxAt(T0));
          const want = TABLE[type]![status][variant];
          expect(JSON.stringify(f.record)).toBe(before); // never mutated
          expect(out.record.status).toBe(want.status);
          expect((out.result as { ok: boolean }).ok).toBe(want.ok);
          if (want.reason !== undefined) expect(out.result).toMatchObject({ reason: want.reason });
          if (want.unchanged) {
            expect(out.record).toBe(input);
            if (want.audited) expect(out.events).toMatchObject([{ unchanged: true }]);
            else expect(out.events).toEqual([]);
          }
          expect(out.record.version).toBe(input.version); // the service owns versions
          expect((out.record.status === 'disabled') === (out.record.method === null)).toBe(true);
          const leaks = secretsOf(f, [cmd.type === 'verifyLogin' ? cmd.input : '']).filter((s) => s.length > 0);
          const events = JSON.stringify(out.events);
          for (const s of leaks) expect(events).not.toContain(s);
        });
      }
    }
  }
});

describe('transition: enforcement policy', () => {
  for (const status of ['pending', 'active'] as const) {
    it(`disable on ${status} is refused with 'policy' under a scope policy and under a user policy`, () => {
      const f = fixture(status);
      const cmd: MfaCommand = { type: 'disable', proof: { code: current(f) } };
      expect(transition(f.record, cmd, ctxAt(T0, true)).result).toEqual({ ok: false, reason: 'policy' });
      const withPolicy = { ...f.record, policy: { required: true } };
      const out = transition(withPolicy, cmd, ctxAt(T0));
      expect(out.result).toEqual({ ok: false, reason: 'policy' });
      expect(out.record).toBe(withPolicy);
    });
    it(`resetSecret/adminReset still work on ${status} under a policy`, () => {
      const f = fixture(status);
      const rec = { ...f.record, policy: { required: true } };
      const admin = transition(rec, { type: 'adminReset', actor: 'root' }, ctxAt(T0, true));
      expect(admin.record).toMatchObject({ status: 'disabled', policy: { required: true } });
      const reset: MfaCommand = { type: 'resetSecret', proof: { code: current(f) } };
      if (status === 'active') expect(transition(rec, reset, ctxAt(T0, true)).record.status).toBe('pending');
    });
  }
  it('setUserPolicy(null) removes a per-user policy; setting the same value is a no-op (policies() feature)', () => {
    const f = fixture('disabled');
    const ctx = { ...ctxAt(T0), features: featureSet([policies()]) };
    const set = transition(f.record, { type: 'setUserPolicy', required: true, actor: 'admin' }, ctx);
    expect(set.record.policy).toEqual({ required: true });
    expect(transition(set.record, { type: 'setUserPolicy', required: true, actor: 'admin' }, ctx).record).toBe(set.record);
    expect(transition(set.record, { type: 'setUserPolicy', required: null, actor: 'admin' }, ctx).record.policy).toBeNull();
    expect(() => transition(f.record, { type: 'setUserPolicy', required: true, actor: 'admin' }, ctxAt(T0))).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});

describe('transition: lockout and replay', () => {
  const checks: Array<{ name: string; status: MfaStatus; make: (f: Fixture, code: string) => MfaCommand }> = [
    { name: 'verifyLogin', status: 'active', make: (_f, code) => ({ type: 'verifyLogin', input: code }) },
    { name: 'confirmEnrollment', status: 'pending', make: (_f, code) => ({ type: 'confirmEnrollment', code }) },
    { name: 'disable', status: 'active', make: (_f, code) => ({ type: 'disable', proof: { code } }) },
    { name: 'regenerateRecoveryCodes', status: 'active', make: (_f, code) => ({ type: 'regenerateRecoveryCodes', proof: { code } }) },
  ];
  for (const { name, status, make } of checks) {
    it(`${name}: 5 wrong codes lock for 30 s; a locked record refuses even the right code without a write`, () => {
      const f = fixture(status);
      let rec = f.record;
      for (let i = 1; i <= 5; i++) {
        const out = transition(rec, make(f, wrong(f)), ctxAt(T0));
        expect(out.result).toMatchObject({ ok: false, reason: 'mismatch' });
        rec = out.record;
        expect(rec.failures).toBe(i);
      }
      expect(rec.lockedUntil).toBe(T0 + 30_000);
      const locked = transition(rec, make(f, current(f)), ctxAt(T0 + 1000));
      expect(locked.result).toEqual({ ok: false, reason: 'locked', retryAt: T0 + 30_000 });
      expect(locked.record).toBe(rec);
    });
  }

  it('back-off doubles after the lock expires and is capped', () => {
    const { throttle } = options;
    expect([4, 5, 6, 7, 8].map((n) => lockDuration(n, throttle))).toEqual([0, 30_000, 60_000, 120_000, 240_000]);
    expect(lockDuration(50, throttle)).toBe(3_600_000);
    expect(lockDuration(5000, throttle)).toBe(3_600_000);
    expect(lockDuration(100, null)).toBe(0);
  });

  it('a success clears failures; format and replay do not count', () => {
    const f = fixture('active');
    let rec = transition(f.record, { type: 'verifyLogin', input: wrong(f) }, ctxAt(T0)).record;
    expect(rec.failures).toBe(1);
    const format = transition(rec, { type: 'verifyLogin', input: 'not a code!' }, ctxAt(T0));
    expect(format.result).toEqual({ ok: false, reason: 'format' });
    expect(format.record).toBe(rec);
    const ok = transition(rec, { type: 'verifyLogin', input: current(f) }, ctxAt(T0));
    expect(ok.result).toEqual({ ok: true, method: 'totp', remainingRecoveryCodes: 4, epoch: 0 });
    rec = ok.record;
    expect(rec.failures).toBe(0);
    const replay = transition(rec, { type: 'verifyLogin', input: current(f) }, ctxAt(T0));
    expect(replay.result).toEqual({ ok: false, reason: 'replayed' });
    expect(replay.record).toBe(rec);
  });

  it('recovery codes: accepted once, then replayed; lower case and no hyphens accepted', () => {
    const f = fixture('active');
    const code = f.recoveryCodes[2]!;
    const first = transition(f.record, { type: 'verifyLogin', input: code.toLowerCase().replaceAll('-', '') }, ctxAt(T0));
    expect(first.result).toEqual({ ok: true, method: 'recovery', remainingRecoveryCodes: 3, epoch: 0 });
    expect(first.events.map((e) => e.type)).toEqual(['recovery_used', 'verified']);
    const again = transition(first.record, { type: 'verifyLogin', input: code }, ctxAt(T0));
    expect(again.result).toEqual({ ok: false, reason: 'replayed' });
  });

  it('confirmEnrollment does not accept a recovery code', () => {
    const f = fixture('active');
    const pending = transition(f.record, { type: 'resetSecret', proof: { code: current(f) } }, ctxAt(T0)).record;
    expect(transition(pending, { type: 'confirmEnrollment', code: f.recoveryCodes[0]! }, ctxAt(T0)).result).toMatchObject({
      ok: false,
      reason: 'format',
    });
  });

  it('throttle: false never locks', () => {
    const f = fixture('active');
    const noThrottle = { ...ctxAt(T0), options: resolveLifecycleOptions({ issuer: 'Acme', throttle: false }) };
    let rec = f.record;
    for (let i = 0; i < 20; i++) rec = transition(rec, { type: 'verifyLogin', input: wrong(f) }, noThrottle).record;
    expect(rec.lockedUntil).toBeNull();
    expect(transition(rec, { type: 'verifyLogin', input: current(f) }, noThrottle).result.ok).toBe(true);
  });
});

describe('transition: misuse', () => {
  it('an unknown command throws INVALID_OPTION', () => {
    const f = fixture('active');
    expect(() => transition(f.record, { type: 'nope' } as unknown as MfaCommand, ctxAt(T0))).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });
  it.each(['', 'x'.repeat(300)])('beginEnrollment with account %j throws INVALID_LABEL', (account) => {
    expect(() => transition(fixture('disabled').record, { type: 'beginEnrollment', account }, ctxAt(T0))).toThrow(
      expect.objectContaining({ code: 'INVALID_LABEL' }),
    );
  });
  it('disableRequiresPassword: a code alone is password_required', () => {
    const f = fixture('active');
    const ctx = { ...ctxAt(T0), options: resolveLifecycleOptions({ issuer: 'Acme', disableRequiresPassword: true }) };
    expect(transition(f.record, { type: 'disable', proof: { code: current(f) } }, ctx).result).toEqual({
      ok: false,
      reason: 'password_required',
    });
    expect(transition(f.record, { type: 'disable', proof: { code: current(f), passwordVerified: true } }, ctx).result).toEqual({
      ok: true,
      previous: 'active',
    });
  });
});
