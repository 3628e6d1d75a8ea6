import { MfaError } from '../errors.js';
import type { RandomSource } from '../random.js';

/** `n` bytes from `rng`, checked. */
export function randomBytes(rng: RandomSource, n: number): Uint8Array {
  const bytes = rng(n);
  if (!(bytes instanceof Uint8Array) || bytes.length !== n) {
    throw new MfaError('INVALID_OPTION', 'rng must return a Uint8Array of the requested length');
  }
  return bytes;
}

/** A uniformly random string of `digits` decimal digits (rejection sampling, no modulo bias). */
export function randomDigits(rng: RandomSource, digits: number): string {
  const modulus = 10 ** digits;
  const limit = Math.floor(0x100000000 / modulus) * modulus;
  for (;;) {
    const b = randomBytes(rng, 4);
    const value = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
    if (value < limit) return String(value % modulus).padStart(digits, '0');
  }
}
