// A recovery-code set as one object: the hashing scheme (alg, salt, params, pepper flag) once, then a
// digest and a used mark per code. The per-code form (StoredRecoveryCode[]) repeats the scheme in
// every entry; for the default ten codes this form is half its size. The lifecycle record keeps its
// codes this way (record schema 2), and every login reads and rewrites that record.
import { MfaError } from './errors.js';
import type { RecoveryCodeKdfParams, StoredRecoveryCode } from './recovery-codes.js';
import { sameScheme } from './_internal/recovery-verify.js';

/**
 * A whole stored recovery-code set: the scheme every code of a set shares, written once, and per
 * code its digest and when it was used. JSON-safe. What `MfaRecord.recoveryCodes` holds; convert
 * with {@link packRecoveryCodes} / {@link unpackRecoveryCodes}.
 *
 * @example
 * ```ts
 * import { generateRecoveryCodes, packRecoveryCodes, type StoredRecoveryCodeSet } from 'mfakit';
 * const set: StoredRecoveryCodeSet | null = packRecoveryCodes(generateRecoveryCodes().hashes);
 * // { v: 1, alg: 'hmac-sha256', salt: '…', hashes: ['…', …], usedAt: [null, …] }
 * ```
 */
export interface StoredRecoveryCodeSet {
  /** Scheme version, as `StoredRecoveryCode.v`. */
  readonly v: 1;
  /** Hashing algorithm of every code. */
  readonly alg: string;
  /** The set's salt, base64url. */
  readonly salt?: string;
  /** KDF cost parameters (PBKDF2 and scrypt only). */
  readonly params?: RecoveryCodeKdfParams;
  /** Present when the digests were keyed with a server-side pepper. */
  readonly peppered?: true;
  /**
   * Present when the pepper was derived from a `SecretCipher` key (the lifecycle's default with a
   * cipher): the id of that key, so the set keeps verifying after the current key changes.
   */
  readonly pepperId?: string;
  /** Digest of each code, base64url, in the order the codes were shown. */
  readonly hashes: readonly string[];
  /** Per code (same order and length as `hashes`): when it was used (ms since epoch), or null. */
  readonly usedAt: readonly (number | null)[];
}

/** Most codes a set may hold (generation caps at 100; as the per-code verifier allows). */
const MAX_CODES = 1000;

const isSafeInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/**
 * What is wrong with a stored set's shape, or null when it is well-formed (`null` — no codes — is).
 * Shape only, like the per-code form on read: the scheme itself (algorithm, salt, costs) is checked
 * when a code is verified against it.
 */
export function recoveryCodeSetProblem(set: unknown): string | null {
  if (set === null) return null;
  if (typeof set !== 'object' || Array.isArray(set)) return 'recoveryCodes';
  const s = set as Record<string, unknown>;
  if (s.v !== 1) return 'recoveryCodes.v';
  if (typeof s.alg !== 'string') return 'recoveryCodes.alg';
  if (s.salt !== undefined && typeof s.salt !== 'string') return 'recoveryCodes.salt';
  if (s.params !== undefined && (typeof s.params !== 'object' || s.params === null)) return 'recoveryCodes.params';
  if (s.peppered !== undefined && s.peppered !== true) return 'recoveryCodes.peppered';
  if (s.pepperId !== undefined && (typeof s.pepperId !== 'string' || s.pepperId.length === 0 || s.pepperId.length > 64 || s.peppered !== true)) {
    return 'recoveryCodes.pepperId';
  }
  const { hashes, usedAt } = s;
  if (!Array.isArray(hashes) || hashes.length === 0 || hashes.length > MAX_CODES) return 'recoveryCodes.hashes';
  for (const h of hashes) if (typeof h !== 'string') return 'recoveryCodes.hashes';
  if (!Array.isArray(usedAt) || usedAt.length !== hashes.length) return 'recoveryCodes.usedAt';
  for (const u of usedAt) if (u !== null && !isSafeInt(u)) return 'recoveryCodes.usedAt';
  return null;
}

/**
 * Packs per-code records (as {@link generateRecoveryCodes} returns them) into one
 * {@link StoredRecoveryCodeSet}; `null` for no codes. Every record must share one scheme, as the
 * records of one generated set do.
 *
 * @throws {@link MfaError} `INVALID_RECORD` when the records are malformed or mix schemes
 * @example
 * ```ts
 * import { generateRecoveryCodes, packRecoveryCodes } from 'mfakit';
 * const { codes, hashes } = generateRecoveryCodes();
 * const set = packRecoveryCodes(hashes); // store this; show `codes` once
 * ```
 */
export function packRecoveryCodes(records: readonly StoredRecoveryCode[]): StoredRecoveryCodeSet | null {
  if (!Array.isArray(records)) throw new MfaError('INVALID_RECORD', 'stored recovery codes must be an array');
  if (records.length === 0) return null;
  const first = records[0] as Partial<StoredRecoveryCode> | null;
  if (typeof first !== 'object' || first === null) throw new MfaError('INVALID_RECORD', 'recovery code record 0 is not an object');
  const hashes: string[] = [];
  const usedAt: (number | null)[] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as Partial<StoredRecoveryCode> | null;
    if (
      typeof r !== 'object' ||
      r === null ||
      r.v !== 1 ||
      typeof r.hash !== 'string' ||
      (r.usedAt !== undefined && !isSafeInt(r.usedAt)) ||
      !sameScheme(first as StoredRecoveryCode, r)
    ) {
      throw new MfaError('INVALID_RECORD', `recovery code record ${i} is malformed or has another scheme than record 0`);
    }
    hashes.push(r.hash);
    usedAt.push(r.usedAt ?? null);
  }
  const set: { -readonly [K in keyof StoredRecoveryCodeSet]: StoredRecoveryCodeSet[K] } = { v: 1, alg: first.alg as string, hashes, usedAt };
  if (first.salt !== undefined) set.salt = first.salt;
  if (first.params !== undefined) set.params = { ...first.params };
  if (first.peppered !== undefined) set.peppered = first.peppered;
  if (first.pepperId !== undefined) set.pepperId = first.pepperId;
  const problem = recoveryCodeSetProblem(set);
  if (problem !== null) throw new MfaError('INVALID_RECORD', `recovery code set is invalid: ${problem}`);
  return set;
}

/**
 * The per-code records of a set, for {@link verifyRecoveryCode} and the other per-code functions;
 * `[]` for `null`.
 *
 * @throws {@link MfaError} `INVALID_RECORD` when the set is malformed
 * @example
 * ```ts
 * import { generateRecoveryCodes, packRecoveryCodes, unpackRecoveryCodes, verifyRecoveryCode } from 'mfakit';
 * const { codes, hashes } = generateRecoveryCodes();
 * const set = packRecoveryCodes(hashes);
 * verifyRecoveryCode(unpackRecoveryCodes(set), codes[0]); // { ok: true, index: 0 }
 * ```
 */
export function unpackRecoveryCodes(set: StoredRecoveryCodeSet | null): StoredRecoveryCode[] {
  const problem = recoveryCodeSetProblem(set);
  if (problem !== null) throw new MfaError('INVALID_RECORD', `recovery code set is invalid: ${problem}`);
  if (set === null) return [];
  return set.hashes.map((hash, i) => {
    // Field order as generateRecoveryCodes writes them.
    const r: StoredRecoveryCode = set.salt === undefined ? { v: 1, alg: set.alg, hash } : { v: 1, alg: set.alg, salt: set.salt, hash };
    const used = set.usedAt[i];
    if (used !== null && used !== undefined) r.usedAt = used;
    if (set.params !== undefined) r.params = { ...set.params };
    if (set.peppered !== undefined) r.peppered = set.peppered;
    if (set.pepperId !== undefined) r.pepperId = set.pepperId;
    return r;
  });
}

/** @internal The set with code `index` marked used at `now` (a used code keeps its first mark). */
export function markSetCodeUsed(set: StoredRecoveryCodeSet, index: number, now: number): StoredRecoveryCodeSet {
  return { ...set, usedAt: set.usedAt.map((u, i) => (i === index && u === null ? now : u)) };
}

/** @internal Unused codes left in a set (0 for none). */
export function unusedInSet(set: StoredRecoveryCodeSet | null): number {
  if (set === null) return 0;
  let n = 0;
  for (const u of set.usedAt) if (u === null) n++;
  return n;
}
