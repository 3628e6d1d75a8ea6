import { MfaError } from './errors.js';
import { cryptoRandom, type RandomSource } from './random.js';
import { decodeBase64Url, encodeBase64Url } from './_internal/base64.js';
import { findDigest, sha256Text } from './_internal/digest.js';
import { redact } from './_internal/redact.js';
import { checkText } from './_internal/text.js';
import {
  generateApiKey,
  generateApiPassword,
  isApiPasswordFormat,
  parseApiKey,
  type GenerateApiPasswordOptions,
} from './api-keys.js';

export { generateApiPassword, isApiPasswordFormat, type GenerateApiPasswordOptions } from './api-keys.js';

export { passwordAuthAllowedFor, type PasswordAuthInput, type PasswordChannel } from './password-auth.js';

/**
 * One API password as stored: never the password itself, only its SHA-256. Plain JSON, versioned
 * (`v`, `alg`) so the scheme can change without invalidating what is stored.
 *
 * Why SHA-256 and not a slow password hash: an API password is 190 random bits, so even a
 * leaked database cannot be brute-forced at any hash speed. Slow KDFs (scrypt, Argon2) exist for
 * low-entropy human passwords; here they would only cost CPU on every API request.
 */
export interface StoredApiPassword {
  readonly v: 1;
  readonly alg: 'sha256';
  /** Public id (random, not derived from the password): name it in UIs, revoke by it. */
  readonly id: string;
  /** What the user called it ("backup script"). May be empty. */
  readonly label: string;
  /** base64url SHA-256 of the whole password string. */
  readonly hash: string;
  /** When it was issued, ms since the epoch. */
  readonly createdAt: number;
}

/** What may be shown about a stored API password: no hash. */
export interface ApiPasswordSummary {
  readonly id: string;
  readonly label: string;
  readonly createdAt: number;
}

/** Options of {@link createApiPassword}. */
export interface CreateApiPasswordOptions extends GenerateApiPasswordOptions {
  /** Issue time, ms since the epoch. */
  now: number;
  /** A name for it, up to 100 characters without control characters. Default `''`. */
  label?: string;
  /**
   * How many API passwords a user may hold. Default 1 ("one API password per user"):
   * issuing a new one replaces the old, which stops working at once. With more than 1, issuing
   * beyond the limit is refused with `limit_reached` until one is revoked.
   */
  maxPerUser?: number;
  /**
   * Issue a self-describing API key `mfak_<keyId>_<secret><checksum>` whose key id is the
   * credential's `id`, so the owner can be found from the key alone (see `parseApiKey`,
   * `apiKeyPattern`). Default false: `mfak_<secret><checksum>`, checked against a known user.
   */
  withKeyId?: boolean;
}

/** Result of {@link createApiPassword}. */
export type CreateApiPasswordResult =
  | {
      ok: true;
      /** The password: show it once, then forget it. It cannot be shown again. */
      password: string;
      /** The stored form of the new password. */
      credential: StoredApiPassword;
      /** The user's new list: store this. */
      credentials: StoredApiPassword[];
      /** Ids of the passwords this one replaced (one-per-user mode). */
      replaced: string[];
    }
  | { ok: false; reason: 'limit_reached' };

/** Result of {@link checkApiPassword}. */
export type VerifyApiPasswordResult =
  | { ok: true; id: string; label: string }
  | {
      ok: false;
      /** `format`: not an API password at all (wrong prefix, length or checksum); `mismatch`: none stored matches. */
      reason: 'format' | 'mismatch';
    };

const MAX_LABEL = 100;

/**
 * Issues an API password for one user: generates it, hashes it, and returns the user's new list of
 * stored passwords. Pure: you store `credentials` and show `password` once.
 *
 * One per user by default: a new password replaces the old one. Pass `maxPerUser` for
 * several labelled keys ("API keys").
 *
 * @example One API password per user
 * ```ts
 * import { createApiPassword, type StoredApiPassword } from 'mfakit';
 * declare const user: { apiPasswords: StoredApiPassword[] };
 * declare function show(password: string): void;
 *
 * const issued = createApiPassword(user.apiPasswords, { label: 'backup script', now: Date.now() });
 * if (issued.ok) {
 *   user.apiPasswords = issued.credentials; // save
 *   show(issued.password);                  // shown once, cannot be shown again
 * }
 * ```
 */
export function createApiPassword(
  credentials: readonly StoredApiPassword[],
  options: CreateApiPasswordOptions,
): CreateApiPasswordResult {
  const list = checkList(credentials);
  const { now } = options;
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new MfaError('INVALID_OPTION', 'now must be a number');
  const label = checkLabel(options.label ?? '');
  const max = options.maxPerUser ?? 1;
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    throw new MfaError('INVALID_OPTION', 'maxPerUser must be an integer from 1 to 1000');
  }
  const rng = options.rng ?? cryptoRandom;
  let kept = list;
  let replaced: string[] = [];
  if (max === 1) {
    replaced = list.map((c) => c.id);
    kept = [];
  } else if (list.length >= max) {
    return { ok: false, reason: 'limit_reached' };
  }
  let password: string;
  let id: string;
  if (options.withKeyId === true) {
    ({ key: password, keyId: id } = generateApiKey(options.prefix ?? 'mfak', rng));
  } else {
    password = generateApiPassword({ ...options, rng });
    const idBytes = rng(9);
    if (!(idBytes instanceof Uint8Array) || idBytes.length !== 9) {
      throw new MfaError('INVALID_OPTION', 'rng must return a Uint8Array of the requested length');
    }
    id = encodeBase64Url(idBytes);
  }
  const credential: StoredApiPassword = {
    v: 1,
    alg: 'sha256',
    id,
    label,
    hash: encodeBase64Url(sha256Text(password)),
    createdAt: now,
  };
  return redact({ ok: true, password, credential, credentials: [...kept, credential], replaced }, ['password', 'credential', 'credentials']);
}

/**
 * Checks a presented API password (or self-describing API key) against a user's stored ones. One SHA-256 per call whatever the
 * number stored, and every stored hash is compared in full in constant time, so timing tells neither
 * whether nor which one matched. Anything that is not an API password with a valid checksum is a
 * `format` result without touching the hashes. Never throws on `presented`.
 *
 * @example Basic auth on the API once MFA is on
 * ```ts
 * import type { IncomingMessage } from 'node:http';
 * import { parseBasicAuth, checkApiPassword, type StoredApiPassword } from 'mfakit';
 * declare const users: { find(id: string): Promise<{ apiPasswords: StoredApiPassword[] } | null> };
 *
 * async function authenticate(req: IncomingMessage): Promise<boolean> {
 *   const auth = parseBasicAuth(req.headers.authorization);
 *   if (!auth.ok) return false; // answer 401
 *   const user = await users.find(auth.userId);
 *   return user !== null && checkApiPassword(user.apiPasswords, auth.password).ok;
 * }
 * ```
 */
export function checkApiPassword(
  credentials: readonly StoredApiPassword[],
  presented: unknown,
  options: { prefix?: string } = {},
): VerifyApiPasswordResult {
  const list = checkList(credentials);
  if (!isApiPasswordFormat(presented, options) && !parseApiKey(presented, options).ok) return { ok: false, reason: 'format' };
  const digest = sha256Text(presented as string);
  const stored = list.map((c) =>
    c !== null && typeof c === 'object' && c.alg === 'sha256' && typeof c.hash === 'string' ? decodeBase64Url(c.hash) : null,
  );
  const index = findDigest(stored, digest);
  if (index < 0) return { ok: false, reason: 'mismatch' };
  const match = list[index]!;
  return { ok: true, id: match.id, label: match.label };
}

/**
 * Revokes one API password by id: returns the list without it. It stops working at once.
 *
 * @example
 * ```ts
 * import { removeApiPassword, type StoredApiPassword } from 'mfakit';
 * declare const user: { apiPasswords: StoredApiPassword[] };
 * declare const id: string; // from summarizeApiPasswords
 *
 * const { credentials, revoked } = removeApiPassword(user.apiPasswords, id);
 * user.apiPasswords = credentials; // save; revoked is false for an unknown id
 * ```
 */
export function removeApiPassword(
  credentials: readonly StoredApiPassword[],
  id: string,
): { credentials: StoredApiPassword[]; revoked: boolean } {
  const list = checkList(credentials);
  const next = list.filter((c) => c.id !== id);
  return { credentials: next, revoked: next.length !== list.length };
}

/**
 * What can be shown of a user's API passwords: id, label and creation time; never the hash.
 *
 * @example
 * ```ts
 * import { summarizeApiPasswords, type StoredApiPassword } from 'mfakit';
 * declare const user: { apiPasswords: StoredApiPassword[] };
 * summarizeApiPasswords(user.apiPasswords); // [{ id: 'q3…', label: 'backup script', createdAt: … }]
 * ```
 */
export function summarizeApiPasswords(credentials: readonly StoredApiPassword[]): ApiPasswordSummary[] {
  return checkList(credentials).map(({ id, label, createdAt }) => ({ id, label, createdAt }));
}

function checkLabel(label: unknown): string {
  if (typeof label !== 'string' || label.length > MAX_LABEL) {
    throw new MfaError('INVALID_OPTION', `label must be a string of at most ${MAX_LABEL} characters`);
  }
  return checkText('label', label);
}

function checkList(credentials: readonly StoredApiPassword[]): readonly StoredApiPassword[] {
  if (!Array.isArray(credentials)) throw new MfaError('INVALID_RECORD', 'API passwords must be an array');
  return credentials;
}
