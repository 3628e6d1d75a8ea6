import { MfaError } from './errors.js';
import { cryptoRandom, type RandomSource } from './random.js';
import { checkInteger } from './_internal/check.js';
import { checkAlphabet, CROCKFORD_ALPHABET, groupCode, MAX_CODE_LENGTH, normaliseCode, randomString } from './_internal/crockford.js';
import { encodeBase64Url } from './_internal/base64.js';
import {
  checkKdfParams,
  checkPepper,
  deriveDigest,
  kdfList,
  type RecoveryKdf,
  type RecoveryScheme,
} from './_internal/recovery-hash.js';
import { matchRecoveryCode } from './_internal/recovery-verify.js';
import { redact } from './_internal/redact.js';
import type {
  RecoveryCodeAlgorithm,
  RecoveryCodeKdfParams,
  StoredRecoveryCode,
  VerifyRecoveryCodeResult,
} from './stored-recovery-code.js';

export type {
  RecoveryCodeAlgorithm,
  RecoveryCodeKdfParams,
  StoredRecoveryCode,
  VerifyRecoveryCodeResult,
} from './stored-recovery-code.js';

/** Hashing options, on generation (all fields) and on verification (only `pepper` and `kdf` are read). */
export interface RecoveryCodeHashing {
  /**
   * Default: the algorithm of `kdf` (the first one, when it is a list), else `'hmac-sha256'`.
   * Verification reads the algorithm from each stored record instead.
   */
  algorithm?: RecoveryCodeAlgorithm;
  /**
   * The slow KDF (`pbkdf2Kdf` or `scryptKdf` from `mfakit`), or a list of them. Needed to generate
   * and to verify sets hashed with `'pbkdf2-sha256'` or `'scrypt'`; an app that never passes one
   * does not bundle either.
   */
  kdf?: RecoveryKdf | readonly RecoveryKdf[];
  /**
   * Server-side secret (HMAC key, at least 16 bytes) kept outside the database, e.g. in a secrets
   * manager. A leaked database alone then cannot be used to test guesses. Needed again on verify.
   */
  pepper?: Uint8Array;
  /** PBKDF2-SHA-256 iterations. Default 100 000. */
  iterations?: number;
  /** scrypt costs. Default `{ N: 2 ** 15, r: 8, p: 1 }` (32 MiB per hash). */
  scrypt?: { N?: number; r?: number; p?: number };
}

/** Options of {@link generateRecoveryCodes}. */
export interface GenerateRecoveryCodesOptions {
  /** How many codes. Default 10 (1 to 100). */
  count?: number;
  /** Characters per code, without separators. Default 12 (60 bits with the default alphabet). */
  length?: number;
  /**
   * Characters to draw from. Default Crockford base32 `0123456789ABCDEFGHJKMNPQRSTVWXYZ`. A custom
   * alphabet is a subset of that one (2 to 32 distinct characters, e.g. `'0123456789'`).
   */
  alphabet?: string;
  /** Insert a hyphen every `groupSize` characters; `0` for none. Default 4. */
  groupSize?: number;
  /** Random source; default WebCrypto. */
  rng?: RandomSource;
  /** How to hash the codes for storage. */
  hashing?: RecoveryCodeHashing;
}

/** What {@link generateRecoveryCodes} returns: show `codes` once, store only `hashes`. */
export interface GeneratedRecoveryCodes {
  /** The codes to show the user once (grouped, e.g. `7K3Q-9XMD-2HFA`). Never store them. */
  codes: string[];
  /** One record per code, same order. Store these. */
  hashes: StoredRecoveryCode[];
}

/**
 * Minimum entropy per code with the fast default hash; below it a slow KDF is required.
 *
 * @example
 * ```ts
 * import { RECOVERY_CODE_MIN_BITS_FAST } from 'mfakit';
 * Math.ceil(RECOVERY_CODE_MIN_BITS_FAST / Math.log2(32)); // 12 base32 characters at least
 * ```
 */
export const RECOVERY_CODE_MIN_BITS_FAST = 60;
/**
 * Minimum entropy per code with a slow KDF.
 *
 * @example
 * ```ts
 * import { RECOVERY_CODE_MIN_BITS_KDF } from 'mfakit';
 * Math.ceil(RECOVERY_CODE_MIN_BITS_KDF / Math.log2(10)); // 8 digits at least
 * ```
 */
export const RECOVERY_CODE_MIN_BITS_KDF = 24;

const SALT_BYTES = 16;

/**
 * Generates a fresh set of single-use recovery codes and their storage records.
 *
 * Regenerating is calling this again and replacing the stored set: the new set has a new salt, so
 * every old code stops working. Throws `INVALID_OPTION` for bad options, including codes under 60 bits
 * with the fast hash (choose a KDF for those) or under 24 bits at all.
 *
 * @example Ten codes, shown once
 * ```ts
 * import { generateRecoveryCodes } from 'mfakit';
 * const { codes, hashes } = generateRecoveryCodes();
 * // codes:  ['7K3Q-9XMD-2HFA', …] → show once, offer a download
 * // hashes: [{ v: 1, alg: 'hmac-sha256', salt: '…', hash: '…' }, …] → store
 * ```
 * @example Eight codes with a pepper
 * ```ts
 * import { generateRecoveryCodes } from 'mfakit';
 * const pepper = new Uint8Array(32); // load from your secrets manager
 * const { codes, hashes } = generateRecoveryCodes({ count: 8, hashing: { pepper } });
 * ```
 */
export function generateRecoveryCodes(options: GenerateRecoveryCodesOptions = {}): GeneratedRecoveryCodes {
  if (typeof options !== 'object' || options === null) throw new MfaError('INVALID_OPTION', 'options must be an object');
  const count = checkInteger('count', options.count ?? 10, 1, 100);
  const length = checkInteger('length', options.length ?? 12, 1, MAX_CODE_LENGTH);
  const alphabet = options.alphabet === undefined ? CROCKFORD_ALPHABET : checkAlphabet(options.alphabet);
  const groupSize = checkInteger('groupSize', options.groupSize ?? 4, 0, MAX_CODE_LENGTH);
  const rng = options.rng ?? cryptoRandom;
  if (typeof rng !== 'function') throw new MfaError('INVALID_OPTION', 'rng must be a function');
  const { scheme, pepper, kdfs } = hashingScheme(options.hashing, rng);

  const bits = length * Math.log2(alphabet.length);
  const minBits = scheme.alg === 'hmac-sha256' ? RECOVERY_CODE_MIN_BITS_FAST : RECOVERY_CODE_MIN_BITS_KDF;
  if (bits < minBits - 1e-9) {
    throw new MfaError(
      'INVALID_OPTION',
      scheme.alg === 'hmac-sha256'
        ? `codes carry ${Math.floor(bits)} bits; the fast hash needs at least ${minBits} (lengthen them or choose a KDF)`
        : `codes carry ${Math.floor(bits)} bits; at least ${minBits} are required`,
    );
  }

  const codes: string[] = [];
  const hashes: StoredRecoveryCode[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  while (codes.length < count) {
    const raw = randomString(alphabet, length, rng);
    if (seen.has(raw)) {
      // A duplicate would make two records match one code. With ≥ 24 bits they are rare; many of them
      // mean the rng is broken (e.g. returns constant bytes), so stop instead of looping forever.
      if (++duplicates > 16) throw new MfaError('INVALID_OPTION', 'rng keeps returning the same values');
      continue;
    }
    seen.add(raw);
    codes.push(groupCode(raw, groupSize));
    hashes.push(toRecord(scheme, encodeBase64Url(deriveDigest(scheme, raw, pepper, kdfs))));
  }
  return redact({ codes, hashes }, ['codes', 'hashes']);
}

function hashingScheme(
  hashing: RecoveryCodeHashing | undefined,
  rng: RandomSource,
): { scheme: RecoveryScheme; pepper: Uint8Array | undefined; kdfs: readonly RecoveryKdf[] } {
  if (hashing !== undefined && (typeof hashing !== 'object' || hashing === null)) {
    throw new MfaError('INVALID_OPTION', 'hashing must be an object');
  }
  const kdfs = kdfList(hashing?.kdf);
  const alg = hashing?.algorithm ?? kdfs[0]?.algorithm ?? 'hmac-sha256';
  const pepper = checkPepper(hashing?.pepper);
  let params: RecoveryCodeKdfParams | undefined;
  if (alg === 'pbkdf2-sha256') params = { c: hashing?.iterations ?? 100_000 };
  else if (alg === 'scrypt') {
    const s = hashing?.scrypt ?? {};
    params = { N: s.N ?? 2 ** 15, r: s.r ?? 8, p: s.p ?? 1 };
  } else if (alg !== 'hmac-sha256') {
    throw new MfaError('UNSUPPORTED_ALGORITHM', 'hashing algorithm must be hmac-sha256, pbkdf2-sha256 or scrypt');
  }
  checkKdfParams(alg, params, 'INVALID_OPTION', kdfs);
  const salt = rng(SALT_BYTES);
  if (!(salt instanceof Uint8Array) || salt.length !== SALT_BYTES) {
    throw new MfaError('INVALID_OPTION', 'rng must return a Uint8Array of the requested length');
  }
  return { scheme: { alg, salt: encodeBase64Url(salt), params, peppered: pepper !== undefined }, pepper, kdfs };
}

function toRecord(s: RecoveryScheme, hash: string): StoredRecoveryCode {
  const r: StoredRecoveryCode = { v: 1, alg: s.alg, salt: s.salt, hash };
  if (s.params) r.params = { ...s.params };
  if (s.peppered) r.peppered = true;
  return r;
}

/** Options of {@link verifyRecoveryCode}. */
export interface VerifyRecoveryCodeOptions {
  /**
   * Only `pepper` (required when the stored set is peppered) and `kdf` (required when it was hashed
   * with PBKDF2 or scrypt) are read; algorithm and costs come from the stored records, so the same
   * object can be passed to generate and verify.
   */
  hashing?: RecoveryCodeHashing;
}

/**
 * Checks a typed recovery code against the stored set.
 *
 * The input is normalised (any case, spaces, hyphens, full-width characters, O → 0, I/L → 1), then
 * hashed exactly once, and that digest is compared against every stored digest in constant time with
 * no early exit, so neither the number of codes nor which one matched shows in the timing. A used
 * code answers `used`; anything that cannot be a code (including non-strings) answers `format`.
 * Never throws on user input; throws `INVALID_RECORD` for a malformed stored set and
 * `INVALID_OPTION` when a peppered set is checked without the pepper.
 *
 * This function does not consume the code: on `ok`, persist {@link markRecoveryCodeUsed}'s result.
 *
 * @example Sign in with a recovery code
 * ```ts
 * import { generateRecoveryCodes, verifyRecoveryCode, markRecoveryCodeUsed } from 'mfakit';
 * let { codes, hashes } = generateRecoveryCodes();
 * const result = verifyRecoveryCode(hashes, codes[0]!.toLowerCase());
 * if (result.ok) hashes = markRecoveryCodeUsed(hashes, result.index, Date.UTC(2026, 0, 1));
 * verifyRecoveryCode(hashes, codes[0]!); // { ok: false, reason: 'used' }
 * ```
 */
export function verifyRecoveryCode(
  stored: readonly StoredRecoveryCode[],
  input: unknown,
  options: VerifyRecoveryCodeOptions = {},
): VerifyRecoveryCodeResult {
  const pepper = checkPepper(options?.hashing?.pepper);
  return matchRecoveryCode(stored, normaliseCode(input), pepper, kdfList(options?.hashing?.kdf));
}

/**
 * Marks the code at `index` used at `now` (ms since epoch). Pure: returns a new array and leaves the
 * input untouched; the code keeps its hash so a later attempt answers `used`. Marking an already used
 * code keeps its first `usedAt`. Throws `INVALID_OPTION` for an index out of range or a bad `now`.
 *
 * @example
 * ```ts
 * import { generateRecoveryCodes, markRecoveryCodeUsed, remainingRecoveryCodes } from 'mfakit';
 * const { hashes } = generateRecoveryCodes();
 * const next = markRecoveryCodeUsed(hashes, 3, Date.UTC(2026, 0, 1));
 * remainingRecoveryCodes(next); // 9
 * ```
 */
export function markRecoveryCodeUsed(
  stored: readonly StoredRecoveryCode[],
  index: number,
  now: number,
): StoredRecoveryCode[] {
  if (!Array.isArray(stored)) throw new MfaError('INVALID_RECORD', 'stored recovery codes must be an array');
  checkInteger('index', index, 0, Math.max(0, stored.length - 1));
  if (stored.length === 0) throw new MfaError('INVALID_OPTION', 'there is no recovery code to mark');
  if (typeof now !== 'number' || !Number.isFinite(now) || now < 0) {
    throw new MfaError('INVALID_OPTION', 'now must be a finite, non-negative number of milliseconds');
  }
  return stored.map((r, i) => (i === index && r.usedAt === undefined ? { ...r, usedAt: now } : r));
}

/**
 * How many codes of the set are still unused.
 *
 * @example
 * ```ts
 * import { generateRecoveryCodes, remainingRecoveryCodes } from 'mfakit';
 * remainingRecoveryCodes(generateRecoveryCodes({ count: 8 }).hashes); // 8
 * ```
 */
export function remainingRecoveryCodes(stored: readonly StoredRecoveryCode[]): number {
  if (!Array.isArray(stored)) throw new MfaError('INVALID_RECORD', 'stored recovery codes must be an array');
  let n = 0;
  for (const r of stored) if (r?.usedAt === undefined) n++;
  return n;
}

/**
 * Low-codes signal for UIs: true when `remainingRecoveryCodes(stored) <= threshold` (default 2), the
 * moment to nudge the user to regenerate.
 *
 * @example
 * ```ts
 * import { isRecoveryCodeSetLow, generateRecoveryCodes } from 'mfakit';
 * const { hashes } = generateRecoveryCodes();
 * if (isRecoveryCodeSetLow(hashes)) console.log('Generate new recovery codes');
 * ```
 */
export function isRecoveryCodeSetLow(stored: readonly StoredRecoveryCode[], threshold = 2): boolean {
  checkInteger('threshold', threshold, 0, Number.MAX_SAFE_INTEGER);
  return remainingRecoveryCodes(stored) <= threshold;
}
