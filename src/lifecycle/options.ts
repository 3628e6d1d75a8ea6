import { MfaError } from '../errors.js';
import type { OtpAlgorithm } from '../hotp.js';
import type { OtpHash } from '../otp-hash.js';
import { otpKernel } from '../otp-hash.js';
import { checkInteger } from '../_internal/check.js';
import { checkText } from '../_internal/text.js';

/** TOTP parameters for new enrolments (existing ones keep what they were created with). */
export interface LifecycleTotpOptions {
  /**
   * Default `'SHA1'`: the only algorithm every authenticator app honours. SHA-256/512 are values
   * to import, {@link otpSha256} / {@link otpSha512}, so an app without them does not bundle them.
   */
  algorithm?: 'SHA1' | OtpHash;
  /**
   * More hashes to verify existing enrolments with (records keep the algorithm they were enrolled
   * with), e.g. `[otpSha512]` after switching new enrolments back to SHA-1. `algorithm` is included.
   */
  hashes?: readonly OtpHash[];
  /** Default 6. */
  digits?: number;
  /** Step in seconds. Default 30. */
  period?: number;
  /** Steps accepted either side of the current one. Default 1 (RFC 6238 §5.2). */
  window?: number;
  /** Secret length in bytes. Default 20 (RFC 4226 R6). */
  secretBytes?: number;
}

/**
 * Lockout after consecutive failures (RFC 4226 §7.3). After `maxFailures` failures in a row every
 * check is refused for `baseLockMs`; each further failure once the lock has expired doubles the
 * lock, up to `maxLockMs`. A success resets the count.
 */
export interface ThrottleOptions {
  /** Failures before the first lock. Default 5. */
  maxFailures?: number;
  /** First lock duration in ms. Default 30 000. */
  baseLockMs?: number;
  /** Longest lock in ms. Default 3 600 000 (one hour). */
  maxLockMs?: number;
  /**
   * With `verifyLogin(…, { client })`: `maxFailures` locks that client, and the account itself locks
   * only after this many consecutive failures from all clients together (the bound on guesses spread
   * over many clients). Default 20 (at least `maxFailures`). Checks without a client keep locking the
   * account at `maxFailures`.
   */
  accountMaxFailures?: number;
  /** Clients whose failure state a record keeps. Default 10; the least recently seen unknown client goes first. */
  maxClients?: number;
}

/** The lifecycle rules shared by every operation; part of `createMfa`'s options. */
export interface LifecycleOptions {
  /** Issuer shown in authenticator apps and put in otpauth URIs. */
  issuer: string;
  totp?: LifecycleTotpOptions;
  /**
   * Moved: recovery codes are the opt-in `recoveryCodes(options)` feature
   * (`createMfa({ features: [recoveryCodes({ count: 8 })] })`); this option is `INVALID_OPTION`.
   */
  recoveryCodes?: never;
  /** Lockout settings; `false` turns throttling off (not recommended). */
  throttle?: ThrottleOptions | false;
  /**
   * When true, `disable` with a code also needs `passwordVerified: true` (password and
   * code). The password check itself is yours. Default false.
   */
  disableRequiresPassword?: boolean;
  /**
   * How long (ms) an enrolment may stay pending. After it, the pending factor can no longer be
   * confirmed (`expired`), reads as not set up, and is dropped at the next write; the rest of the
   * record (policy, counters, API passwords) stays. Default 86 400 000 (24 hours); `null`: never.
   */
  pendingTtl?: number | null;
  /**
   * Step-up window (ms): a `{ fresh: true }` proof (the default of `resetSecret`) counts when the
   * user's last successful `verifyLogin` is at most this old. Default 300 000 (5 minutes); `null`:
   * a login never counts, a code or token is always needed.
   */
  freshWithin?: number | null;
}

/** {@link LifecycleOptions} with every default filled in and checked. */
export interface ResolvedLifecycleOptions {
  readonly issuer: string;
  readonly totp: Required<Omit<LifecycleTotpOptions, 'algorithm'>> & { readonly algorithm: OtpAlgorithm };
  readonly throttle: Required<ThrottleOptions> | null;
  readonly disableRequiresPassword: boolean;
  readonly pendingTtl: number | null;
  readonly freshWithin: number | null;
}

/**
 * Fills in defaults and validates lifecycle options.
 *
 * @throws {@link index!MfaError} `INVALID_OPTION`, `UNSUPPORTED_ALGORITHM`, `INVALID_INPUT` (control character or lone surrogate in `issuer`)
 * @example
 * ```ts
 * import { resolveLifecycleOptions } from 'mfakit/lifecycle';
 * resolveLifecycleOptions({ issuer: 'Acme' }).throttle?.maxFailures; // 5
 * ```
 */
export function resolveLifecycleOptions(o: LifecycleOptions): ResolvedLifecycleOptions {
  if (typeof o.issuer !== 'string' || o.issuer.length === 0 || o.issuer.includes(':')) {
    throw new MfaError('INVALID_OPTION', 'issuer must be a non-empty string without ":"');
  }
  checkText('issuer', o.issuer);
  const t = o.totp ?? {};
  const a = t.algorithm ?? 'SHA1';
  const algorithm = typeof a === 'object' && a !== null ? a.algorithm : a;
  if (algorithm !== 'SHA1' && algorithm !== 'SHA256' && algorithm !== 'SHA512') {
    throw new MfaError('UNSUPPORTED_ALGORITHM', 'totp.algorithm must be SHA1, otpSha256 or otpSha512');
  }
  const hashes = typeof a === 'object' ? [a, ...(t.hashes ?? [])] : (t.hashes ?? []);
  // Fails now, naming the value to import, when the algorithm is a string without its kernel.
  otpKernel(algorithm, hashes, 'totp.algorithm');
  const totp = {
    algorithm,
    hashes,
    digits: checkInteger('totp.digits', t.digits ?? 6, 6, 10),
    period: checkInteger('totp.period', t.period ?? 30, 1, 86_400),
    window: checkInteger('totp.window', t.window ?? 1, 0, 10),
    secretBytes: checkInteger('totp.secretBytes', t.secretBytes ?? 20, 16, 128),
  };
  if (o.recoveryCodes !== undefined) {
    throw new MfaError('INVALID_OPTION', 'recoveryCodes options go to the feature: createMfa({ features: [recoveryCodes({ … })] })');
  }
  let throttle: Required<ThrottleOptions> | null = null;
  if (o.throttle !== false) {
    const th = o.throttle ?? {};
    throttle = {
      maxFailures: checkInteger('throttle.maxFailures', th.maxFailures ?? 5, 1, 1000),
      baseLockMs: checkInteger('throttle.baseLockMs', th.baseLockMs ?? 30_000, 1, 2 ** 40),
      maxLockMs: checkInteger('throttle.maxLockMs', th.maxLockMs ?? 3_600_000, 1, 2 ** 40),
      accountMaxFailures: 0,
      maxClients: checkInteger('throttle.maxClients', th.maxClients ?? 10, 1, 100),
    };
    throttle.accountMaxFailures = checkInteger(
      'throttle.accountMaxFailures',
      th.accountMaxFailures ?? Math.max(20, throttle.maxFailures),
      throttle.maxFailures,
      1000,
    );
    if (throttle.maxLockMs < throttle.baseLockMs) {
      throw new MfaError('INVALID_OPTION', 'throttle.maxLockMs must be at least throttle.baseLockMs');
    }
  }
  return {
    issuer: o.issuer,
    totp,
    throttle,
    disableRequiresPassword: o.disableRequiresPassword === true,
    pendingTtl: o.pendingTtl === null ? null : checkInteger('pendingTtl', o.pendingTtl ?? 86_400_000, 60_000, 365 * 86_400_000),
    freshWithin: o.freshWithin === null ? null : checkInteger('freshWithin', o.freshWithin ?? 300_000, 0, 86_400_000),
  };
}
