// Edges of time and counters: step boundaries, T0, 2^31 s (the signed 32-bit overflow in 2038),
// year 2100, very large steps, 8 and 10 digits, and bigint counters up to 2^64-1 including the
// 32-bit word carry inside a look-ahead/window scan. Expected codes come from the independent
// reference in reference.ts.
import { describe, expect, it } from 'vitest';
import { hotp, remainingSeconds, timeStep, totp, verifyHotp, verifyTotp, type OtpAlgorithm } from '../src/index.js';
import { referenceHotp, referenceTotp } from './support/otp-reference.js';

const secret = Uint8Array.from({ length: 20 }, (_, i) => (i * 53 + 17) & 0xff);
const ALGORITHMS: readonly OtpAlgorithm[] = ['SHA1', 'SHA256', 'SHA512'];

describe('step boundaries (RFC 6238 §4.2)', () => {
  it.each([
    { time: 0, step: 0 },
    { time: 29_999, step: 0 },
    { time: 30_000, step: 1 },
    { time: 59_999, step: 1 },
    { time: 60_000, step: 2 },
  ])('time $time ms is step $step', ({ time, step }) => {
    expect(timeStep({ time })).toBe(step);
    expect(totp(secret, { time })).toBe(referenceHotp(secret, BigInt(step), 6));
  });

  it('the last millisecond of a step and the first of the next give different codes', () => {
    const before = totp(secret, { time: 89_999 });
    const after = totp(secret, { time: 90_000 });
    expect(before).toBe(referenceHotp(secret, 2n, 6));
    expect(after).toBe(referenceHotp(secret, 3n, 6));
  });

  it('honours the period', () => {
    expect(timeStep({ time: 59_999, period: 60 })).toBe(0);
    expect(timeStep({ time: 60_000, period: 60 })).toBe(1);
    expect(totp(secret, { time: 123_456_789, period: 60 })).toBe(referenceTotp(secret, 123_456_789, { period: 60 }));
    expect(timeStep({ time: 86_400_000, period: 86_400 })).toBe(1);
  });
});

describe('T0 (RFC 6238 §4.1)', () => {
  it('counts steps from t0 seconds', () => {
    expect(timeStep({ time: 1_000_000, t0: 1000 })).toBe(0);
    expect(timeStep({ time: 1_030_000, t0: 1000 })).toBe(1);
    expect(totp(secret, { time: 1_030_000, t0: 1000 })).toBe(referenceHotp(secret, 1n, 6));
  });

  it('accepts a negative t0', () => {
    expect(timeStep({ time: 0, t0: -30 })).toBe(1);
    expect(totp(secret, { time: 0, t0: -30 })).toBe(referenceHotp(secret, 1n, 6));
  });

  it('rejects a time before t0', () => {
    expect(() => timeStep({ time: 999_999, t0: 1000 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});

describe('far times', () => {
  const cases = [
    { name: '2^31 - 1 s (2038-01-19T03:14:07Z)', seconds: 2 ** 31 - 1 },
    { name: '2^31 s (one second past the signed 32-bit limit)', seconds: 2 ** 31 },
    { name: '2^32 s (2106)', seconds: 2 ** 32 },
    { name: '2100-01-01T00:00:00Z', seconds: Date.UTC(2100, 0, 1) / 1000 },
    { name: '20000000000 s (RFC 6238 last row)', seconds: 20_000_000_000 },
  ];
  it.each(cases)('$name, every algorithm, 6/8/10 digits', ({ seconds }) => {
    for (const algorithm of ALGORITHMS) {
      for (const digits of [6, 8, 10]) {
        const time = seconds * 1000;
        const code = totp(secret, { time, algorithm, digits });
        expect(code).toBe(referenceTotp(secret, time, { algorithm, digits }));
        expect(verifyTotp(secret, code, { time, algorithm, digits })).toMatchObject({ ok: true, delta: 0 });
      }
    }
  });

  it('steps above 2^32 (period 1 s, year ~2106+) split into two counter words', () => {
    const time = (2 ** 32 + 5) * 1000;
    expect(timeStep({ time, period: 1 })).toBe(2 ** 32 + 5);
    expect(totp(secret, { time, period: 1 })).toBe(referenceHotp(secret, 2n ** 32n + 5n, 6));
  });

  it('a window straddling step 2^32 checks both sides of the carry', () => {
    const edge = 2 ** 32;
    for (const offset of [-1, 0, 1]) {
      const code = referenceHotp(secret, BigInt(edge + offset), 6);
      const result = verifyTotp(secret, code, { time: edge * 1000, period: 1, window: 1 });
      // A 6-digit collision inside a 3-step window is possible but not for this secret.
      expect(result).toEqual({ ok: true, step: edge + offset, delta: offset });
    }
  });
});

describe('digits (RFC 4226 §5.3, 6 to 10)', () => {
  it.each([6, 7, 8, 9, 10])('%i digits, zero-padded', (digits) => {
    for (let counter = 0; counter < 50; counter++) {
      const code = hotp(secret, counter, { digits });
      expect(code).toHaveLength(digits);
      expect(code).toBe(referenceHotp(secret, BigInt(counter), digits));
    }
  });

  it('10-digit codes are the whole 31-bit value, so they start with 0, 1 or 2', () => {
    for (let counter = 0; counter < 200; counter++) expect(hotp(secret, counter, { digits: 10 })).toMatch(/^[012]\d{9}$/);
  });
});

describe('counters', () => {
  it.each([
    0n,
    1n,
    0xffffffffn,
    0x100000000n,
    BigInt(Number.MAX_SAFE_INTEGER),
    BigInt(Number.MAX_SAFE_INTEGER) + 1n,
    (1n << 63n) - 1n,
    1n << 63n,
    (1n << 64n) - 1n,
  ])('bigint counter %s', (counter) => {
    for (const algorithm of ALGORITHMS) {
      expect(hotp(secret, counter, { algorithm })).toBe(referenceHotp(secret, counter, 6, algorithm));
    }
  });

  it('number and bigint counters agree up to 2^53-1', () => {
    for (const n of [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER]) {
      expect(hotp(secret, n)).toBe(hotp(secret, BigInt(n)));
    }
  });

  it('look-ahead carries from the low into the high counter word', () => {
    const base = 0xfffffffen;
    const code = referenceHotp(secret, base + 3n, 6);
    expect(verifyHotp(secret, code, base, { lookAhead: 5 })).toEqual({ ok: true, counter: base + 3n, delta: 3 });
    expect(verifyHotp(secret, code, Number(base), { lookAhead: 5 })).toEqual({ ok: true, counter: Number(base) + 3, delta: 3 });
  });

  it('accepts the last counter 2^64-1, and a look-ahead that reaches it', () => {
    const last = (1n << 64n) - 1n;
    const code = referenceHotp(secret, last, 6);
    expect(verifyHotp(secret, code, last)).toEqual({ ok: true, counter: last, delta: 0 });
    expect(verifyHotp(secret, code, last - 2n, { lookAhead: 2 })).toEqual({ ok: true, counter: last, delta: 2 });
  });

  it('rejects a look-ahead that would pass 2^64-1 or 2^53-1', () => {
    const last = (1n << 64n) - 1n;
    expect(() => verifyHotp(secret, '000000', last - 1n, { lookAhead: 2 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => verifyHotp(secret, '000000', Number.MAX_SAFE_INTEGER, { lookAhead: 1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });
});

describe('remainingSeconds', () => {
  it.each([
    { time: 0, left: 30 },
    { time: 1, left: 30 },
    { time: 999, left: 30 },
    { time: 1000, left: 29 },
    { time: 29_000, left: 1 },
    { time: 29_999, left: 1 },
    { time: 30_000, left: 30 },
  ])('at $time ms: $left s', ({ time, left }) => {
    expect(remainingSeconds(time)).toBe(left);
  });

  it('honours period and t0', () => {
    expect(remainingSeconds(10_000, 60)).toBe(50);
    expect(remainingSeconds(10_000, 30, 5)).toBe(25);
  });
});
