import { MfaError } from '../errors.js';
import type { OtpAlgorithm } from '../hotp.js';
import type { RecoveryCodeHashing } from '../recovery-codes.js';
import { checkInteger } from '../_internal/check.js';
import { checkText } from '../_internal/text.js';
import { CROCKFORD_ALPHABET } from '../_internal/crockford.js';

/** TOTP parameters for new enrolments (existing ones keep what they were created with). */
export interface LifecycleTotpOptions {
  /** Default `'SHA1'`: the only algorithm every authenticator app honours. */
  algorithm?: OtpAlgorithm;
  /** Default 6. */
  digits?: number;
  /** Step in seconds. Default 30. */
  period?: number;
  /** Steps accepted either side of the current one. Default 1 (RFC 6238 §5.2). */
  window?: number;
  /** Secret length in bytes. Default 20 (RFC 4226 R6). */
  secretBytes?: number;
}

/** Recovery codes handed out when an enrolment is confirmed. */
export interface LifecycleRecoveryCodeOptions {
  /** How many codes. Default 10; 0 issues none. */
  count?: number;
  /** Passed to `generateRecoveryCodes`. */
  length?: number;
  alphabet?: string;
  groupSize?: number;
  /** Hashing of stored codes (pepper, KDF), passed to generate and verify. */
  hashing?: RecoveryCodeHashing;
  /**
   * A `recovery_codes_low` event fires when a used recovery code leaves at most this many. Default 2;
   * `null`: never.
   */
  lowThreshold?: number | null;
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
  recoveryCodes?: LifecycleRecoveryCodeOptions;
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
  readonly totp: Required<LifecycleTotpOptions>;
  readonly recoveryCodes: LifecycleRecoveryCodeOptions & { readonly count: number; readonly lowThreshold: number | null };
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
  const algorithm = t.algorithm ?? 'SHA1';
  if (algorithm !== 'SHA1' && algorithm !== 'SHA256' && algorithm !== 'SHA512') {
    throw new MfaError('UNSUPPORTED_ALGORITHM', 'totp.algorithm must be SHA1, SHA256 or SHA512');
  }
  const totp = {
    algorithm,
    digits: checkInteger('totp.digits', t.digits ?? 6, 6, 10),
    period: checkInteger('totp.period', t.period ?? 30, 1, 86_400),
    window: checkInteger('totp.window', t.window ?? 1, 0, 10),
    secretBytes: checkInteger('totp.secretBytes', t.secretBytes ?? 20, 16, 128),
  };
  const rc = o.recoveryCodes ?? {};
  const recoveryCodes = {
    ...rc,
    count: checkInteger('recoveryCodes.count', rc.count ?? 10, 0, 100),
    lowThreshold: rc.lowThreshold === null ? null : checkInteger('recoveryCodes.lowThreshold', rc.lowThreshold ?? 2, 0, 100),
  };
  checkRecoveryCodesUnlikeCodes(recoveryCodes, totp.digits, 'totp.digits');
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
    recoveryCodes,
    throttle,
    disableRequiresPassword: o.disableRequiresPassword === true,
    pendingTtl: o.pendingTtl === null ? null : checkInteger('pendingTtl', o.pendingTtl ?? 86_400_000, 60_000, 365 * 86_400_000),
    freshWithin: o.freshWithin === null ? null : checkInteger('freshWithin', o.freshWithin ?? 300_000, 0, 86_400_000),
  };
}

/** `generateRecoveryCodes`' default code length. */
const DEFAULT_RECOVERY_CODE_LENGTH = 12;

/**
 * A recovery code made only of digits, as long as a TOTP (or e-mail/SMS) code, is read as that code
 * at login: it answers `mismatch`, counts toward the lockout and never reaches the recovery-code
 * check. Refused here rather than tried both ways at login: a second check on every mismatch would
 * make each wrong code also a guess at the recovery codes and cost a (possibly slow) hash. Any
 * alphabet with a digit can draw an all-digit code, so the length alone must differ.
 */
/** @internal Throws INVALID_OPTION when a recovery code of digits only could be read as a `digits`-long code of `factor`. */
export function checkRecoveryCodesUnlikeCodes(rc: LifecycleRecoveryCodeOptions & { count: number }, digits: number, factor: string): void {
  if (rc.count === 0) return;
  const length = rc.length ?? DEFAULT_RECOVERY_CODE_LENGTH;
  const alphabet = rc.alphabet ?? CROCKFORD_ALPHABET;
  if (typeof alphabet !== 'string' || !/[0-9]/.test(alphabet)) return;
  if (length === digits) {
    throw new MfaError(
      'INVALID_OPTION',
      `recoveryCodes.length ${length} equals the ${factor}: a recovery code of digits only would be read as a one-time code`,
    );
  }
}
