// Matching a normalised code against a stored set: validate the records, derive ONE digest per
// distinct scheme (a set made by generateRecoveryCodes has exactly one), then scan every stored digest
// in constant time (findDigest).
import { MfaError } from '../errors.js';
import type { StoredRecoveryCode, VerifyRecoveryCodeResult } from '../stored-recovery-code.js';
import { decodeBase64Url } from './base64.js';
import { findDigest } from './digest.js';
import {
  checkKdfParams,
  deriveDigest,
  kdfFor,
  schemeKey,
  type RecoveryKdf,
  type RecoveryAlgorithm,
  type RecoveryScheme,
} from './recovery-hash.js';

const ALGORITHMS: readonly string[] = ['hmac-sha256', 'pbkdf2-sha256', 'scrypt'] satisfies RecoveryAlgorithm[];

/** The fields of a record (or of a packed set) that name its scheme. */
type SchemeFields = Partial<Pick<StoredRecoveryCode, 'alg' | 'salt' | 'params' | 'peppered' | 'pepperId'>>;

/** Most records a set may hold (generation caps at 100; leave room for merged sets). */
const MAX_RECORDS = 1000;

/** Reads a stored record's scheme, throwing INVALID_RECORD (never quoting the record) when malformed. */
export function recordScheme(r: unknown, i: number, kdfs: readonly RecoveryKdf[]): RecoveryScheme {
  checkVarying(r, i);
  return schemeOf(r as Partial<StoredRecoveryCode>, i, kdfs);
}

/** The scheme fields of a record (or of a packed set, which holds them once), checked as recordScheme does. */
function schemeOf(rec: SchemeFields, i: number, kdfs: readonly RecoveryKdf[]): RecoveryScheme {
  if (typeof rec.alg !== 'string' || !ALGORITHMS.includes(rec.alg)) {
    throw new MfaError('UNSUPPORTED_ALGORITHM', `recovery code record ${i} names an unsupported algorithm`);
  }
  if (rec.salt !== undefined && !isBase64url(rec.salt)) throw bad(i, 'has a malformed salt');
  if (rec.peppered !== undefined && rec.peppered !== true) throw bad(i, 'has a malformed peppered flag');
  if (rec.pepperId !== undefined && (typeof rec.pepperId !== 'string' || rec.peppered !== true)) throw bad(i, 'has a malformed pepperId');
  const alg = rec.alg as RecoveryAlgorithm;
  // A set hashed with a KDF the caller did not pass is INVALID_OPTION naming it; its bounds come with it.
  if (alg !== 'hmac-sha256') kdfFor(alg, kdfs);
  try {
    checkKdfParams(alg, rec.params, 'INVALID_RECORD', kdfs);
  } catch {
    throw bad(i, 'has invalid cost parameters');
  }
  return { alg, salt: rec.salt ?? '', params: rec.params, peppered: rec.peppered === true };
}

/** Checks the per-code fields of a record: version, hash, usedAt. */
function checkVarying(r: unknown, i: number): void {
  if (typeof r !== 'object' || r === null) throw bad(i, 'is not an object');
  const rec = r as Partial<StoredRecoveryCode>;
  if (rec.v !== 1) throw bad(i, 'has an unsupported version');
  if (!isBase64url(rec.hash) || rec.hash.length === 0) throw bad(i, 'has a malformed hash');
  if (rec.usedAt !== undefined && (typeof rec.usedAt !== 'number' || !Number.isFinite(rec.usedAt))) {
    throw bad(i, 'has a malformed usedAt');
  }
}

/** Whether `b` names exactly the scheme of the already validated record `a` (same alg, salt, params, pepper flag). */
export function sameScheme(a: StoredRecoveryCode, b: unknown): boolean {
  if (typeof b !== 'object' || b === null) return false;
  const r = b as Partial<StoredRecoveryCode>;
  if (r.alg !== a.alg || r.salt !== a.salt || r.peppered !== a.peppered || r.pepperId !== a.pepperId) return false;
  const p = a.params;
  const q: unknown = r.params;
  if (p === undefined || q === undefined) return p === q;
  if (typeof q !== 'object' || q === null) return false;
  const qp = q as Record<string, unknown>;
  return qp.c === p.c && qp.N === p.N && qp.r === p.r && qp.p === p.p && Object.keys(qp).length === Object.keys(p).length;
}

/**
 * Whether `s` is unpadded base64url of at most 1024 characters. Stray low bits in the last character
 * are tolerated (such a hash never equals a digest this library spells; a salt decodes ignoring them).
 */
function isBase64url(s: unknown): s is string {
  return typeof s === 'string' && s.length <= 1024 && decodeBase64Url(s, { canonical: false }) !== null;
}

function bad(i: number, what: string): MfaError {
  return new MfaError('INVALID_RECORD', `recovery code record ${i} ${what}`);
}

/**
 * Result of checking `code` (already normalised; `undefined` = not a code) against `stored`.
 * Records are validated before the input is looked at, so a broken set fails loudly on every call.
 */
export function matchRecoveryCode(
  stored: readonly StoredRecoveryCode[],
  code: string | undefined,
  pepper: Uint8Array | undefined,
  kdfs: readonly RecoveryKdf[],
): VerifyRecoveryCodeResult {
  if (!Array.isArray(stored)) throw new MfaError('INVALID_RECORD', 'stored recovery codes must be an array');
  if (stored.length > MAX_RECORDS) throw new MfaError('INVALID_RECORD', `a recovery code set holds at most ${MAX_RECORDS} records`);
  const n = stored.length;
  const keys: string[] = new Array(n);
  const schemes = new Map<string, RecoveryScheme>();
  let prev: StoredRecoveryCode | undefined;
  let prevKey = '';
  for (let i = 0; i < n; i++) {
    const rec = stored[i];
    if (prev !== undefined && sameScheme(prev, rec)) {
      // Same scheme as the previous record (the usual case: one set, one salt): check only what varies.
      checkVarying(rec!, i);
      keys[i] = prevKey;
      continue;
    }
    const s = recordScheme(rec, i, kdfs);
    const key = schemeKey(s);
    keys[i] = key;
    if (!schemes.has(key)) schemes.set(key, s);
    checkSchemeUsable(s, pepper);
    prev = rec;
    prevKey = key;
  }
  if (code === undefined) return { ok: false, reason: 'format' };

  // Canonical decoding: a stored hash decodes to the digest exactly when it is the spelling
  // encodeBase64Url gives that digest (a non-canonical spelling is null and never matches).
  const digests = stored.map((r) => decodeBase64Url(r.hash));
  let found = -1;
  for (const [key, scheme] of schemes) {
    // One derivation per distinct scheme: exactly one for any set generateRecoveryCodes produced.
    const digest = deriveDigest(scheme, code, scheme.peppered ? pepper : undefined, kdfs);
    // Records of another scheme are null here: compared like the rest, never selected.
    const hit = findDigest(digests.map((d, i) => (keys[i] === key ? d : null)), digest);
    const mask = -((hit >= 0) as unknown as number);
    found = (found & ~mask) | (hit & mask);
  }
  if (found < 0) return { ok: false, reason: 'mismatch' };
  return stored[found]!.usedAt === undefined ? { ok: true, index: found } : { ok: false, reason: 'used' };
}

/** Checked before the input is looked at (the KDF was checked with the scheme): a peppered set needs the pepper. */
function checkSchemeUsable(s: RecoveryScheme, pepper: Uint8Array | undefined): void {
  if (s.peppered && pepper === undefined) {
    throw new MfaError('INVALID_OPTION', 'these recovery codes were hashed with a pepper; pass hashing.pepper');
  }
}

/**
 * matchRecoveryCode over a packed set whose shape is already checked (recoveryCodeSetProblem): one
 * scheme, so it is checked once and derived once, then every digest is scanned in constant time.
 * Errors name record 0 (or record i for a bad digest), as the per-code form of the set would.
 */
export function matchSetCode(
  set: SchemeFields & { readonly hashes: readonly string[]; readonly usedAt: readonly (number | null)[] },
  code: string | undefined,
  pepper: Uint8Array | undefined,
  kdfs: readonly RecoveryKdf[],
): VerifyRecoveryCodeResult {
  const scheme = schemeOf(set, 0, kdfs);
  set.hashes.forEach((h, i) => {
    if (!isBase64url(h) || h.length === 0) throw bad(i, 'has a malformed hash');
  });
  checkSchemeUsable(scheme, pepper);
  if (code === undefined) return { ok: false, reason: 'format' };
  const found = findDigest(
    set.hashes.map((h) => decodeBase64Url(h)),
    deriveDigest(scheme, code, scheme.peppered ? pepper : undefined, kdfs),
  );
  if (found < 0) return { ok: false, reason: 'mismatch' };
  return set.usedAt[found] === null ? { ok: true, index: found } : { ok: false, reason: 'used' };
}
