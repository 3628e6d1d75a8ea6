import type { Truncator } from './hmac-otp.js';

/**
 * Computes the code for each of `count` consecutive counters starting at (baseHi, baseLo) and returns
 * the highest index whose code equals `token`, or -1. Every candidate is computed and compared;
 * there is no early exit and the selection is branch-free, so timing does not reveal which step (if
 * any) matched.
 */
export function scanCounters(
  t: Truncator,
  token: number,
  modulus: number,
  baseHi: number,
  baseLo: number,
  count: number,
): number {
  let found = -1;
  for (let i = 0; i < count; i++) {
    const sum = baseLo + i;
    const carry = sum > 0xffffffff ? 1 : 0;
    const code = t(baseHi + carry, sum >>> 0) % modulus;
    const mask = -((code === token) as unknown as number); // 0 or -1
    found = (found & ~mask) | (i & mask);
  }
  return found;
}
