// Edges of src/totp.ts that StrykerJS found untested (npm run mutation -- core-otp): the code
// "000000", option errors that name their option, and remainingSeconds on
// a time that is not finite.
import { describe, expect, it } from 'vitest';
import { hotp, remainingSeconds, timeStep, totp, verifyTotp } from '../src/index.js';
import { thrown } from './support/rejection.js';

const SECRET = new TextEncoder().encode('12345678901234567890');
const ZERO_STEP = 349_495; // HOTP(SECRET, 349495) = 000000, so the TOTP code of that step is too


describe('totp edges', () => {
  it('verifies 000000 when it is the code of the step', () => {
    expect(hotp(SECRET, ZERO_STEP)).toBe('000000');
    const time = ZERO_STEP * 30_000 + 5_000;
    expect(totp(SECRET, { time })).toBe('000000');
    expect(verifyTotp(SECRET, '000000', { time })).toEqual({ ok: true, step: ZERO_STEP, delta: 0 });
  });

  it.each([
    [() => timeStep({ period: 0 }), 'period must be an integer from 1 to 86400'],
    [() => timeStep({ t0: 1e13 }), 't0 must be an integer from -1000000000000 to 1000000000000'],
    [() => timeStep({ time: -1 }), 'time must be a number of milliseconds at or after t0'],
    [() => verifyTotp(SECRET, '123456', { window: 11 }), 'window must be an integer from 0 to 10'],
    [() => verifyTotp(SECRET, '123456', { window: [0, 11] }), 'window must be an integer from 0 to 10'],
    [() => verifyTotp(SECRET, '123456', { afterStep: -2 }), `afterStep must be an integer from -1 to ${Number.MAX_SAFE_INTEGER}`],
    [() => remainingSeconds(0, 0), 'period must be an integer from 1 to 86400'],
    [() => remainingSeconds(0, 30, 1e13), 't0 must be an integer from -1000000000000 to 1000000000000'],
    [() => remainingSeconds(Infinity), 'time must be a finite number of milliseconds'],
    [() => remainingSeconds(Number.NaN), 'time must be a finite number of milliseconds'],
    [() => remainingSeconds('5' as unknown as number), 'time must be a finite number of milliseconds'],
  ])('option errors name the option (%#)', (f, message) => {
    const err = thrown(f);
    expect(err.code).toBe('INVALID_OPTION');
    expect(err.message).toBe(message);
  });
});
