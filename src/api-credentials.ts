import { MfaError } from './errors.js';
import { cryptoRandom, type RandomSource } from './random.js';
import { decodeBase64Url, encodeBase64Url } from './_internal/base64.js';
import { findDigest, sha256Text } from './_internal/digest.js';
import { BASE62, CHECK_CHARS, checksum } from './_internal/token-checksum.js';
import { redact } from './_internal/redact.js';
import { checkText } from './_internal/text.js';

export { passwordAuthAllowed, type PasswordAuthInput, type PasswordChannel } from './password-auth.js';

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

/** Options of {@link generateApiPassword}. */
export interface GenerateApiPasswordOptions {
  /**
   * Prefix before the `_`, 2–16 characters `a–z 0–9` starting with a letter. Default `'mfak'`.
   * Register `<prefix>_` with GitHub secret scanning (or your scanner) to catch leaked passwords.
   */
  prefix?: string;
  /** Random source; default WebCrypto. */
  rng?: RandomSource;
}

/** Options of {@link issueApiPassword}. */
export interface IssueApiPasswordOptions extends GenerateApiPasswordOptions {
  /** Issue time, ms since the epoch. */
  now: number;
  /** A name for it, up to 100 characters without control characters. Default `''`. */
  label?: string;
  /**
   * How many API passwords a user may hold. Default 1 (seed 001: "one API password per user"):
   * issuing a new one replaces the old, which stops working at once. With more than 1, issuing
   * beyond the limit is refused with `limit_reached` until one is revoked.
   */
  maxPerUser?: number;
}

/** Result of {@link issueApiPassword}. */
export type IssueApiPasswordResult =
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

/** Result of {@link verifyApiPassword}. */
export type VerifyApiPasswordResult =
  | { ok: true; id: string; label: string }
  | {
      ok: false;
      /** `format`: not an API password at all (wrong prefix, length or checksum); `mismatch`: none stored matches. */
      reason: 'format' | 'mismatch';
    };

const DEFAULT_PREFIX = 'mfak';
const PREFIX = /^[a-z][a-z0-9]{1,15}$/;
const BODY_CHARS = 32; // 32 × log2(62) ≈ 190.5 bits
const MAX_LABEL = 100;

/**
 * Generates an API password: `mfak_` + 32 random base62 characters (190 bits) + a 6-character
 * CRC32 checksum, like GitHub's tokens. The prefix lets secret scanners find leaked passwords and the
 * checksum lets them (and {@link verifyApiPassword}) reject look-alikes without a database lookup.
 * The checksum adds no security; the 190 random bits do. No `:` ever appears, so the password works
 * in HTTP Basic auth (see {@link parseBasicAuth}).
 *
 * Usually you want {@link issueApiPassword}, which also makes the stored form.
 *
 * @example
 * ```ts
 * import { generateApiPassword } from 'mfakit';
 * generateApiPassword(); // 'mfak_4Lq0…Zt8r1bQk' (43 characters)
 * ```
 */
export function generateApiPassword(options: GenerateApiPasswordOptions = {}): string {
  const prefix = checkPrefix(options.prefix);
  const rng = options.rng ?? cryptoRandom;
  let body = '';
  while (body.length < BODY_CHARS) {
    const bytes = rng(BODY_CHARS);
    if (!(bytes instanceof Uint8Array) || bytes.length !== BODY_CHARS) {
      throw new MfaError('INVALID_OPTION', 'rng must return a Uint8Array of the requested length');
    }
    for (let i = 0; i < bytes.length && body.length < BODY_CHARS; i++) {
      // 248 = 4 × 62: rejecting bytes ≥ 248 keeps every character equally likely.
      if (bytes[i]! < 248) body += BASE62[bytes[i]! % 62];
    }
  }
  const head = `${prefix}_${body}`;
  return head + checksum(head);
}

/**
 * True when `text` has the shape of an API password with this prefix and a valid checksum. Cheap
 * and offline: for secret scanners, log scrubbers and an early `format` answer.
 *
 * @example
 * ```ts
 * import { generateApiPassword, isApiPasswordFormat } from 'mfakit';
 * isApiPasswordFormat(generateApiPassword()); // true
 * isApiPasswordFormat('mfak_not-a-real-one');  // false
 * ```
 */
export function isApiPasswordFormat(text: unknown, options: { prefix?: string } = {}): boolean {
  const prefix = checkPrefix(options.prefix);
  if (typeof text !== 'string' || text.length !== prefix.length + 1 + BODY_CHARS + CHECK_CHARS) return false;
  if (!text.startsWith(`${prefix}_`)) return false;
  for (let i = prefix.length + 1; i < text.length; i++) if (!BASE62.includes(text[i]!)) return false;
  const head = text.slice(0, text.length - CHECK_CHARS);
  return checksum(head) === text.slice(text.length - CHECK_CHARS);
}

/**
 * Issues an API password for one user: generates it, hashes it, and returns the user's new list of
 * stored passwords. Pure: you store `credentials` and show `password` once.
 *
 * One per user by default (seed 001): a new password replaces the old one. Pass `maxPerUser` for
 * several labelled keys (seed 000 "API keys").
 *
 * @example One API password per user (seed 001)
 * ```ts
 * import { issueApiPassword, type StoredApiPassword } from 'mfakit';
 * declare const user: { apiPasswords: StoredApiPassword[] };
 * declare function show(password: string): void;
 *
 * const issued = issueApiPassword(user.apiPasswords, { label: 'backup script', now: Date.now() });
 * if (issued.ok) {
 *   user.apiPasswords = issued.credentials; // save
 *   show(issued.password);                  // shown once, cannot be shown again
 * }
 * ```
 */
export function issueApiPassword(
  credentials: readonly StoredApiPassword[],
  options: IssueApiPasswordOptions,
): IssueApiPasswordResult {
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
  const password = generateApiPassword({ ...options, rng });
  const idBytes = rng(9);
  if (!(idBytes instanceof Uint8Array) || idBytes.length !== 9) {
    throw new MfaError('INVALID_OPTION', 'rng must return a Uint8Array of the requested length');
  }
  const credential: StoredApiPassword = {
    v: 1,
    alg: 'sha256',
    id: encodeBase64Url(idBytes),
    label,
    hash: encodeBase64Url(sha256Text(password)),
    createdAt: now,
  };
  return redact({ ok: true, password, credential, credentials: [...kept, credential], replaced }, ['password', 'credential', 'credentials']);
}

/**
 * Checks a presented API password against a user's stored ones. One SHA-256 per call whatever the
 * number stored, and every stored hash is compared in full in constant time, so timing tells neither
 * whether nor which one matched. Anything that is not an API password with a valid checksum is a
 * `format` result without touching the hashes. Never throws on `presented`.
 *
 * @example Basic auth on the API once MFA is on (seeds 000, 001, 002)
 * ```ts
 * import type { IncomingMessage } from 'node:http';
 * import { parseBasicAuth, verifyApiPassword, type StoredApiPassword } from 'mfakit';
 * declare const users: { find(id: string): Promise<{ apiPasswords: StoredApiPassword[] } | null> };
 *
 * async function authenticate(req: IncomingMessage): Promise<boolean> {
 *   const auth = parseBasicAuth(req.headers.authorization);
 *   if (!auth.ok) return false; // answer 401
 *   const user = await users.find(auth.userId);
 *   return user !== null && verifyApiPassword(user.apiPasswords, auth.password).ok;
 * }
 * ```
 */
export function verifyApiPassword(
  credentials: readonly StoredApiPassword[],
  presented: unknown,
  options: { prefix?: string } = {},
): VerifyApiPasswordResult {
  const list = checkList(credentials);
  if (!isApiPasswordFormat(presented, options)) return { ok: false, reason: 'format' };
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
 * import { revokeApiPassword, type StoredApiPassword } from 'mfakit';
 * declare const user: { apiPasswords: StoredApiPassword[] };
 * declare const id: string; // from summarizeApiPasswords
 *
 * const { credentials, revoked } = revokeApiPassword(user.apiPasswords, id);
 * user.apiPasswords = credentials; // save; revoked is false for an unknown id
 * ```
 */
export function revokeApiPassword(
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

function checkPrefix(prefix: string | undefined): string {
  const p = prefix ?? DEFAULT_PREFIX;
  if (typeof p !== 'string' || !PREFIX.test(p)) {
    throw new MfaError('INVALID_OPTION', 'prefix must be 2 to 16 characters a-z 0-9, starting with a letter');
  }
  return p;
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
