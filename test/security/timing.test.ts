// Timing proofs: verification time does not depend on how close a wrong code is, on which step of
// the window matched, or on which recovery code of a set matched. Each case times the two input
// classes in pairs, back to back in a random order (timing-stats.ts), three independent batches of
// 10,000 pairs, and fails only when every batch shows |t| > 10 or |z| > 10, all with the same sign:
// - 10 is dudect's "definitely not constant time" level. On this shared 2-core machine (load 10,
//   a fuzz run beside it), single batches of constant-time code reached |t| or |z| = 11 to 15, never
//   three in a row with one sign; the leaky controls below reach |t| = 55 to 1,600 in every batch.
//   Pairing matters: an unpaired test lost the digit control entirely under that load (t ≈ 0),
//   because slow and fast phases of the machine swamp a 40 ns difference unless each call is
//   compared with its neighbour. So does one function for both classes, inputs made before the
//   clock starts: with one closure per class the JIT compiled them differently and the real check
//   showed t ≈ −40 to −60 in every batch (a 10–20 ns artefact of the harness, not of verifyTotp).
// - A positive control runs next to each case: the same check written with an early exit. It must
//   be detected, so the test proves it can see a leak of that size (the digit control leaks about
//   40 ns per call, 1.5 % of a TOTP check).
// With authenticators(), the login check of a user with five TOTP authenticators takes the same time
// whichever of them matched (first vs last); its cost is linear in their number (1 vs 5, measured
// and printed, not a secret: the user's own count).
import { describe, expect, it } from 'vitest';
import { authenticators, createMfa, generateRecoveryCodes, MemoryStore, seededRandom, totp, verifyRecoveryCode, verifyTotp } from '../../src/index.js';
import { FakeClock } from '../../src/testing/index.js';
import { parseRecord, resolveLifecycleOptions, type MfaRecord, type TransitionContext } from '../../src/lifecycle/index.js';
import { checkAuthenticators } from '../../src/lifecycle/features/authenticators/check.js';
import { resolveAuthenticatorsOptions } from '../../src/lifecycle/features/authenticators/options.js';
import { authenticatorsProblem } from '../../src/lifecycle/features/authenticators/slice.js';
import { leakTest, type LeakReport } from './timing-stats.js';

const rng = seededRandom('timing');
const SECRET = rng(20);
const TIME = 1_760_000_000_000;
const WINDOW = [-1, 0, 1].map((d) => totp(SECRET, { time: TIME + d * 30_000 }));
const CURRENT = WINDOW[1]!;
const OPTIONS = { pairs: 10_000, batches: 3, threshold: 10 };
/** The real check, one function for both classes of every TOTP case. */
const check = (token: string) => verifyTotp(SECRET, token, { time: TIME });

function report(name: string, r: LeakReport): LeakReport {
  console.log(`timing ${name}: ${r.leaks ? 'LEAKS' : 'no leak'} — ${r.summary}`);
  return r;
}

/** Cycles through a pool, so no single input value shapes a class. */
function cycle<T>(pool: readonly T[]): () => T {
  let i = 0;
  return () => pool[i++ % pool.length]!;
}

/** Six-digit codes that match the current code in exactly `matching` leading positions and no window code. */
function wrongCodes(matching: number): string[] {
  const out: string[] = [];
  for (let seed = 0; out.length < 64; seed++) {
    let code = '';
    for (let i = 0; i < 6; i++) {
      const c = Number(CURRENT[i]);
      const other = (c + 1 + ((seed * 7 + i * 3) % 9)) % 10; // any digit but the current one
      code += i < matching ? CURRENT[i] : String(other);
    }
    if (!WINDOW.includes(code) && !out.includes(code)) out.push(code);
    if (seed > 10_000) break;
  }
  return out;
}

/** The leaky way: compute each window code and compare digit by digit, stopping at the first difference. */
function earlyExitTotp(token: string): number | null {
  for (const d of [-1, 0, 1]) {
    const code = totp(SECRET, { time: TIME + d * 30_000 });
    let equal = true;
    for (let i = 0; i < code.length; i++) {
      if (code[i] !== token[i]) {
        equal = false;
        break;
      }
    }
    if (equal) return d;
  }
  return null;
}

describe('verifyTotp time does not depend on how many digits of a wrong code match', () => {
  const none = cycle(wrongCodes(0));
  const five = cycle(wrongCodes(5));

  it('0 vs 5 matching digits (mismatch both times)', () => {
    expect(verifyTotp(SECRET, five(), { time: TIME })).toEqual({ ok: false, reason: 'mismatch' });
    const r = report('digits 0 vs 5', leakTest(check, none, five, OPTIONS));
    expect(r.leaks, r.summary).toBe(false);
  });

  it('positive control: an early-exit digit comparison is detected', () => {
    const r = report('digits control', leakTest(earlyExitTotp, none, five, OPTIONS));
    expect(r.leaks, r.summary).toBe(true);
  });
});

describe('verifyTotp time does not depend on which step of the ±1 window matches', () => {
  const at = (d: -1 | 0 | 1) => () => verifyTotp(SECRET, WINDOW[d + 1]!, { time: TIME });

  it('match at -1 vs +1', () => {
    expect(at(-1)()).toMatchObject({ ok: true, delta: -1 });
    expect(at(1)()).toMatchObject({ ok: true, delta: 1 });
    const r = report('window -1 vs +1', leakTest(check, () => WINDOW[0]!, () => WINDOW[2]!, OPTIONS));
    expect(r.leaks, r.summary).toBe(false);
  });

  it('match at 0 vs +1', () => {
    const r = report('window 0 vs +1', leakTest(check, () => WINDOW[1]!, () => WINDOW[2]!, OPTIONS));
    expect(r.leaks, r.summary).toBe(false);
  });

  it('positive control: a window scan that stops at the match is detected', () => {
    const r = report('window control', leakTest(earlyExitTotp, () => WINDOW[0]!, () => WINDOW[2]!, OPTIONS));
    expect(r.leaks, r.summary).toBe(true);
  });
});

describe('verifyRecoveryCode time does not depend on which code of the set matches', () => {
  const { codes, hashes } = generateRecoveryCodes({ rng, count: 10 });

  it('first vs last code of ten', () => {
    expect(verifyRecoveryCode(hashes, codes[0])).toEqual({ ok: true, index: 0 });
    expect(verifyRecoveryCode(hashes, codes[9])).toEqual({ ok: true, index: 9 });
    const r = report('recovery first vs last', leakTest((code: string) => verifyRecoveryCode(hashes, code), () => codes[0]!, () => codes[9]!, OPTIONS));
    expect(r.leaks, r.summary).toBe(false);
  });

  it('positive control: checking code by code and stopping at the match is detected', () => {
    const leaky = (code: string) => hashes.findIndex((h) => verifyRecoveryCode([h], code).ok);
    const r = report('recovery control', leakTest(leaky, () => codes[0]!, () => codes[9]!, { ...OPTIONS, pairs: 1500 }));
    expect(r.leaks, r.summary).toBe(true);
  });
});

describe('authenticators(): the login check does not depend on which authenticator matched', () => {
  const secrets = [1, 2, 3, 4, 5].map(() => rng(20));
  const codes = secrets.map((secret) => totp(secret, { time: TIME }));
  const options = resolveAuthenticatorsOptions({});
  const ctx: TransitionContext = { now: TIME, rng, options: resolveLifecycleOptions({ issuer: 'Acme' }), scopeRequired: false };
  async function recordWith(count: number): Promise<MfaRecord> {
    const store = new MemoryStore();
    const mfa = createMfa({ store, issuer: 'Acme', clock: new FakeClock(TIME), rng, features: [authenticators()] });
    await mfa.importAuthenticator('u', secrets.slice(0, count).map((secret, n) => ({ secret, name: `phone ${n}` })));
    return parseRecord(await store.get('u'), 'u', [{ key: 'authenticators', problem: authenticatorsProblem }]);
  }
  /** Pure: the record is not changed, so the same code matches on every call. */
  const checkOn = (record: MfaRecord) => (code: string) => checkAuthenticators(record, code, 'verifyLogin', ctx, options);

  it('first vs last of five (a match both times)', async () => {
    const five = await recordWith(5);
    const run = checkOn(five);
    expect(run(codes[0]!)).toMatchObject({ ok: true, matched: expect.any(String) });
    expect(run(codes[4]!)).toMatchObject({ ok: true });
    const r = report('authenticator first vs last of 5', leakTest(run, () => codes[0]!, () => codes[4]!, OPTIONS));
    expect(r.leaks, r.summary).toBe(false);
  });

  it('positive control: checking authenticator by authenticator and stopping at the match is detected', async () => {
    const five = await recordWith(5);
    const leaky = (code: string) => secrets.findIndex((secret) => verifyTotp(secret, code, { time: TIME }).ok);
    expect(checkOn(five)(codes[4]!).ok).toBe(true);
    const r = report('authenticator control', leakTest(leaky, () => codes[0]!, () => codes[4]!, OPTIONS));
    expect(r.leaks, r.summary).toBe(true);
  });

  it('1 vs 5 authenticators: the cost is linear in their number (measured)', async () => {
    const [one, five] = [await recordWith(1), await recordWith(5)];
    const run = (input: { record: MfaRecord; code: string }) => checkAuthenticators(input.record, input.code, 'verifyLogin', ctx, options);
    const r = report('authenticators 1 vs 5', leakTest(run, () => ({ record: one, code: '000000' }), () => ({ record: five, code: '000000' }), { ...OPTIONS, pairs: 3000 }));
    const ratios = r.batches.map((b) => b.medianB / b.medianA);
    console.log(`timing authenticators 1 vs 5: median ${r.batches.map((b) => `${Math.round(b.medianA)} vs ${Math.round(b.medianB)} ns`).join(', ')}`);
    // Five authenticators are five window scans: between 3 and 7 times one (fixed costs and noise aside).
    for (const ratio of ratios) expect(ratio).toBeGreaterThan(3), expect(ratio).toBeLessThan(7);
  });
});
