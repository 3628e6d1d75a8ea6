import { MfaError } from './errors.js';
import { secretBytes, type SecretInput } from './secret.js';
import { hashOf, otpValue, type OtpAlgorithm } from './_internal/hmac-otp.js';
import type { MdHash } from './_internal/md.js';
import { checkInteger } from './_internal/check.js';
import { parseToken } from './_internal/token.js';
import { scanCounters } from './_internal/scan.js';

export type { OtpAlgorithm } from './_internal/hmac-otp.js';

/** Options shared by every code generator and verifier. */
export interface OtpOptions {
  /** Code length, 6 to 10. Default 6. */
  digits?: number;
  /** HMAC algorithm. Default `'SHA1'` (the only one Google Authenticator honours). */
  algorithm?: OtpAlgorithm;
  /** Accept secrets under 128 bits (RFC 4226 R6 forbids them). Default false. */
  allowShortSecret?: boolean;
}

/** Result of {@link verifyHotp}. */
export type HotpVerifyResult =
  | { ok: true; counter: number | bigint; delta: number }
  | { ok: false; reason: 'format' | 'mismatch' };

const MAX_COUNTER = 0xffffffffffffffffn;

/** @internal Resolves and validates the shared options. */
export function otpParams(options: OtpOptions): { digits: number; hash: MdHash } {
  // hashOf throws UNSUPPORTED_ALGORITHM.
  return { digits: checkInteger('digits', options.digits ?? 6, 6, 10), hash: hashOf(options.algorithm ?? 'SHA1') };
}

/** @internal Splits a counter into unsigned big-endian 32-bit words, validating its range. */
export function splitCounter(counter: number | bigint, span = 0): [hi: number, lo: number] {
  if (typeof counter === 'bigint') {
    if (counter >= 0n && counter + BigInt(span) <= MAX_COUNTER) return [Number(counter >> 32n), Number(counter & 0xffffffffn)];
  } else if (Number.isSafeInteger(counter) && counter >= 0 && Number.isSafeInteger(counter + span)) {
    return [Math.floor(counter / 0x100000000), counter >>> 0];
  }
  throw new MfaError('INVALID_OPTION', 'counter must be an integer from 0 to 2^53-1, or a bigint up to 2^64-1');
}

/** @internal Formats a truncated value as a zero-padded code. */
export function formatCode(value: number, digits: number): string {
  return String(value % 10 ** digits).padStart(digits, '0');
}

/**
 * Computes an RFC 4226 HOTP code.
 *
 * @param secret - shared secret bytes, or base32 text
 * @param counter - moving factor, 0 to 2^53-1 as a number or up to 2^64-1 as a bigint
 * @throws {@link MfaError} `SECRET_TOO_SHORT`, `INVALID_OPTION`, `UNSUPPORTED_ALGORITHM`, `INVALID_BASE32`
 * @example RFC 4226 Appendix D, counter 0
 * ```ts
 * import { hotp } from 'mfakit';
 * const secret = new TextEncoder().encode('12345678901234567890');
 * hotp(secret, 0); // '755224'
 * ```
 * @see RFC 4226 §5.3
 */
export function hotp(secret: SecretInput, counter: number | bigint, options: OtpOptions = {}): string {
  const { digits, hash } = otpParams(options);
  const [hi, lo] = splitCounter(counter);
  return formatCode(otpValue(hash, secretBytes(secret, options.allowShortSecret), hi, lo), digits);
}

/** Options of {@link verifyHotp}. */
export interface VerifyHotpOptions extends OtpOptions {
  /** How many counters after `counter` are also accepted (resynchronisation, RFC 4226 §7.4). Default 0. */
  lookAhead?: number;
}

/**
 * Checks an HOTP code against `counter` and the next `lookAhead` counters. Never throws on the
 * token: a malformed or wrong code is a result. On success store `counter + delta + 1` as the next
 * counter so the code cannot be used again.
 *
 * @example
 * ```ts
 * import { verifyHotp } from 'mfakit';
 * const secret = new TextEncoder().encode('12345678901234567890');
 * verifyHotp(secret, '287082', 0, { lookAhead: 2 }); // { ok: true, counter: 1, delta: 1 }
 * ```
 * @see RFC 4226 §7.2, §7.4
 */
export function verifyHotp(
  secret: SecretInput,
  token: string,
  counter: number | bigint,
  options: VerifyHotpOptions = {},
): HotpVerifyResult {
  const { digits, hash } = otpParams(options);
  const lookAhead = checkInteger('lookAhead', options.lookAhead ?? 0, 0, 1000);
  const [hi, lo] = splitCounter(counter, lookAhead);
  const key = secretBytes(secret, options.allowShortSecret);
  const value = parseToken(token, digits);
  if (value < 0) return { ok: false, reason: 'format' };
  const found = scanCounters(hash, key, value, 10 ** digits, hi, lo, lookAhead + 1);
  if (found < 0) return { ok: false, reason: 'mismatch' };
  const matched = typeof counter === 'bigint' ? counter + BigInt(found) : counter + found;
  return { ok: true, counter: matched, delta: found };
}
