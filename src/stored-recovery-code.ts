// A recovery code as stored (its digest, never the code) and the result of checking one: shared by
// recovery-codes.ts and the matcher in _internal/recovery-verify.ts, which therefore do not import
// each other.
import type { RecoveryAlgorithm, RecoveryKdfParams } from './_internal/recovery-hash.js';

/**
 * How a recovery code is hashed for storage.
 *
 * - `'hmac-sha256'` (default): one HMAC-SHA-256 with a random per-set salt (and your pepper, if
 *   any). Right for the default codes: without a pepper, finding one of ten 60-bit codes from a leaked
 *   hash costs on the order of 100 GPU-days per user; with a pepper kept outside the store, a leaked
 *   store alone cannot test any guess.
 * - `'pbkdf2-sha256'`, `'scrypt'`: slow KDFs for codes under 60 bits (short or custom alphabets);
 *   pass the KDF itself as `hashing.kdf` (`pbkdf2Kdf`, `scryptKdf`), on generation and on verification.
 */
export type RecoveryCodeAlgorithm = RecoveryAlgorithm;

/** KDF cost parameters as stored in a record: `c` (PBKDF2 iterations) or `N`, `r`, `p` (scrypt). */
export type RecoveryCodeKdfParams = RecoveryKdfParams;

/**
 * One stored recovery code: its digest, never the code. JSON-safe (bytes as unpadded base64url) and
 * versioned (`v`) so the scheme can change without invalidating stored sets. Every record of a set
 * shares the same `alg`, `salt` and `params`.
 */
export interface StoredRecoveryCode {
  /** Record schema version. */
  v: 1;
  /** Hashing algorithm; see {@link RecoveryCodeAlgorithm}. */
  alg: string;
  /** Per-set salt, base64url. */
  salt?: string;
  /** Digest of the normalised code, base64url. */
  hash: string;
  /** When the code was used (ms since epoch); a used code stays in the set so reuse says `used`. */
  usedAt?: number;
  /** KDF cost parameters (PBKDF2 and scrypt only). */
  params?: RecoveryCodeKdfParams;
  /** Present when the digest was keyed with a server-side pepper; verify then needs the pepper. */
  peppered?: true;
  /** Id of the `SecretCipher` key the pepper was derived from (lifecycle sets only); see `derivePepper`. */
  pepperId?: string;
}

/** Result of `verifyRecoveryCode`. `index` is the matched record, for `markRecoveryCodeUsed`. */
export type VerifyRecoveryCodeResult =
  | { ok: true; index: number }
  | { ok: false; reason: 'format' | 'mismatch' | 'used' };
