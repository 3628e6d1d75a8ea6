import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  emptyOneTimeCodeState,
  issueOneTimeCode,
  maskDestination,
  resendStatus,
  verifyOneTimeCode,
  type IssueOneTimeCodeOptions,
  type OneTimeCodeState,
} from '../src/one-time-codes.js';

const t0 = 1_764_000_000_000;
const MIN = 60_000;

function issued(state: OneTimeCodeState | null, opts: Partial<IssueOneTimeCodeOptions> = {}) {
  const r = issueOneTimeCode(state, { purpose: 'login', now: t0, ...opts });
  if (!r.ok) throw new Error(`expected ok, got ${r.reason}`);
  return r;
}

describe('issueOneTimeCode', () => {
  it('6 digits, 10 minutes by default; stores only a salted HMAC, expiry and attempts', () => {
    const r = issued(null);
    expect(r.code).toMatch(/^\d{6}$/);
    expect(r.expiresAt).toBe(t0 + 10 * MIN);
    expect(r.state.challenge).toEqual({
      v: 1,
      alg: 'hmac-sha256',
      purpose: 'login',
      salt: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      hash: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      peppered: false,
      digits: 6,
      createdAt: t0,
      expiresAt: t0 + 10 * MIN,
      attempts: 0,
      maxAttempts: 5,
    });
    expect(r.state.sentAt).toEqual([t0]);
    expect(JSON.stringify(r.state)).not.toContain(r.code);
  });

  it('digits and ttl are configurable; codes keep leading zeros', () => {
    const zeros = (n: number) => new Uint8Array(n);
    const r = issued(null, { digits: 8, ttl: 5 * MIN, rng: zeros });
    expect(r.code).toBe('00000000');
    expect(r.expiresAt).toBe(t0 + 5 * MIN);
    expect(verifyOneTimeCode(r.state, '00000000', { purpose: 'login', now: t0 }).ok).toBe(true);
  });

  it('rejection sampling: values above the last whole multiple of 10^d are redrawn', () => {
    const draws = [new Uint8Array([0xff, 0xff, 0xff, 0xff]), new Uint8Array([0, 0, 0x30, 0x39])];
    let i = 0;
    const rng = (n: number) => (n === 4 ? draws[i++]! : new Uint8Array(n));
    expect(issued(null, { rng }).code).toBe('012345');
  });

  it('codes are roughly uniform per digit (smoke)', () => {
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 2000; i++) for (const c of issued(null, { resend: false }).code) counts[Number(c)]++;
    for (const c of counts) expect(c).toBeGreaterThan(900); // 1200 expected each
  });

  it('a new challenge invalidates the previous one', () => {
    const first = issued(null);
    const second = issued(first.state, { now: t0 + MIN });
    expect(verifyOneTimeCode(second.state, first.code, { purpose: 'login', now: t0 + MIN }).ok).toBe(
      first.code === second.code,
    );
    expect(verifyOneTimeCode(second.state, second.code, { purpose: 'login', now: t0 + MIN }).ok).toBe(true);
  });

  it('misuse is INVALID_OPTION, unknown state INVALID_RECORD', () => {
    const bad: Partial<IssueOneTimeCodeOptions>[] = [
      { digits: 3 },
      { digits: 10 },
      { ttl: 0 },
      { maxAttempts: 0 },
      { purpose: '' },
      { now: NaN },
      { pepper: new Uint8Array(8) },
      { resend: { minInterval: -1 } },
      { rng: () => new Uint8Array(1) },
    ];
    for (const b of bad) {
      expect(() => issueOneTimeCode(null, { purpose: 'login', now: t0, ...b })).toThrowError(
        expect.objectContaining({ code: 'INVALID_OPTION' }),
      );
    }
    expect(() => issueOneTimeCode({} as never, { purpose: 'login', now: t0 })).toThrowError(
      expect.objectContaining({ code: 'INVALID_RECORD' }),
    );
    const r = issued(null);
    expect(() =>
      verifyOneTimeCode({ ...r.state, challenge: { ...r.state.challenge!, v: 2 as 1 } }, r.code, { purpose: 'login', now: t0 }),
    ).toThrowError(expect.objectContaining({ code: 'INVALID_RECORD' }));
  });
});

describe('verifyOneTimeCode', () => {
  it('consumes once', () => {
    const r = issued(null);
    const ok = verifyOneTimeCode(r.state, r.code, { purpose: 'login', now: t0 + 1000 });
    expect(ok).toMatchObject({ ok: true, purpose: 'login' });
    expect(ok.state.challenge).toBeNull();
    expect(verifyOneTimeCode(ok.state, r.code, { purpose: 'login', now: t0 + 2000 })).toMatchObject({
      ok: false,
      reason: 'no_challenge',
    });
  });

  it('expires at exactly expiresAt, and the expired code is discarded', () => {
    const r = issued(null);
    expect(verifyOneTimeCode(r.state, r.code, { purpose: 'login', now: r.expiresAt - 1 }).ok).toBe(true);
    const late = verifyOneTimeCode(r.state, r.code, { purpose: 'login', now: r.expiresAt });
    expect(late).toMatchObject({ ok: false, reason: 'expired' });
    expect(late.state.challenge).toBeNull();
  });

  it('is bound to its purpose; another purpose leaves it untouched', () => {
    const r = issued(null, { purpose: 'disable' });
    const wrong = verifyOneTimeCode(r.state, r.code, { purpose: 'login', now: t0 });
    expect(wrong).toMatchObject({ ok: false, reason: 'purpose' });
    expect(wrong.state).toBe(r.state);
    expect(verifyOneTimeCode(wrong.state, r.code, { purpose: 'disable', now: t0 }).ok).toBe(true);
  });

  it('counts wrong attempts and burns the code after maxAttempts', () => {
    const r = issued(null, { maxAttempts: 3 });
    const wrong = r.code === '000000' ? '000001' : '000000';
    const a = verifyOneTimeCode(r.state, wrong, { purpose: 'login', now: t0 });
    expect(a).toMatchObject({ ok: false, reason: 'mismatch', attemptsLeft: 2 });
    const b = verifyOneTimeCode(a.state, wrong, { purpose: 'login', now: t0 });
    expect(b).toMatchObject({ ok: false, reason: 'mismatch', attemptsLeft: 1 });
    const c = verifyOneTimeCode(b.state, wrong, { purpose: 'login', now: t0 });
    expect(c).toMatchObject({ ok: false, reason: 'too_many_attempts' });
    expect(verifyOneTimeCode(c.state, r.code, { purpose: 'login', now: t0 })).toMatchObject({ reason: 'no_challenge' });
  });

  it('format errors are not counted; input is normalised', () => {
    const r = issued(null);
    for (const bad of [undefined, null, 5, '', '12345', '1234567', 'abcdef', 'x'.repeat(100)]) {
      const v = verifyOneTimeCode(r.state, bad, { purpose: 'login', now: t0 });
      expect(v).toMatchObject({ ok: false, reason: 'format' });
      expect(v.state).toBe(r.state);
    }
    const spaced = `${r.code.slice(0, 3)} ${r.code.slice(3)}`;
    expect(verifyOneTimeCode(r.state, ` ${spaced} `, { purpose: 'login', now: t0 }).ok).toBe(true);
    const fullWidth = [...r.code].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
    expect(verifyOneTimeCode(r.state, fullWidth, { purpose: 'login', now: t0 }).ok).toBe(true);
  });

  it('with a pepper: needs the same pepper', () => {
    const pepper = new Uint8Array(32).fill(5);
    const r = issued(null, { pepper });
    expect(r.state.challenge!.peppered).toBe(true);
    expect(verifyOneTimeCode(r.state, r.code, { purpose: 'login', now: t0, pepper: new Uint8Array(32).fill(6) }).ok).toBe(
      false,
    );
    expect(verifyOneTimeCode(r.state, r.code, { purpose: 'login', now: t0, pepper }).ok).toBe(true);
    expect(() => verifyOneTimeCode(r.state, r.code, { purpose: 'login', now: t0 })).toThrowError(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });

  it('survives a JSON round trip of the state (stores hold JSON)', () => {
    const r = issued(null);
    const state = JSON.parse(JSON.stringify(r.state)) as OneTimeCodeState;
    expect(verifyOneTimeCode(state, r.code, { purpose: 'login', now: t0 }).ok).toBe(true);
  });

  it('the right code always verifies once; any other code never does (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999 }), fc.constantFrom('login', 'disable', 'enroll'), (guess, purpose) => {
        const r = issued(null, { purpose, resend: false });
        const g = String(guess).padStart(6, '0');
        const v = verifyOneTimeCode(r.state, g, { purpose, now: t0 });
        expect(v.ok).toBe(g === r.code);
        const right = verifyOneTimeCode(r.state, r.code, { purpose, now: t0 });
        expect(right.ok).toBe(true);
        expect(verifyOneTimeCode(right.state, r.code, { purpose, now: t0 }).ok).toBe(false);
      }),
    );
  });
});

describe('resend rate limit', () => {
  it('default: one per 30 s', () => {
    const a = issued(null);
    expect(issueOneTimeCode(a.state, { purpose: 'login', now: t0 + 29_999 })).toEqual({
      ok: false,
      reason: 'rate_limited',
      retryAt: t0 + 30_000,
    });
    expect(resendStatus(a.state, { now: t0 + 10_000 })).toEqual({ allowed: false, retryAt: t0 + 30_000 });
    expect(resendStatus(a.state, { now: t0 + 30_000 })).toEqual({ allowed: true });
    expect(issueOneTimeCode(a.state, { purpose: 'login', now: t0 + 30_000 }).ok).toBe(true);
  });

  it('a refused resend keeps the pending code valid', () => {
    const a = issued(null);
    const refused = issueOneTimeCode(a.state, { purpose: 'login', now: t0 + 1000 });
    expect(refused.ok).toBe(false);
    expect(verifyOneTimeCode(a.state, a.code, { purpose: 'login', now: t0 + 1000 }).ok).toBe(true);
  });

  it('default: at most 5 per hour, then retryAt is when the oldest leaves the window', () => {
    let state: OneTimeCodeState = emptyOneTimeCodeState();
    for (let i = 0; i < 5; i++) state = issued(state, { now: t0 + i * MIN }).state;
    expect(issueOneTimeCode(state, { purpose: 'login', now: t0 + 10 * MIN })).toEqual({
      ok: false,
      reason: 'rate_limited',
      retryAt: t0 + 60 * MIN,
    });
    const later = issued(state, { now: t0 + 60 * MIN });
    expect(later.state.sentAt).toEqual([t0 + MIN, t0 + 2 * MIN, t0 + 3 * MIN, t0 + 4 * MIN, t0 + 60 * MIN]);
  });

  it('configurable, or off', () => {
    const resend = { minInterval: 0, maxPerWindow: 2, window: 10 * MIN };
    let state = issued(null, { resend }).state;
    state = issued(state, { resend }).state;
    expect(issueOneTimeCode(state, { purpose: 'login', now: t0, resend })).toMatchObject({ retryAt: t0 + 10 * MIN });
    expect(issueOneTimeCode(state, { purpose: 'login', now: t0, resend: false }).ok).toBe(true);
  });

  it('each purpose has its own limit: a disable code right after a login code is sent, a second login code waits', () => {
    const a = issued(null, { purpose: 'login' });
    const d = issueOneTimeCode(a.state, { purpose: 'disable', now: t0 + 1000 });
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.state.sentFor).toEqual(['login', 'disable']);
    expect(issueOneTimeCode(d.state, { purpose: 'login', now: t0 + 2000 })).toMatchObject({ ok: false, reason: 'rate_limited', retryAt: t0 + 30_000 });
    expect(resendStatus(d.state, { now: t0 + 2000, purpose: 'login' })).toEqual({ allowed: false, retryAt: t0 + 30_000 });
    expect(resendStatus(d.state, { now: t0 + 2000, purpose: 'enroll' })).toEqual({ allowed: true });
  });

  it('the total limit spans purposes: 10 per hour by default, whatever they are for', () => {
    let state: OneTimeCodeState | null = null;
    for (let i = 0; i < 10; i++) {
      const r = issueOneTimeCode(state, { purpose: `p${i}`, now: t0 + i * 1000 });
      expect(r.ok).toBe(true);
      if (r.ok) state = r.state;
    }
    expect(issueOneTimeCode(state, { purpose: 'p10', now: t0 + 10_000 })).toMatchObject({ ok: false, reason: 'rate_limited', retryAt: t0 + 3_600_000 });
    expect(issueOneTimeCode(state, { purpose: 'p10', now: t0 + 10_000, resendTotal: { maxPerWindow: 11 } }).ok).toBe(true);
    expect(issueOneTimeCode(state, { purpose: 'p10', now: t0 + 10_000, resendTotal: false }).ok).toBe(true);
  });

  it('resendByPurpose overrides one purpose; false turns its own limit off (the total still applies)', () => {
    const a = issued(null, { purpose: 'login' });
    const slow = { resendByPurpose: { login: { minInterval: 60_000 } } };
    expect(issueOneTimeCode(a.state, { purpose: 'login', now: t0 + 30_000, ...slow })).toMatchObject({ ok: false, retryAt: t0 + 60_000 });
    expect(issueOneTimeCode(a.state, { purpose: 'login', now: t0 + 1000, resendByPurpose: { login: false } }).ok).toBe(true);
  });

  it('state written before purposes were kept (no sentFor) counts every earlier send against every purpose', () => {
    const old: OneTimeCodeState = { challenge: null, sentAt: [t0] };
    expect(issueOneTimeCode(old, { purpose: 'disable', now: t0 + 1000 })).toMatchObject({ ok: false, retryAt: t0 + 30_000 });
    const next = issueOneTimeCode(old, { purpose: 'disable', now: t0 + 30_000 });
    expect(next.ok && next.state.sentFor).toEqual(['', 'disable']);
  });
});

describe('maskDestination', () => {
  it.each([
    ['alice@example.com', 'a••••@example.com'],
    ['a@example.com', 'a•@example.com'],
    ['+44 7700 900123', '••••••••0123'],
    ['123', '123'],
    ['', ''],
  ])('%s → %s', (input, out) => {
    expect(maskDestination(input)).toBe(out);
  });
});
