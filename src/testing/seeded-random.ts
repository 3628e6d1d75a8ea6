import type { RandomSource } from '../random.js';

/**
 * A deterministic {@link RandomSource} for tests: the same seed gives the same bytes on every run
 * and platform (xoshiro128** seeded through splitmix32). NOT cryptographically secure — never use
 * it outside tests.
 *
 * @example
 * ```ts
 * import { createMfa, FakeClock, MemoryStore, seededRandom } from 'mfakit';
 * const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', clock: new FakeClock(), rng: seededRandom(42) });
 * ```
 */
export function seededRandom(seed: number | string = 1): RandomSource {
  let h = typeof seed === 'number' ? seed >>> 0 : hashString(seed);
  const next32 = (): number => {
    h = (h + 0x9e3779b9) | 0;
    let z = h;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = next32(), b = next32(), c = next32(), d = next32();
  const xoshiro = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t;
    d = rotl(d, 11);
    return result;
  };
  return (byteLength) => {
    const out = new Uint8Array(byteLength);
    for (let i = 0; i < byteLength; i += 4) {
      let v = xoshiro();
      for (let j = 0; j < 4 && i + j < byteLength; j++, v >>>= 8) out[i + j] = v & 0xff;
    }
    return out;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
