// Edges of src/hotp.ts that StrykerJS found untested (npm run mutation -- core-otp): the code
// "000000" is a code like any other, and every option error names its option.
import { describe, expect, it } from 'vitest';
import { hotp, verifyHotp } from '../src/index.js';
import { thrown } from './support/rejection.js';

const SECRET = new TextEncoder().encode('12345678901234567890'); // RFC 4226 appendix D
const ZERO_COUNTER = 349_495; // the first counter whose 6-digit code is 000000 under this secret


describe('hotp edges', () => {
  it('verifies 000000 when it is the code (value 0 is not a format error)', () => {
    expect(hotp(SECRET, ZERO_COUNTER)).toBe('000000');
    expect(verifyHotp(SECRET, '000000', ZERO_COUNTER)).toMatchObject({ ok: true });
    expect(verifyHotp(SECRET, '000000', ZERO_COUNTER - 1)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it.each([
    [() => hotp(SECRET, 0, { digits: 5 }), 'digits must be an integer from 6 to 10'],
    [() => verifyHotp(SECRET, '123456', 0, { lookAhead: 1001 }), 'lookAhead must be an integer from 0 to 1000'],
    [() => hotp(SECRET, -1), 'counter must be an integer from 0 to 2^53-1, or a bigint up to 2^64-1'],
  ])('option errors name the option (%#)', (f, message) => {
    const err = thrown(f);
    expect(err.code).toBe('INVALID_OPTION');
    expect(err.message).toBe(message);
  });
});
