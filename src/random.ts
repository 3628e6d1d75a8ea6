import { MfaError } from './errors.js';

/**
 * A source of cryptographically strong random bytes: returns `byteLength` fresh bytes.
 * Inject one for deterministic tests; production code should keep the default.
 */
export type RandomSource = (byteLength: number) => Uint8Array;

/**
 * Default {@link RandomSource}: WebCrypto `getRandomValues` (Node, browsers, Deno, Bun).
 *
 * @throws {@link MfaError} `UNSUPPORTED_RUNTIME` where the runtime has no WebCrypto (embedded
 * engines such as QuickJS): pass an `rng` option instead.
 * @example
 * ```ts
 * import { cryptoRandom } from 'mfakit';
 * cryptoRandom(16).length; // 16 random bytes
 * ```
 */
export const cryptoRandom: RandomSource = (byteLength) => {
  if (typeof globalThis.crypto?.getRandomValues !== 'function') {
    throw new MfaError(
      'UNSUPPORTED_RUNTIME',
      'this runtime has no WebCrypto getRandomValues: pass an `rng` option (a function returning n cryptographically strong random bytes)',
    );
  }
  const out = new Uint8Array(byteLength);
  // getRandomValues is limited to 65536 bytes per call.
  for (let i = 0; i < byteLength; i += 65536) {
    globalThis.crypto.getRandomValues(out.subarray(i, Math.min(byteLength, i + 65536)));
  }
  return out;
};

/**
 * Anything that tells the time in milliseconds since the Unix epoch. `Date` itself is one;
 * tests pass a `FakeClock` (exported by `mfakit`).
 */
export interface Clock {
  now(): number;
}

/**
 * Default {@link Clock}: the system clock. The only place mfakit reads the wall clock.
 *
 * @example
 * ```ts
 * import { createMfa, MemoryStore, systemClock } from 'mfakit';
 * const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', clock: systemClock }); // the default
 * ```
 */
export const systemClock: Clock = Date;
