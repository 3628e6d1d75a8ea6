// The hash side of recovery codes: hashing schemes (what a stored record says about how its digest
// was made) and the one derivation per attempt. Bytes in records are base64url (./base64.ts); the
// constant-time scan over every stored digest is findDigest (./digest.ts). The slow KDFs are not
// imported here: the caller passes them in (src/recovery-kdfs.ts), so an app that keeps the default
// HMAC does not bundle PBKDF2 or scrypt.
import { hmacSha256 } from './sha256.js';
import { MfaError } from '../errors.js';
import { decodeBase64Url } from './base64.js';
import { utf8Encode } from './utf8.js';

/** Hashing algorithms a stored record may name. */
export type RecoveryAlgorithm = 'hmac-sha256' | 'pbkdf2-sha256' | 'scrypt';

/** KDF cost parameters as stored: `c` for PBKDF2, `N`/`r`/`p` for scrypt. */
export interface RecoveryKdfParams {
  c?: number;
  N?: number;
  r?: number;
  p?: number;
}

/** A slow KDF for recovery codes, passed in by the caller (`pbkdf2Kdf`, `scryptKdf`). */
export interface RecoveryKdf {
  /** The algorithm name stored in the records it hashes. */
  readonly algorithm: 'pbkdf2-sha256' | 'scrypt';
  /** A 32-byte digest of `password` under `salt` with the (already validated) cost parameters. */
  derive(password: Uint8Array, salt: Uint8Array, params: RecoveryKdfParams): Uint8Array;
  /**
   * What is wrong with cost parameters (out of bounds, so a tampered record cannot make a check
   * take minutes), or null. Kept with the KDF so an app on the default HMAC bundles none of it.
   */
  problem(params: RecoveryKdfParams): string | null;
}

/** Everything that determines a digest except the code itself. Shared by a whole set. */
export interface RecoveryScheme {
  alg: RecoveryAlgorithm;
  salt: string; // base64url, '' when the record has none
  params: RecoveryKdfParams | undefined;
  peppered: boolean;
}

/** Digest length in bytes for every algorithm. */
export const DIGEST_BYTES = 32;

/** 1 GiB, noble's default ceiling for 128·N·r·p. */
export const SCRYPT_MAX_MEMORY = 1024 ** 3;

/**
 * The one hash computation of an attempt (or of one generated code).
 *
 * - `hmac-sha256`: HMAC-SHA-256, keyed with the pepper (or with the salt when there is no pepper),
 *   over salt ‖ code.
 * - `pbkdf2-sha256` / `scrypt`: the KDF over the code (or over HMAC-SHA-256(pepper, code) when
 *   peppered), with the set's salt and the stored cost parameters.
 */
export function deriveDigest(
  scheme: RecoveryScheme,
  code: string,
  pepper: Uint8Array | undefined,
  kdfs: readonly RecoveryKdf[],
): Uint8Array {
  // The salt was generated here or checked by recordScheme (isBase64url), so it decodes.
  const salt = decodeBase64Url(scheme.salt, { canonical: false })!;
  const codeBytes = utf8Encode(code);
  switch (scheme.alg) {
    case 'hmac-sha256': {
      const msg = new Uint8Array(salt.length + codeBytes.length);
      msg.set(salt);
      msg.set(codeBytes, salt.length);
      return hmacSha256(pepper ?? salt, msg);
    }
    default: {
      const password = pepper ? hmacSha256(pepper, codeBytes) : codeBytes;
      return kdfFor(scheme.alg, kdfs).derive(password, salt, scheme.params!);
    }
  }
}

/** The caller's KDFs as a list: `hashing.kdf` is one KDF or several (say, while moving sets from one to another). */
export function kdfList(kdf: unknown): readonly RecoveryKdf[] {
  const list = kdf === undefined ? [] : Array.isArray(kdf) ? (kdf as unknown[]) : [kdf];
  for (const k of list) {
    const ok = typeof k === 'object' && k !== null && typeof (k as RecoveryKdf).derive === 'function' && typeof (k as RecoveryKdf).problem === 'function';
    if (!ok) throw new MfaError('INVALID_OPTION', 'hashing.kdf must be pbkdf2Kdf or scryptKdf (or a list of them)');
  }
  return list as RecoveryKdf[];
}

/** The KDF for `alg` among the caller's, or INVALID_OPTION saying which one to pass. */
export function kdfFor(alg: RecoveryAlgorithm, kdfs: readonly RecoveryKdf[]): RecoveryKdf {
  const kdf = kdfs.find((k) => k.algorithm === alg);
  if (kdf === undefined) {
    const name = alg === 'scrypt' ? 'scryptKdf' : 'pbkdf2Kdf';
    throw new MfaError('INVALID_OPTION', `recovery codes hashed with ${alg} need hashing.kdf: ${name} (import { ${name} } from 'mfakit')`);
  }
  return kdf;
}

/** Shortest pepper accepted: 128 bits. */
export const MIN_PEPPER_BYTES = 16;

/** Validates a pepper option: undefined, or a Uint8Array of at least 16 bytes. */
export function checkPepper(pepper: unknown): Uint8Array | undefined {
  if (pepper === undefined) return undefined;
  if (!(pepper instanceof Uint8Array) || pepper.length < MIN_PEPPER_BYTES) {
    throw new MfaError('INVALID_OPTION', `pepper must be a Uint8Array of at least ${MIN_PEPPER_BYTES} bytes`);
  }
  return pepper;
}

/** Key identifying a scheme, so records sharing one are hashed once. */
export function schemeKey(s: RecoveryScheme): string {
  const p = s.params;
  return `${s.alg}|${s.salt}|${s.peppered ? 1 : 0}|${p?.c ?? ''}|${p?.N ?? ''}|${p?.r ?? ''}|${p?.p ?? ''}`;
}

/**
 * Throws unless the KDF parameters suit `alg` (`code` names the source): none for HMAC, bounds the
 * KDF itself checks otherwise (INVALID_OPTION when the caller did not pass that KDF).
 */
export function checkKdfParams(
  alg: RecoveryAlgorithm,
  params: RecoveryKdfParams | undefined,
  code: 'INVALID_OPTION' | 'INVALID_RECORD',
  kdfs: readonly RecoveryKdf[],
): void {
  if (alg === 'hmac-sha256') {
    if (params !== undefined) throw new MfaError(code, 'hmac-sha256 takes no cost parameters');
    return;
  }
  const kdf = kdfFor(alg, kdfs);
  if (typeof params !== 'object' || params === null) throw new MfaError(code, `${alg} needs cost parameters`);
  const problem = kdf.problem(params);
  if (problem !== null) throw new MfaError(code, problem);
}
