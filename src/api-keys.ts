// Self-describing API keys: `mfak_<keyId>_<secret><checksum>`. The key id is public and names the
// stored credential, so a server can find the key's owner from the key alone (through a store
// lookup) instead of asking the client for a user id; the checksum lets scanners and the server
// reject typos and look-alikes offline.
import { MfaError } from './errors.js';
import { cryptoRandom, type RandomSource } from './random.js';
import { BASE62, CHECK_CHARS, checksum } from './_internal/token-checksum.js';

/** Length of the public key id: 12 base62 characters (71 bits, random). */
export const API_KEY_ID_CHARS = 12;
const SECRET_CHARS = 32; // 32 × log2(62) ≈ 190.5 bits
const BODY_CHARS = SECRET_CHARS;
const DEFAULT_PREFIX = 'mfak';
const PREFIX = /^[a-z][a-z0-9]{1,15}$/;

/** What {@link parseApiKey} answers. */
export type ParsedApiKey = { readonly ok: true; readonly keyId: string } | { readonly ok: false };

/**
 * The regular expression that matches an API key with this prefix anywhere in a text: for leaked-key
 * scanners (GitHub secret scanning custom patterns, log scrubbers). For the default prefix it is
 * `\bmfak_[0-9A-Za-z]{12}_[0-9A-Za-z]{38}\b`: the prefix, `_`, the 12-character key id, `_`, then 32
 * random and 6 checksum characters. Confirm a match with {@link parseApiKey} (checksum) to drop
 * look-alikes.
 *
 * @throws {@link MfaError} `INVALID_OPTION` for a prefix that is not 2–16 characters `a–z 0–9`
 * @example Scrubbing keys from a log line
 * ```ts
 * import { apiKeyPattern } from 'mfakit';
 * const line = 'retrying with mfak_AAAAAAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';
 * line.replace(apiKeyPattern(), '[api key]'); // 'retrying with [api key]'
 * ```
 */
export function apiKeyPattern(prefix = 'mfak', flags = 'g'): RegExp {
  checkPrefix(prefix);
  return new RegExp(`\\b${prefix}_[0-9A-Za-z]{${API_KEY_ID_CHARS}}_[0-9A-Za-z]{${SECRET_CHARS + CHECK_CHARS}}\\b`, flags);
}

/**
 * Reads the key id out of a presented API key after checking its shape and checksum, offline and
 * without throwing. `{ ok: false }` for anything else (an old-style API password without a key id
 * too). Says nothing about whether the key is valid: that takes the stored hash.
 *
 * @example
 * ```ts
 * import { parseApiKey } from 'mfakit';
 * parseApiKey('mfak_AAAAAAAAAAAA_not-a-key'); // { ok: false }
 * ```
 */
export function parseApiKey(presented: unknown, options: { prefix?: string } = {}): ParsedApiKey {
  const prefix = checkPrefix(options.prefix ?? 'mfak');
  const start = prefix.length + 1;
  if (typeof presented !== 'string' || presented.length !== start + API_KEY_ID_CHARS + 1 + SECRET_CHARS + CHECK_CHARS) {
    return { ok: false };
  }
  if (!presented.startsWith(`${prefix}_`) || presented[start + API_KEY_ID_CHARS] !== '_') return { ok: false };
  for (let i = start; i < presented.length; i++) {
    if (i !== start + API_KEY_ID_CHARS && !BASE62.includes(presented[i]!)) return { ok: false };
  }
  const head = presented.slice(0, presented.length - CHECK_CHARS);
  if (checksum(head) !== presented.slice(presented.length - CHECK_CHARS)) return { ok: false };
  return { ok: true, keyId: presented.slice(start, start + API_KEY_ID_CHARS) };
}

/** @internal A new key id and the key that carries it. */
export function generateApiKey(prefix: string, rng: RandomSource): { keyId: string; key: string } {
  const keyId = randomBase62(rng, API_KEY_ID_CHARS);
  const head = `${checkPrefix(prefix)}_${keyId}_${randomBase62(rng, SECRET_CHARS)}`;
  return { keyId, key: head + checksum(head) };
}

/** @internal `length` uniformly random base62 characters from `rng`. */
export function randomBase62(rng: RandomSource, length: number): string {
  let out = '';
  while (out.length < length) {
    const bytes = rng(length);
    if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
      throw new MfaError('INVALID_OPTION', 'rng must return a Uint8Array of the requested length');
    }
    for (let i = 0; i < bytes.length && out.length < length; i++) {
      // 248 = 4 × 62: rejecting bytes ≥ 248 keeps every character equally likely.
      if (bytes[i]! < 248) out += BASE62[bytes[i]! % 62];
    }
  }
  return out;
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

/**
 * Generates an API password: `mfak_` + 32 random base62 characters (190 bits) + a 6-character
 * CRC32 checksum, like GitHub's tokens. The prefix lets secret scanners find leaked passwords and the
 * checksum lets them (and {@link checkApiPassword}) reject look-alikes without a database lookup.
 * The checksum adds no security; the 190 random bits do. No `:` ever appears, so the password works
 * in HTTP Basic auth (see {@link parseBasicAuth}).
 *
 * Usually you want {@link createApiPassword}, which also makes the stored form.
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
  const body = randomBase62(rng, BODY_CHARS);
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

function checkPrefix(prefix: unknown = DEFAULT_PREFIX): string {
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
    throw new MfaError('INVALID_OPTION', 'prefix must be 2 to 16 characters a-z 0-9, starting with a letter');
  }
  return prefix;
}
