// E-mail/SMS one-time codes without the lifecycle: issue, verify, resend limit. Over 300 lines: one
// concept, and a third of it is TSDoc with examples.
import { MfaError } from './errors.js';
import { cryptoRandom, type RandomSource } from './random.js';
import { checkInteger } from './_internal/check.js';
import { decodeBase64Url, encodeBase64Url } from './_internal/base64.js';
import { equalBytes, hmacSha256Text } from './_internal/digest.js';
import { parseToken } from './_internal/token.js';
import { randomBytes, randomDigits } from './_internal/random-digits.js';
import { checkResend, resendLimit, resendTotalLimit, type ResendLimit } from './_internal/resend-limit.js';
import { redact } from './_internal/redact.js';
import type { OneTimeCodePurpose } from './sender.js';

export { maskDestination } from './mask-destination.js';
export type { OneTimeCodeMessage, OneTimeCodePurpose, Sender } from './sender.js';
export type { ResendLimit } from './_internal/resend-limit.js';

/**
 * The pending code as stored: its keyed hash, never the code. Plain JSON, versioned.
 *
 * A 6-digit code has only 20 bits, so the hash alone does not stop someone who can read the store
 * during the code's 10 minutes from finding it by trying all 10^6 values; it keeps codes out of
 * backups, logs and replicas. Pass a `pepper` (a key kept outside the store) to close that gap too.
 */
export interface OneTimeCodeChallenge {
  readonly v: 1;
  readonly alg: 'hmac-sha256';
  readonly purpose: string;
  /** base64url random salt (16 bytes), unique per challenge. */
  readonly salt: string;
  /** base64url HMAC-SHA-256 of purpose, salt and code. */
  readonly hash: string;
  /** True when the hash was keyed with a pepper: verifying then needs the same pepper. */
  readonly peppered: boolean;
  readonly digits: number;
  readonly createdAt: number;
  /** The code is refused from this instant on (ms since the epoch). */
  readonly expiresAt: number;
  /** Wrong answers so far. */
  readonly attempts: number;
  /** Wrong answers that burn the challenge. */
  readonly maxAttempts: number;
}

/**
 * A user's one-time-code state: at most one pending challenge (a new one replaces it) and the recent
 * send times for the resend rate limit. Keep it in the user's record.
 */
export interface OneTimeCodeState {
  readonly challenge: OneTimeCodeChallenge | null;
  /** Send times (ms) inside the rate-limit window, oldest first. */
  readonly sentAt: readonly number[];
  /** The purpose of each send in `sentAt` (absent in state written by older versions). */
  readonly sentFor?: readonly string[];
}

/** Options of {@link issueOneTimeCode}. */
export interface IssueOneTimeCodeOptions {
  purpose: OneTimeCodePurpose;
  /** ms since the epoch. */
  now: number;
  /** Random source; default WebCrypto. */
  rng?: RandomSource;
  /** Code length, 4–9. Default 6. */
  digits?: number;
  /** Code lifetime in ms. Default 600 000 (10 minutes). */
  ttl?: number;
  /** Wrong answers that burn the code, 1–100. Default 5. (In the lifecycle each one also counts toward the lockout.) */
  maxAttempts?: number;
  /**
   * Resend limit of each purpose ('enroll', 'login', 'disable', yours), counting only the codes sent
   * for that purpose. Default one per 30 s and 5 per hour; `false` turns the limits off.
   */
  resend?: ResendLimit | false;
  /** Limits of single purposes instead of `resend`: `{ login: { minInterval: 60_000 }, disable: false }`. */
  resendByPurpose?: Readonly<Record<string, ResendLimit | false>>;
  /** Limit across every purpose (SMS pumping, mailbox flooding). Default 10 per hour; `false` turns it off. */
  resendTotal?: ResendLimit | false;
  /** Key (≥ 16 bytes) kept outside the store, mixed into the stored code hashes. */
  pepper?: Uint8Array;
}

/** Result of {@link issueOneTimeCode}. */
export type IssueOneTimeCodeResult =
  | {
      ok: true;
      /** The code to hand to your {@link Sender}. Never store or log it. */
      code: string;
      expiresAt: number;
      /** The new state: store it. The previous challenge, if any, no longer verifies. */
      state: OneTimeCodeState;
    }
  | { ok: false; reason: 'rate_limited'; /** Earliest time a new code will be issued. */ retryAt: number };

/** Options of {@link verifyOneTimeCode}. */
export interface VerifyOneTimeCodeOptions {
  /** The purpose this answer is for; must match the challenge's. */
  purpose: OneTimeCodePurpose;
  now: number;
  /** The pepper the code was issued with, if any. */
  pepper?: Uint8Array;
}

/** Why a one-time code was refused. */
export type OneTimeCodeFailure =
  /** No code pending (never sent, already used, burned, or replaced). */
  | 'no_challenge'
  /** The pending code is for another purpose; it is left untouched. */
  | 'purpose'
  /** The code's lifetime is over; it is discarded. */
  | 'expired'
  /** Not a number of the right length; not counted as an attempt. */
  | 'format'
  /** Wrong code; counted. */
  | 'mismatch'
  /** Wrong code, and the last allowed attempt: the challenge is discarded. */
  | 'too_many_attempts';

/** Result of {@link verifyOneTimeCode}: always carries the state to store. */
export type VerifyOneTimeCodeResult =
  | { ok: true; purpose: string; state: OneTimeCodeState }
  | { ok: false; reason: OneTimeCodeFailure; state: OneTimeCodeState; /** Present for `mismatch`. */ attemptsLeft?: number };

/**
 * The state of a user who was never sent a code.
 *
 * @example
 * ```ts
 * import { emptyOneTimeCodeState, type OneTimeCodeState } from 'mfakit';
 * declare const user: { oneTimeCodes?: OneTimeCodeState };
 * const state = user.oneTimeCodes ?? emptyOneTimeCodeState();
 * ```
 */
export function emptyOneTimeCodeState(): OneTimeCodeState {
  return { challenge: null, sentAt: [] };
}

/**
 * Creates a one-time code for e-mail or SMS: a uniformly random numeric code (6 digits, valid 10
 * minutes by default) bound to a purpose, and the state to store, which holds only its salted HMAC,
 * expiry and attempt counter. The new code replaces any pending one. Refused with `rate_limited`
 * (and `retryAt`) when the resend limit is reached. Pure: no I/O, time and randomness come in.
 *
 * @example Sending a login code
 * ```ts
 * import { issueOneTimeCode, type OneTimeCodeState, type Sender } from 'mfakit';
 * declare const user: { id: string; email: string; oneTimeCodes: OneTimeCodeState | null };
 * declare const sender: Sender; // your mailer or SMS gateway
 * declare function tooManyRequests(retryAt: number): void;
 *
 * async function sendLoginCode() {
 *   const issued = issueOneTimeCode(user.oneTimeCodes, { purpose: 'login', now: Date.now() });
 *   if (!issued.ok) return tooManyRequests(issued.retryAt);
 *   user.oneTimeCodes = issued.state; // save first, then send
 *   await sender.send({ userId: user.id, destination: user.email, code: issued.code, purpose: 'login', expiresAt: issued.expiresAt });
 * }
 * ```
 */
export function issueOneTimeCode(
  state: OneTimeCodeState | null | undefined,
  options: IssueOneTimeCodeOptions,
): IssueOneTimeCodeResult {
  const current = checkState(state);
  const { now } = options;
  checkNow(now);
  const purpose = checkPurpose(options.purpose);
  const digits = checkInteger('digits', options.digits ?? 6, 4, 9);
  const ttl = checkInteger('ttl', options.ttl ?? 600_000, 1_000, 86_400_000);
  const maxAttempts = checkInteger('maxAttempts', options.maxAttempts ?? 5, 1, 100);
  const pepper = checkPepper(options.pepper);
  const rng = options.rng ?? cryptoRandom;

  const own = ownLimit(options, purpose);
  const total = options.resend === false && options.resendTotal === undefined ? null : resendTotalLimit(options.resendTotal);
  const checked = checkResend(current, purpose, now, own === false ? null : resendLimit(own), total);
  if (!checked.ok) return { ok: false, reason: 'rate_limited', retryAt: checked.retryAt };

  const code = randomDigits(rng, digits);
  const salt = encodeBase64Url(randomBytes(rng, 16));
  const challenge: OneTimeCodeChallenge = {
    v: 1,
    alg: 'hmac-sha256',
    purpose,
    salt,
    hash: encodeBase64Url(digest(code, purpose, salt, pepper)),
    peppered: pepper !== undefined,
    digits,
    createdAt: now,
    expiresAt: now + ttl,
    attempts: 0,
    maxAttempts,
  };
  return redact({ ok: true, code, expiresAt: challenge.expiresAt, state: { challenge, ...checked.next } }, ['code', 'state']);
}

/**
 * Checks an answer to the pending one-time code. A right answer consumes the code (it never works
 * twice); a wrong one is counted and the code is burned after `maxAttempts`; an expired code is
 * discarded. Input is normalised like TOTP codes (spaces, hyphens, full-width digits). The comparison
 * is constant time. Never throws on `input`; always returns the state to store.
 *
 * @example
 * ```ts
 * import { verifyOneTimeCode, type OneTimeCodeState } from 'mfakit';
 * declare const user: { oneTimeCodes: OneTimeCodeState | null };
 * declare function refuse(reason: string): void;
 *
 * function checkCode(typed: string) {
 *   const result = verifyOneTimeCode(user.oneTimeCodes, typed, { purpose: 'login', now: Date.now() });
 *   user.oneTimeCodes = result.state; // save, whatever the outcome
 *   if (!result.ok) return refuse(result.reason);
 *   // signed in
 * }
 * ```
 */
export function verifyOneTimeCode(
  state: OneTimeCodeState | null | undefined,
  input: unknown,
  options: VerifyOneTimeCodeOptions,
): VerifyOneTimeCodeResult {
  const current = checkState(state);
  const { now } = options;
  checkNow(now);
  const purpose = checkPurpose(options.purpose);
  const pepper = checkPepper(options.pepper);
  const challenge = current.challenge;
  if (challenge === null) return { ok: false, reason: 'no_challenge', state: current };
  if (challenge.purpose !== purpose) return { ok: false, reason: 'purpose', state: current };
  const cleared: OneTimeCodeState = { ...current, challenge: null };
  if (now >= challenge.expiresAt) return { ok: false, reason: 'expired', state: cleared };
  const value = parseToken(input, challenge.digits);
  if (value < 0) return { ok: false, reason: 'format', state: current };
  if (challenge.peppered !== (pepper !== undefined)) {
    throw new MfaError('INVALID_OPTION', challenge.peppered ? 'this code was issued with a pepper' : 'this code was issued without a pepper');
  }
  const stored = decodeBase64Url(challenge.hash);
  const code = String(value).padStart(challenge.digits, '0');
  const match = stored !== null && equalBytes(stored, digest(code, challenge.purpose, challenge.salt, pepper));
  if (match) return { ok: true, purpose: challenge.purpose, state: cleared };
  const attempts = challenge.attempts + 1;
  if (attempts >= challenge.maxAttempts) return { ok: false, reason: 'too_many_attempts', state: cleared };
  return {
    ok: false,
    reason: 'mismatch',
    attemptsLeft: challenge.maxAttempts - attempts,
    state: { ...current, challenge: { ...challenge, attempts } },
  };
}

/**
 * When the next code for `purpose` (default `'login'`) may be sent under the resend limits: `allowed`
 * now, or `retryAt`. For UIs that grey out "Resend code" with a countdown. Pass the same limits as to
 * {@link issueOneTimeCode}.
 *
 * @example
 * ```ts
 * import { resendStatus, type OneTimeCodeState } from 'mfakit';
 * declare const user: { oneTimeCodes: OneTimeCodeState | null };
 * const r = resendStatus(user.oneTimeCodes, { now: Date.now(), purpose: 'login' });
 * const seconds = r.allowed ? 0 : Math.ceil((r.retryAt - Date.now()) / 1000);
 * ```
 */
export function resendStatus(
  state: OneTimeCodeState | null | undefined,
  options: Pick<IssueOneTimeCodeOptions, 'resend' | 'resendByPurpose' | 'resendTotal'> & { now: number; purpose?: OneTimeCodePurpose },
): { allowed: true } | { allowed: false; retryAt: number } {
  const current = checkState(state);
  checkNow(options.now);
  const purpose = checkPurpose(options.purpose ?? 'login');
  const own = ownLimit(options, purpose);
  const total = options.resend === false && options.resendTotal === undefined ? null : resendTotalLimit(options.resendTotal);
  const checked = checkResend(current, purpose, options.now, own === false ? null : resendLimit(own), total);
  return checked.ok ? { allowed: true } : { allowed: false, retryAt: checked.retryAt };
}

function digest(code: string, purpose: string, salt: string, pepper: Uint8Array | undefined): Uint8Array {
  const key = pepper ?? decodeBase64Url(salt) ?? new Uint8Array(0);
  return hmacSha256Text(key, `mfakit.one-time-code.v1\u0000${purpose}\u0000${salt}\u0000${code}`);
}

function checkState(state: OneTimeCodeState | null | undefined): OneTimeCodeState {
  if (state === null || state === undefined) return emptyOneTimeCodeState();
  if (typeof state !== 'object' || !Array.isArray(state.sentAt) || state.challenge === undefined) {
    throw new MfaError('INVALID_RECORD', 'one-time-code state must be { challenge, sentAt }');
  }
  const c = state.challenge;
  if (
    c !== null &&
    (typeof c !== 'object' || c.v !== 1 || c.alg !== 'hmac-sha256' || typeof c.hash !== 'string' ||
      typeof c.salt !== 'string' || typeof c.purpose !== 'string' || !Number.isInteger(c.digits) ||
      typeof c.expiresAt !== 'number' || !Number.isInteger(c.attempts) || !Number.isInteger(c.maxAttempts))
  ) {
    throw new MfaError('INVALID_RECORD', 'one-time-code challenge has an unknown shape or version');
  }
  return state;
}

/** The limit of one purpose: its own entry in `resendByPurpose`, else `resend`. */
function ownLimit(options: Pick<IssueOneTimeCodeOptions, 'resend' | 'resendByPurpose'>, purpose: string): ResendLimit | false | undefined {
  const by = options.resendByPurpose;
  return by !== undefined && Object.hasOwn(by, purpose) ? by[purpose] : options.resend;
}

function checkNow(now: unknown): void {
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new MfaError('INVALID_OPTION', 'now must be a number');
}

function checkPurpose(purpose: unknown): string {
  if (typeof purpose !== 'string' || purpose.length === 0 || purpose.length > 64) {
    throw new MfaError('INVALID_OPTION', 'purpose must be a string of 1 to 64 characters');
  }
  return purpose;
}

function checkPepper(pepper: unknown): Uint8Array | undefined {
  if (pepper === undefined) return undefined;
  if (!(pepper instanceof Uint8Array) || pepper.length < 16) {
    throw new MfaError('INVALID_OPTION', 'pepper must be a Uint8Array of at least 16 bytes');
  }
  return pepper;
}
