import { MfaError } from './errors.js';
import { systemClock } from './random.js';
import { secretBytes, type SecretInput } from './secret.js';
import { formatCode, otpParams, type OtpOptions } from './hotp.js';
import { otpValue } from './_internal/hmac-otp.js';
import { checkInteger } from './_internal/check.js';
import { parseToken } from './_internal/token.js';
import { scanCounters } from './_internal/scan.js';
import type { MdHash } from './_internal/md.js';

/** Time parameters of TOTP. */
export interface TotpTimeOptions {
  /** The time, in milliseconds since the Unix epoch. Default: the system clock. */
  time?: number;
  /** Step length in seconds (RFC 6238 X). Default 30. */
  period?: number;
  /** Unix time in seconds to start counting steps from (RFC 6238 T0). Default 0. */
  t0?: number;
}

/** Options of {@link totp}. */
export interface TotpOptions extends OtpOptions, TotpTimeOptions {}

/** Options of {@link verifyTotp}. */
export interface VerifyTotpOptions extends TotpOptions {
  /**
   * Steps accepted around the current one: `1` means one back and one ahead (the default, RFC 6238
   * §5.2's recommended network-delay allowance); `[past, future]` sets each side. 0 to 10 each.
   */
  window?: number | readonly [past: number, future: number];
  /**
   * The last step this user had accepted. A code from that step or an earlier one is answered
   * `replayed` (RFC 6238 §5.2: a code must be accepted once). Store `result.step` after success.
   */
  afterStep?: number;
}

/** Result of {@link verifyTotp}. `delta` is the matched step minus the current one. */
export type TotpVerifyResult =
  | { ok: true; step: number; delta: number }
  | { ok: false; reason: 'format' | 'mismatch' | 'replayed' };

/**
 * The RFC 6238 time step number T = floor((time - T0) / X) for a time.
 *
 * @throws {@link MfaError} `INVALID_OPTION` for a bad period, t0, or a time that is not a number
 * of milliseconds at or after t0
 * @example
 * ```ts
 * import { timeStep } from 'mfakit';
 * timeStep({ time: 59_000 }); // 1
 * timeStep({ time: 59_000, period: 60 }); // 0
 * ```
 * @see RFC 6238 §4.2
 */
export function timeStep(options: TotpTimeOptions = {}): number {
  const period = checkInteger('period', options.period ?? 30, 1, 86_400);
  const t0 = checkInteger('t0', options.t0 ?? 0, -1e12, 1e12);
  const time = options.time ?? systemClock.now();
  const step = Math.floor((time - t0 * 1000) / (period * 1000));
  // Also rejects a time that is not a finite number (NaN fails both tests).
  if (typeof time != 'number' || !(step >= 0 && Number.isSafeInteger(step))) {
    throw new MfaError('INVALID_OPTION', 'time must be a number of milliseconds at or after t0');
  }
  return step;
}

/**
 * Computes an RFC 6238 TOTP code.
 *
 * @throws {@link MfaError} `SECRET_TOO_SHORT`, `INVALID_OPTION`, `UNSUPPORTED_ALGORITHM`, `INVALID_BASE32`
 * @example RFC 6238 Appendix B, SHA-1 at T = 59 s, 8 digits
 * ```ts
 * import { totp } from 'mfakit';
 * const secret = new TextEncoder().encode('12345678901234567890');
 * totp(secret, { time: 59_000, digits: 8 }); // '94287082'
 * ```
 * @see RFC 6238 §4
 */
export function totp(secret: SecretInput, options: TotpOptions = {}): string {
  const { digits, hash } = otpParams(options);
  // A step is a safe integer (timeStep checks it): split it into 32-bit words directly.
  const step = timeStep(options);
  return formatCode(otpValue(hash, secretBytes(secret, options.allowShortSecret), step / 0x100000000, step), digits);
}

/**
 * Checks a TOTP code typed by a user. Never throws on the token: a malformed, wrong or replayed
 * code is a result. Every step in the window is computed and compared in constant time.
 *
 * @throws {@link MfaError} only for bad configuration (secret, window, digits, algorithm, time)
 * @example Login with replay protection
 * ```ts
 * import { verifyTotp } from 'mfakit';
 * declare const user: { secret: Uint8Array; lastStep?: number };
 * const result = verifyTotp(user.secret, '123 456', user.lastStep === undefined ? {} : { afterStep: user.lastStep });
 * if (result.ok) user.lastStep = result.step;
 * else console.log(result.reason); // 'format' | 'mismatch' | 'replayed'
 * ```
 * @see RFC 6238 §5.2
 */
export function verifyTotp(secret: SecretInput, token: string, options: VerifyTotpOptions = {}): TotpVerifyResult {
  const { digits, hash } = otpParams(options);
  return checkTotp(secret, token, options, hash, digits, secretBytes);
}

/**
 * @internal {@link verifyTotp} with the hash kernel and digit count already chosen and checked:
 * the lifecycle passes the kernel its records need, so a bundle holds only the kernels an app
 * passes (SHA-1 alone by default), not every `algorithm` a string could name. `bytesOf` turns the
 * secret into bytes (checking its length): the lifecycle's secrets are bytes already, so it passes
 * a checker that does not bundle the base32 decoder.
 */
export function checkTotp<S>(
  secret: S,
  token: string,
  options: VerifyTotpOptions,
  hash: MdHash,
  digits: number,
  bytesOf: (secret: S, allowShort: boolean | undefined) => Uint8Array,
): TotpVerifyResult {
  const w = options.window ?? 1;
  const past = checkInteger('window', typeof w === 'number' ? w : w?.[0], 0, 10);
  const future = checkInteger('window', typeof w === 'number' ? w : w?.[1], 0, 10);
  const afterStep = checkInteger('afterStep', options.afterStep ?? -1, -1, Number.MAX_SAFE_INTEGER);
  const now = timeStep(options);
  const first = Math.max(0, now - past);
  const key = bytesOf(secret, options.allowShortSecret);
  const value = parseToken(token, digits);
  if (value < 0) return { ok: false, reason: 'format' };
  const found = scanCounters(hash, key, value, 10 ** digits, first / 0x100000000, first >>> 0, now + future - first + 1);
  if (found < 0) return { ok: false, reason: 'mismatch' };
  const step = first + found;
  if (step <= afterStep) return { ok: false, reason: 'replayed' };
  return { ok: true, step, delta: step - now };
}

/**
 * Seconds until the current code expires (1 to `period`), for a countdown next to the code.
 *
 * @param time - milliseconds since the Unix epoch
 * @param period - step length in seconds (RFC 6238 X), default 30
 * @param t0 - Unix time in seconds steps count from (RFC 6238 T0), default 0
 * @throws {@link MfaError} `INVALID_OPTION` for a non-finite time or a bad period or t0
 * @example
 * ```ts
 * import { remainingSeconds } from 'mfakit';
 * remainingSeconds(Date.now()); // e.g. 17
 * remainingSeconds(59_000); // 1
 * ```
 * @see RFC 6238 §4.2
 */
export function remainingSeconds(time: number, period = 30, t0 = 0): number {
  checkInteger('period', period, 1, 86_400);
  checkInteger('t0', t0, -1e12, 1e12);
  if (typeof time !== 'number' || !Number.isFinite(time)) {
    throw new MfaError('INVALID_OPTION', 'time must be a finite number of milliseconds');
  }
  const periodMs = period * 1000;
  const into = (((time - t0 * 1000) % periodMs) + periodMs) % periodMs;
  return Math.ceil((periodMs - into) / 1000);
}
