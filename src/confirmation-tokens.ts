import { MfaError } from './errors.js';
import { cryptoRandom, type RandomSource } from './random.js';
import { checkInteger } from './_internal/check.js';
import { decodeBase64Url, encodeBase64Url } from './_internal/base64.js';
import { equalBytes, sha256Text } from './_internal/digest.js';
import { redact } from './_internal/redact.js';

/**
 * A pending confirmation token as stored: its SHA-256, never the token (256 random bits, so a plain
 * hash cannot be reversed). Plain JSON, versioned.
 */
export interface StoredConfirmationToken {
  readonly v: 1;
  readonly alg: 'sha256';
  /** The action it confirms, e.g. `'disable'`. */
  readonly purpose: string;
  /** base64url SHA-256 of the token. */
  readonly hash: string;
  readonly createdAt: number;
  /** Refused from this instant on (ms since the epoch). */
  readonly expiresAt: number;
}

/** Options of {@link createConfirmationToken}. */
export interface CreateConfirmationTokenOptions {
  /** The action it confirms: `'disable'`, `'reset'`, or your own. */
  purpose: string;
  /** ms since the epoch. */
  now: number;
  /** Lifetime, ms. Default 900 000 (15 minutes, the link lifetime products commonly promise in the e-mail). */
  ttl?: number;
  /** Random source; default WebCrypto. */
  rng?: RandomSource;
}

/** Result of {@link createConfirmationToken}. */
export interface IssuedConfirmationToken {
  /** 43 base64url characters (256 bits), safe in a URL. Send it; never store or log it. */
  token: string;
  /** What to store; it replaces any earlier pending token. */
  stored: StoredConfirmationToken;
  expiresAt: number;
}

/** Why a confirmation token was refused. */
export type ConfirmationTokenFailure =
  /** Nothing pending (never issued, or already used or expired). */
  | 'no_token'
  /** Not shaped like a token at all. */
  | 'format'
  /** Not the pending token. */
  | 'mismatch'
  /** The right token, but for another action; it stays pending. */
  | 'purpose'
  /** The right token, too late; it is discarded. */
  | 'expired';

/** Result of {@link consumeConfirmationToken}: always carries what to store next. */
export type ConsumeConfirmationTokenResult =
  | { ok: true; purpose: string; stored: null }
  | { ok: false; reason: ConfirmationTokenFailure; stored: StoredConfirmationToken | null };

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Issues a confirmation token for a sensitive action, such as disabling MFA from a CLI that answers
 * "an e-mail will be sent with a link valid for 15 minutes". Returns the token to send (256 random bits, base64url) and the
 * stored form, which holds only its SHA-256, purpose and expiry. Pure.
 *
 * @example Confirming "disable MFA" by e-mail
 * ```ts
 * import { createConfirmationToken, type StoredConfirmationToken } from 'mfakit';
 * declare const user: { email: string; pendingConfirmation: StoredConfirmationToken | null };
 * declare const mailer: { send(mail: { to: string; text: string }): Promise<void> };
 *
 * const { token, stored } = createConfirmationToken({ purpose: 'disable', now: Date.now() });
 * user.pendingConfirmation = stored; // save
 * await mailer.send({ to: user.email, text: `Confirm: https://example.com/mfa/disable?token=${token}` });
 * ```
 */
export function createConfirmationToken(options: CreateConfirmationTokenOptions): IssuedConfirmationToken {
  const { now } = options ?? ({} as CreateConfirmationTokenOptions);
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new MfaError('INVALID_OPTION', 'now must be a number');
  const purpose = checkPurpose(options.purpose);
  const ttl = checkInteger('ttl', options.ttl ?? 900_000, 1_000, 30 * 86_400_000);
  const bytes = (options.rng ?? cryptoRandom)(32);
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32) {
    throw new MfaError('INVALID_OPTION', 'rng must return a Uint8Array of the requested length');
  }
  const token = encodeBase64Url(bytes);
  const stored: StoredConfirmationToken = {
    v: 1,
    alg: 'sha256',
    purpose,
    hash: encodeBase64Url(sha256Text(token)),
    createdAt: now,
    expiresAt: now + ttl,
  };
  return redact({ token, stored, expiresAt: stored.expiresAt }, ['token', 'stored']);
}

/**
 * Checks and consumes a confirmation token: the right token, for this purpose, before `expiresAt`,
 * works exactly once. Surrounding whitespace from pasting is ignored; the comparison is constant time;
 * never throws on `presented`.
 *
 * @example
 * ```ts
 * import { consumeConfirmationToken, type StoredConfirmationToken } from 'mfakit';
 * declare const user: { id: string; pendingConfirmation: StoredConfirmationToken | null };
 * declare const req: { query: { token?: string } }; // the link the user clicked
 * declare function turnOffMfa(userId: string): Promise<void>;
 *
 * const r = consumeConfirmationToken(user.pendingConfirmation, req.query.token, { purpose: 'disable', now: Date.now() });
 * user.pendingConfirmation = r.stored; // save
 * if (r.ok) await turnOffMfa(user.id);
 * ```
 */
export function consumeConfirmationToken(
  stored: StoredConfirmationToken | null | undefined,
  presented: unknown,
  options: { purpose: string; now: number },
): ConsumeConfirmationTokenResult {
  const { now } = options ?? ({} as { purpose: string; now: number });
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new MfaError('INVALID_OPTION', 'now must be a number');
  const purpose = checkPurpose(options.purpose);
  if (stored === null || stored === undefined) return { ok: false, reason: 'no_token', stored: null };
  if (
    typeof stored !== 'object' || stored.v !== 1 || stored.alg !== 'sha256' || typeof stored.hash !== 'string' ||
    typeof stored.purpose !== 'string' || typeof stored.expiresAt !== 'number'
  ) {
    throw new MfaError('INVALID_RECORD', 'confirmation token has an unknown shape or version');
  }
  const token = typeof presented === 'string' && presented.length < 200 ? presented.trim() : '';
  if (!TOKEN.test(token)) return { ok: false, reason: 'format', stored };
  const expected = decodeBase64Url(stored.hash);
  if (expected === null || !equalBytes(expected, sha256Text(token))) return { ok: false, reason: 'mismatch', stored };
  if (stored.purpose !== purpose) return { ok: false, reason: 'purpose', stored };
  if (now >= stored.expiresAt) return { ok: false, reason: 'expired', stored: null };
  return { ok: true, purpose, stored: null };
}

function checkPurpose(purpose: unknown): string {
  if (typeof purpose !== 'string' || purpose.length === 0 || purpose.length > 64) {
    throw new MfaError('INVALID_OPTION', 'purpose must be a string of 1 to 64 characters');
  }
  return purpose;
}
