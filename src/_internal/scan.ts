import { counterValue, keyHmac } from './hmac-otp.js';
import type { MdHash } from './md.js';

/**
 * Computes the code of each of `count` consecutive counters starting at (baseHi, baseLo) and
 * returns the highest index whose code equals `token`, or -1. Every candidate is computed and
 * compared: there is no early exit and the selection is branch-free, so timing does not reveal
 * which step (if any) matched. The key pads are hashed once for the whole window. `baseHi` may
 * carry a fraction (a step divided by 2^32): the typed-array store truncates it.
 */
export function scanCounters(
  h: MdHash,
  key: Uint8Array,
  token: number,
  modulus: number,
  baseHi: number,
  baseLo: number,
  count: number,
): number {
  keyHmac(h, key);
  let found = -1;
  for (let i = 0; i < count; i++) {
    const sum = baseLo + i;
    const carry = sum > 0xffffffff ? 1 : 0;
    const code = counterValue(h, baseHi + carry, sum >>> 0) % modulus;
    const mask = -((code === token) as unknown as number); // 0 or -1
    found = (found & ~mask) | (i & mask);
  }
  return found;
}
