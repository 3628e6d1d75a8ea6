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
// Several authenticators per user do not exist yet, so "which authenticator matched" is not
// measured here.
import { describe, expect, it } from 'vitest';
import { generateRecoveryCodes, seededRandom, totp, verifyRecoveryCode, verifyTotp } from '../../src/index.js';
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
