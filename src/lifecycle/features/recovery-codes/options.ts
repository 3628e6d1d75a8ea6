// The settings of the recovery-code feature, checked once when `recoveryCodes(options)` is called,
// and the rule that keeps a recovery code from being read as a one-time code.
import { MfaError } from '../../../errors.js';
import type { RecoveryCodeHashing } from '../../../recovery-codes.js';
import { checkInteger } from '../../../_internal/check.js';
import { CROCKFORD_ALPHABET } from '../../../_internal/crockford.js';

/** Options of {@link recoveryCodes}: the codes handed out when an enrolment is confirmed. */
export interface RecoveryCodesOptions {
  /** How many codes. Default 10; 0 issues none. */
  count?: number;
  /** Passed to `generateRecoveryCodes`. */
  length?: number;
  alphabet?: string;
  groupSize?: number;
  /** Hashing of stored codes (pepper, KDF such as `pbkdf2Kdf`/`scryptKdf`), passed to generate and verify. */
  hashing?: RecoveryCodeHashing;
  /**
   * A `recovery_codes_low` event fires when a used recovery code leaves at most this many. Default 2;
   * `null`: never.
   */
  lowThreshold?: number | null;
}

/** The former name of {@link RecoveryCodesOptions} (when they were `createMfa({ recoveryCodes })`). */
export type LifecycleRecoveryCodeOptions = RecoveryCodesOptions;

/** {@link RecoveryCodesOptions} with the defaults filled in and checked. */
export interface ResolvedRecoveryCodesOptions extends RecoveryCodesOptions {
  readonly count: number;
  readonly lowThreshold: number | null;
}

/** @internal Fills in the defaults (INVALID_OPTION for a bad count or threshold). */
export function resolveRecoveryCodesOptions(o: RecoveryCodesOptions): ResolvedRecoveryCodesOptions {
  return {
    ...o,
    count: checkInteger('recoveryCodes.count', o.count ?? 10, 0, 100),
    lowThreshold: o.lowThreshold === null ? null : checkInteger('recoveryCodes.lowThreshold', o.lowThreshold ?? 2, 0, 100),
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
export function checkRecoveryCodesUnlikeCodes(rc: ResolvedRecoveryCodesOptions, digits: number, factor: string): void {
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
