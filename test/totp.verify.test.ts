// verifyTotp / verifyHotp behaviour: token normalisation, the window and its edges, replay
// protection with afterStep (RFC 6238 §5.2), and the "no early exit" scan.
import { describe, expect, it } from 'vitest';
import { hotp, totp, verifyHotp, verifyTotp } from '../src/index.js';
import { referenceHotp } from './support/otp-reference.js';

const secret = Uint8Array.from({ length: 20 }, (_, i) => (i * 29 + 3) & 0xff);
const STEP = 56_666_666; // some step in 2023
const time = STEP * 30_000 + 12_345;
const codeAt = (step: number, digits = 6) => referenceHotp(secret, BigInt(step), digits);

describe('token normalisation', () => {
  const code = codeAt(STEP);
  const spaced = `${code.slice(0, 3)} ${code.slice(3)}`;
  const fullWidth = [...code].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
  it.each([
    ['plain', code],
    ['surrounding spaces', `  ${code}  `],
    ['surrounding tab and newline', `\t${code}\n`],
    ['inner space', spaced],
    ['inner spaces between every digit', [...code].join(' ')],
    ['inner hyphen', `${code.slice(0, 3)}-${code.slice(3)}`],
    ['no-break space', `${code.slice(0, 3)}\u00a0${code.slice(3)}`],
    ['ideographic space', `${code.slice(0, 3)}\u3000${code.slice(3)}`],
    ['full-width digits', fullWidth],
    ['full-width digits with an ideographic space', `${fullWidth.slice(0, 3)}\u3000${fullWidth.slice(3)}`],
    ['mixed ASCII and full-width digits', code.slice(0, 3) + fullWidth.slice(3)],
  ])('%s is accepted', (_, token) => {
    expect(verifyTotp(secret, token, { time })).toEqual({ ok: true, step: STEP, delta: 0 });
  });

  it.each([
    ['a digit too few', code.slice(1)],
    ['a digit too many', `${code}0`],
    ['a dot separator', `${code.slice(0, 3)}.${code.slice(3)}`],
    ['an underscore', `${code.slice(0, 3)}_${code.slice(3)}`],
    ['a letter O for a zero', code.replace(/\d/, 'O')],
  ])('%s is a format error', (_, token) => {
    expect(verifyTotp(secret, token, { time })).toEqual({ ok: false, reason: 'format' });
  });

  it('leading zeros matter: the 6-digit code is a string, not a number', () => {
    // Find a step whose code starts with 0 and check the 5-digit number form is rejected.
    let step = STEP;
    while (!codeAt(step).startsWith('0')) step++;
    const code0 = codeAt(step);
    const at = step * 30_000;
    expect(verifyTotp(secret, code0, { time: at })).toMatchObject({ ok: true });
    expect(verifyTotp(secret, String(Number(code0)), { time: at })).toEqual({ ok: false, reason: 'format' });
  });

  it('normalises HOTP tokens the same way', () => {
    const h = hotp(secret, 7);
    expect(verifyHotp(secret, ` ${h.slice(0, 3)}-${h.slice(3)} `, 7)).toEqual({ ok: true, counter: 7, delta: 0 });
  });
});

describe('window (RFC 6238 §5.2)', () => {
  it('default ±1: previous, current and next step are accepted, ±2 are not', () => {
    for (const delta of [-1, 0, 1]) {
      expect(verifyTotp(secret, codeAt(STEP + delta), { time })).toEqual({ ok: true, step: STEP + delta, delta });
    }
    for (const delta of [-2, 2]) expect(verifyTotp(secret, codeAt(STEP + delta), { time })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('window 0 accepts only the current step', () => {
    expect(verifyTotp(secret, codeAt(STEP), { time, window: 0 })).toMatchObject({ ok: true, delta: 0 });
    expect(verifyTotp(secret, codeAt(STEP - 1), { time, window: 0 })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyTotp(secret, codeAt(STEP + 1), { time, window: 0 })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('asymmetric [past, future]', () => {
    const opts = { time, window: [2, 0] as const };
    expect(verifyTotp(secret, codeAt(STEP - 2), opts)).toMatchObject({ ok: true, delta: -2 });
    expect(verifyTotp(secret, codeAt(STEP - 3), opts)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyTotp(secret, codeAt(STEP + 1), opts)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('window 10 reaches exactly ten steps each way', () => {
    expect(verifyTotp(secret, codeAt(STEP - 10), { time, window: 10 })).toMatchObject({ ok: true, delta: -10 });
    expect(verifyTotp(secret, codeAt(STEP + 10), { time, window: 10 })).toMatchObject({ ok: true, delta: 10 });
    expect(verifyTotp(secret, codeAt(STEP + 11), { time, window: 10 })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('the window edges move with the step boundary, to the millisecond', () => {
    const start = STEP * 30_000;
    // At the first millisecond of STEP, STEP-2 is out; at the last millisecond of STEP-1 it is in.
    expect(verifyTotp(secret, codeAt(STEP - 2), { time: start })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyTotp(secret, codeAt(STEP - 2), { time: start - 1 })).toMatchObject({ ok: true, delta: -1 });
    expect(verifyTotp(secret, codeAt(STEP + 1), { time: start + 29_999 })).toMatchObject({ ok: true, delta: 1 });
    expect(verifyTotp(secret, codeAt(STEP + 2), { time: start + 29_999 })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyTotp(secret, codeAt(STEP + 2), { time: start + 30_000 })).toMatchObject({ ok: true, delta: 1 });
  });

  it('near step 0 the window is clipped, not negative', () => {
    expect(verifyTotp(secret, codeAt(0), { time: 0 })).toEqual({ ok: true, step: 0, delta: 0 });
    expect(verifyTotp(secret, codeAt(1), { time: 0 })).toEqual({ ok: true, step: 1, delta: 1 });
    expect(verifyTotp(secret, codeAt(0), { time: 30_000, window: 5 })).toEqual({ ok: true, step: 0, delta: -1 });
  });

  it('when two steps in the window share a code, the latest one is reported', () => {
    // 6-digit collisions are rare; use look-ahead over many HOTP counters to find one.
    const seen = new Map<string, number>();
    let pair: [number, number] | undefined;
    for (let c = 0; c < 5000 && !pair; c++) {
      const code = codeAt(c);
      const earlier = seen.get(code);
      if (earlier !== undefined && c - earlier <= 1000) pair = [earlier, c];
      seen.set(code, c);
    }
    expect(pair).toBeDefined();
    const [a, b] = pair!;
    expect(verifyHotp(secret, codeAt(a), a, { lookAhead: b - a })).toEqual({ ok: true, counter: b, delta: b - a });
  });
});

describe('replay protection (afterStep, RFC 6238 §5.2)', () => {
  it('a code from the last accepted step is replayed', () => {
    const first = verifyTotp(secret, codeAt(STEP), { time });
    expect(first).toEqual({ ok: true, step: STEP, delta: 0 });
    expect(verifyTotp(secret, codeAt(STEP), { time, afterStep: STEP })).toEqual({ ok: false, reason: 'replayed' });
  });

  it('an earlier step inside the window is replayed too', () => {
    expect(verifyTotp(secret, codeAt(STEP - 1), { time, afterStep: STEP })).toEqual({ ok: false, reason: 'replayed' });
  });

  it('a later step is accepted after an earlier one', () => {
    expect(verifyTotp(secret, codeAt(STEP + 1), { time, afterStep: STEP })).toEqual({ ok: true, step: STEP + 1, delta: 1 });
  });

  it('a code accepted from the future step cannot be replayed in the next period', () => {
    const accepted = verifyTotp(secret, codeAt(STEP + 1), { time });
    expect(accepted).toMatchObject({ ok: true, step: STEP + 1 });
    const later = time + 30_000;
    expect(verifyTotp(secret, codeAt(STEP + 1), { time: later, afterStep: STEP + 1 })).toEqual({ ok: false, reason: 'replayed' });
  });

  it('a wrong code is a mismatch, not replayed, whatever afterStep is', () => {
    const wrong = String((Number(codeAt(STEP)) + 500_000) % 1_000_000).padStart(6, '0');
    if ([-1, 0, 1].some((d) => codeAt(STEP + d) === wrong)) return;
    expect(verifyTotp(secret, wrong, { time, afterStep: STEP + 5 })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('afterStep -1 (nothing accepted yet) replays nothing', () => {
    expect(verifyTotp(secret, codeAt(0), { time: 0, afterStep: -1 })).toMatchObject({ ok: true, step: 0 });
  });
});

describe('verification is a full scan, with no early exit', () => {
  it('runs the same number of compressions whether the first, last or no step matches', async () => {
    const { SHA1 } = await import('../src/_internal/sha1.js');
    const compress = SHA1.compress;
    let calls = 0;
    SHA1.compress = (state, out) => {
      calls++;
      compress(state, out);
    };
    try {
      const count = (token: string) => {
        calls = 0;
        verifyTotp(secret, token, { time, window: 2 });
        return calls;
      };
      const wrong = String((Number(codeAt(STEP)) + 1) % 1e6).padStart(6, '0');
      const counts = [codeAt(STEP - 2), codeAt(STEP), codeAt(STEP + 2), wrong].map(count);
      // 2 for the key pads, then 2 (inner, outer) for each of the 5 steps.
      expect(counts).toEqual([12, 12, 12, 12]);
    } finally {
      SHA1.compress = compress;
    }
  });
});

describe('totp and hotp agree', () => {
  it('totp at a step equals hotp of the step number', () => {
    for (let s = STEP - 5; s <= STEP + 5; s++) expect(totp(secret, { time: s * 30_000 })).toBe(hotp(secret, s));
  });
});
