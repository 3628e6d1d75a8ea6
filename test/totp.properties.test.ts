// Properties of the OTP core (fast-check): generate → verify round trips for every algorithm,
// digit count and period; window edges; and agreement with the independent reference.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBase32, generateSecret, hotp, totp, verifyHotp, verifyTotp, type OtpAlgorithm } from '../src/index.js';
import { referenceHotp } from './support/otp-reference.js';

const algorithm = fc.constantFrom<OtpAlgorithm>('SHA1', 'SHA256', 'SHA512');
const digits = fc.integer({ min: 6, max: 10 });
const secret = fc.uint8Array({ minLength: 16, maxLength: 160 });
const period = fc.constantFrom(15, 30, 60, 90);
// Up to year ~2500, in ms.
const time = fc.integer({ min: 0, max: 16_725_225_600_000 });

describe('TOTP', () => {
  it('verify(generate) is ok with delta 0 (property)', () => {
    fc.assert(
      fc.property(secret, time, algorithm, digits, period, (s, t, a, d, p) => {
        const code = totp(s, { time: t, algorithm: a, digits: d, period: p });
        expect(code).toMatch(new RegExp(`^\\d{${d}}$`));
        const result = verifyTotp(s, code, { time: t, algorithm: a, digits: d, period: p, window: 0 });
        expect(result).toEqual({ ok: true, step: Math.floor(t / 1000 / p), delta: 0 });
      }),
      { numRuns: 300 },
    );
  });

  it('a base32 secret gives the same codes as its bytes (property)', () => {
    fc.assert(
      fc.property(secret, time, (s, t) => {
        expect(totp(encodeBase32(s), { time: t })).toBe(totp(s, { time: t }));
      }),
      { numRuns: 200 },
    );
  });

  it('a code from k steps away is accepted exactly when k is inside [past, future] (property)', () => {
    fc.assert(
      fc.property(
        secret,
        fc.integer({ min: 100, max: 1e8 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: -12, max: 12 }),
        (s, step, past, future, k) => {
          const code = referenceHotp(s, BigInt(step + k), 8);
          const result = verifyTotp(s, code, { time: step * 30_000 + 1, digits: 8, window: [past, future] });
          if (-past <= k && k <= future) expect(result).toEqual({ ok: true, step: step + k, delta: k });
          // Outside the window, an 8-digit collision with a step inside is a 1-in-10^7 event.
          else expect(result).toEqual({ ok: false, reason: 'mismatch' });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('afterStep replays exactly the steps at or before it (property)', () => {
    fc.assert(
      fc.property(secret, fc.integer({ min: 10, max: 1e8 }), fc.integer({ min: -1, max: 1 }), fc.integer({ min: -3, max: 3 }), (s, step, k, after) => {
        const code = referenceHotp(s, BigInt(step + k), 8);
        const result = verifyTotp(s, code, { time: step * 30_000, digits: 8, afterStep: step + after });
        if (step + k <= step + after) expect(result).toEqual({ ok: false, reason: 'replayed' });
        else expect(result).toEqual({ ok: true, step: step + k, delta: k });
      }),
      { numRuns: 200 },
    );
  });
});

describe('HOTP', () => {
  it('matches the reference for any counter up to 2^64-1 (property)', () => {
    fc.assert(
      fc.property(secret, fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), algorithm, digits, (s, c, a, d) => {
        expect(hotp(s, c, { algorithm: a, digits: d })).toBe(referenceHotp(s, c, d, a));
      }),
      { numRuns: 300 },
    );
  });

  it('look-ahead finds the code at its offset (property)', () => {
    fc.assert(
      fc.property(secret, fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 20 }), (s, c, k) => {
        const code = hotp(s, c + k, { digits: 8 });
        expect(verifyHotp(s, code, c, { digits: 8, lookAhead: 20 })).toEqual({ ok: true, counter: c + k, delta: k });
        if (k > 0) expect(verifyHotp(s, code, c, { digits: 8, lookAhead: k - 1 })).toEqual({ ok: false, reason: 'mismatch' });
      }),
      { numRuns: 200 },
    );
  });
});

describe('generateSecret', () => {
  it('returns the requested number of bytes from the rng', () => {
    const rng = (n: number) => Uint8Array.from({ length: n }, (_, i) => i);
    expect(generateSecret({ rng })).toEqual(rng(20));
    expect(generateSecret({ bytes: 32, rng })).toHaveLength(32);
    expect(generateSecret({ bytes: 8, allowShortSecret: true, rng })).toHaveLength(8);
  });

  it('defaults to 160 random bits that differ between calls', () => {
    const a = generateSecret();
    const b = generateSecret();
    expect(a).toHaveLength(20);
    expect(a).not.toEqual(b);
  });
});
