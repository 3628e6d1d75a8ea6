// The slow KDFs for short recovery codes, as values the caller passes in `hashing.kdf`. They live
// apart from the recovery-code functions so that only an app that passes one bundles it: PBKDF2
// and scrypt cost ~2 KB gzipped that the default HMAC-SHA-256 scheme never needs.
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { scrypt } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { DIGEST_BYTES, SCRYPT_MAX_MEMORY, type RecoveryKdf } from './_internal/recovery-hash.js';

/** A slow key-derivation function for recovery codes: {@link pbkdf2Kdf} or {@link scryptKdf}. */
export type RecoveryCodeKdf = RecoveryKdf;

/**
 * PBKDF2-HMAC-SHA-256 for recovery codes (`algorithm: 'pbkdf2-sha256'`, cost `iterations`). Pass it
 * to generation and to verification (and in `createMfa`'s `recoveryCodes.hashing`).
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
};

/**
 * scrypt for recovery codes (`algorithm: 'scrypt'`, costs `scrypt: { N, r, p }`). Pass it to
 * generation and to verification (and in `createMfa`'s `recoveryCodes.hashing`).
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
};
