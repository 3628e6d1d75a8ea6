import { MfaError } from './errors.js';
import { decodeBase64, encodeBase64 } from './_internal/base64.js';
import { utf8Decode, utf8Encode } from './_internal/utf8.js';

/** Why {@link parseBasicAuth} could not read a header. */
export type BasicAuthFailure =
  /** No header, or an empty one. */
  | 'missing'
  /** Not the `Basic` scheme (e.g. `Bearer …`), or no credentials after it. */
  | 'scheme'
  /** The credentials are not valid base64, or not valid UTF-8 once decoded. */
  | 'encoding'
  /** The decoded text has no colon, so it cannot be split into user-id and password. */
  | 'no_colon'
  /** The user-id or password holds a control character (RFC 7617 §2 forbids them). */
  | 'control_character'
  /** The header is longer than `maxLength`, or several `Authorization` headers were sent. */
  | 'malformed';

/** Result of {@link parseBasicAuth}. */
export type BasicAuthResult =
  | {
      ok: true;
      userId: string;
      password: string;
      /**
       * True when the password part contains a colon. Under RFC 7617 the split is at the first
       * colon, so the header could equally have come from a user-id that itself contains a colon
       * (seed 001): `a:b` + `c` and `a` + `b:c` encode to the same header. If your user names may
       * contain colons, see the `split` option.
       */
      ambiguous: boolean;
    }
  | { ok: false; reason: BasicAuthFailure };

/** Options of {@link parseBasicAuth}. */
export interface ParseBasicAuthOptions {
  /**
   * Where to split user-id and password. `'first'` (default) follows RFC 7617 §2: user-ids cannot
   * contain a colon, passwords can. `'last'` is for servers whose passwords can never contain a
   * colon — mfakit API passwords (`mfak_…`) never do — so that user names with a colon keep working.
   */
  split?: 'first' | 'last';
  /** Longest header accepted, in characters. Default 8192. */
  maxLength?: number;
}

const SCHEME = /^basic[ \t]+/i;
// RFC 7617 §2: user-id and password MUST NOT contain control characters (C0, DEL, C1).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Reads an HTTP Basic `Authorization` header (RFC 7617) into user-id and password. Never throws on
 * what a client sent: every problem is a `{ ok: false, reason }`.
 *
 * - The scheme is case-insensitive (`basic`, `BASIC`), surrounding whitespace is ignored.
 * - Credentials are decoded as UTF-8 (the only charset RFC 7617 §2.1 defines); invalid UTF-8 and
 *   invalid base64 are `'encoding'`. Missing `=` padding is tolerated.
 * - **A user-id that contains a colon cannot be represented in Basic auth.** The decoded text is split
 *   at the first colon (RFC 7617 §2), so user `ops:backup` with password `pw` arrives as user `ops`
 *   with password `backup:pw`. The result says `ambiguous: true` whenever the password part holds a
 *   colon; refuse such user names at sign-up with {@link basicAuthUserIdAllowed}, or, when passwords
 *   cannot contain colons (mfakit API passwords), pass `split: 'last'`.
 * - Accepts a Node `IncomingHttpHeaders` value directly: `undefined` is `'missing'`, an array (several
 *   headers) is `'malformed'`.
 *
 * @example Checking an API request
 * ```ts
 * import type { IncomingMessage, ServerResponse } from 'node:http';
 * import { parseBasicAuth } from 'mfakit';
 *
 * function handle(req: IncomingMessage, res: ServerResponse) {
 *   const auth = parseBasicAuth(req.headers.authorization);
 *   if (!auth.ok) return res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="api", charset="UTF-8"' }).end();
 *   const { userId, password } = auth; // now verify password (see verifyApiPassword)
 * }
 * ```
 * @see RFC 7617 §2 (user-id cannot contain ':'), §2.1 (charset UTF-8)
 */
export function parseBasicAuth(header: unknown, options: ParseBasicAuthOptions = {}): BasicAuthResult {
  const maxLength = options.maxLength ?? 8192;
  if (header === undefined || header === null) return { ok: false, reason: 'missing' };
  if (Array.isArray(header)) return { ok: false, reason: 'malformed' };
  if (typeof header !== 'string') return { ok: false, reason: 'malformed' };
  if (header.length > maxLength) return { ok: false, reason: 'malformed' };
  const text = header.trim();
  if (text === '') return { ok: false, reason: 'missing' };
  const scheme = SCHEME.exec(text);
  if (scheme === null) return { ok: false, reason: 'scheme' };
  const token = text.slice(scheme[0].length);
  if (token === '') return { ok: false, reason: 'scheme' };
  const bytes = decodeBase64(token);
  if (bytes === null) return { ok: false, reason: 'encoding' };
  const decoded = utf8Decode(bytes);
  if (decoded === null) return { ok: false, reason: 'encoding' };
  const colon = options.split === 'last' ? decoded.lastIndexOf(':') : decoded.indexOf(':');
  if (colon < 0) return { ok: false, reason: 'no_colon' };
  const userId = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (CONTROL.test(decoded)) return { ok: false, reason: 'control_character' };
  const ambiguous = options.split === 'last' ? userId.includes(':') : password.includes(':');
  return { ok: true, userId, password, ambiguous };
}

/**
 * True when `userId` can be sent with HTTP Basic auth: no colon and no control character
 * (RFC 7617 §2). Check it when users pick a name, and tell users of an API why a name like
 * `ops:backup` cannot log in there (seed 001).
 *
 * @example Refusing a user name at sign-up
 * ```ts
 * import { basicAuthUserIdAllowed } from 'mfakit';
 * basicAuthUserIdAllowed('alice');      // true
 * basicAuthUserIdAllowed('ops:backup'); // false: Basic auth splits at the first colon
 * ```
 * @see RFC 7617 §2
 */
export function basicAuthUserIdAllowed(userId: string): boolean {
  return typeof userId === 'string' && !userId.includes(':') && !CONTROL.test(userId);
}

/**
 * Builds an `Authorization: Basic …` header value (UTF-8, RFC 7617). For clients and tests.
 *
 * @throws {MfaError} `INVALID_OPTION` when the user-id contains a colon, or either part a control
 * character — such credentials cannot be represented. The message never includes the password.
 *
 * @example
 * ```ts
 * import { formatBasicAuth } from 'mfakit';
 * declare const url: string, apiPassword: string;
 * await fetch(url, { headers: { authorization: formatBasicAuth({ userId: 'alice', password: apiPassword }) } });
 * ```
 * @see RFC 7617 §2
 */
export function formatBasicAuth(credentials: { userId: string; password: string }): string {
  const { userId, password } = credentials ?? {};
  if (typeof userId !== 'string' || typeof password !== 'string') {
    throw new MfaError('INVALID_OPTION', 'userId and password must be strings');
  }
  if (userId.includes(':')) {
    throw new MfaError('INVALID_OPTION', 'a user-id containing a colon cannot be sent with Basic auth (RFC 7617)');
  }
  if (CONTROL.test(userId) || CONTROL.test(password)) {
    throw new MfaError('INVALID_OPTION', 'Basic auth credentials cannot contain control characters (RFC 7617)');
  }
  return `Basic ${encodeBase64(utf8Encode(`${userId}:${password}`))}`;
}
