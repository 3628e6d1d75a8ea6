// The slow KDFs for short recovery codes, as values the caller passes in `hashing.kdf`. They live
// apart from the recovery-code functions so that only an app that passes one bundles it: PBKDF2
// and scrypt cost ~2 KB gzipped that the default HMAC-SHA-256 scheme never needs.
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { scrypt } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { DIGEST_BYTES, SCRYPT_MAX_MEMORY, type RecoveryKdf } from './_internal/recovery-hash.js';

// Cost bounds, enforced on generation and on stored records (a tampered row cannot DoS).
const PBKDF2_MIN_ITERATIONS = 1_000;
const PBKDF2_MAX_ITERATIONS = 10_000_000;
const SCRYPT_MIN_N = 1 << 10;
const SCRYPT_MAX_N = 1 << 20;
const SCRYPT_MAX_R = 32;
const SCRYPT_MAX_P = 16;

const int = (v: unknown, min: number, max: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** A slow key-derivation function for recovery codes: {@link pbkdf2Kdf} or {@link scryptKdf}. */
export type RecoveryCodeKdf = RecoveryKdf;

/**
 * PBKDF2-HMAC-SHA-256 for recovery codes (`algorithm: 'pbkdf2-sha256'`, cost `iterations`). Pass it
 * to generation and to verification (and in the lifecycle's `recoveryCodes({ hashing })`).
 *
 * @example Short numeric codes hashed with PBKDF2
 * ```ts
 * import { generateRecoveryCodes, verifyRecoveryCode, pbkdf2Kdf } from 'mfakit';
 * const hashing = { kdf: pbkdf2Kdf, iterations: 100_000 };
 * const { codes, hashes } = generateRecoveryCodes({ alphabet: '0123456789', length: 10, hashing });
 * verifyRecoveryCode(hashes, codes[0]!, { hashing }); // { ok: true, index: 0 }
 * ```
 */
export const pbkdf2Kdf: RecoveryCodeKdf = {
  algorithm: 'pbkdf2-sha256',
  derive: (password, salt, params) => pbkdf2(sha256, password, salt, { c: params.c!, dkLen: DIGEST_BYTES }),
  problem: ({ c }) =>
    int(c, PBKDF2_MIN_ITERATIONS, PBKDF2_MAX_ITERATIONS)
      ? null
      : `pbkdf2-sha256 iterations must be an integer from ${PBKDF2_MIN_ITERATIONS} to ${PBKDF2_MAX_ITERATIONS}`,
};

/**
 * scrypt for recovery codes (`algorithm: 'scrypt'`, costs `scrypt: { N, r, p }`). Pass it to
 * generation and to verification (and in the lifecycle's `recoveryCodes({ hashing })`).
 *
 * @example Short codes hashed with scrypt
 * ```ts
 * import { generateRecoveryCodes, verifyRecoveryCode, scryptKdf } from 'mfakit';
 * const hashing = { kdf: scryptKdf, scrypt: { N: 2 ** 15 } };
 * const { codes, hashes } = generateRecoveryCodes({ length: 8, hashing });
 * verifyRecoveryCode(hashes, codes[0]!, { hashing }); // { ok: true, index: 0 }
 * ```
 */
export const scryptKdf: RecoveryCodeKdf = {
  algorithm: 'scrypt',
  derive: (password, salt, { N, r, p }) =>
    scrypt(password, salt, { N: N!, r: r!, p: p!, dkLen: DIGEST_BYTES, maxmem: SCRYPT_MAX_MEMORY + 1024 }),
  problem: ({ N, r, p }) => {
    if (!int(N, SCRYPT_MIN_N, SCRYPT_MAX_N) || (N! & (N! - 1)) !== 0) return `scrypt N must be a power of two from ${SCRYPT_MIN_N} to ${SCRYPT_MAX_N}`;
    if (!int(r, 1, SCRYPT_MAX_R) || !int(p, 1, SCRYPT_MAX_P)) return `scrypt r must be 1 to ${SCRYPT_MAX_R} and p 1 to ${SCRYPT_MAX_P}`;
    return 128 * N! * r! * p! > SCRYPT_MAX_MEMORY ? 'scrypt parameters need more than 1 GiB' : null;
  },
};
