import { MfaError } from '../../../errors.js';
import { checkInteger } from '../../../_internal/check.js';
import type { OutOfBandChannel } from '../../record.js';

/** Options of the `authenticators()` feature. */
export interface AuthenticatorsOptions {
  /** Authenticators a user may hold, the primary one included. Default 5. */
  max?: number;
  /**
   * E-mail/SMS authenticators a user may add (`['email', 'sms']`): codes sent to that destination
   * through the `oneTimeCodes()` feature, which `createMfa` then requires (`INVALID_OPTION` without
   * it). Default none. (A user whose primary factor is e-mail/SMS may add TOTP/HOTP ones either way.)
   */
  channels?: readonly OutOfBandChannel[];
  /** HOTP tokens. */
  hotp?: {
    /** Counters after the expected one a login accepts (RFC 4226 §7.4 look-ahead). Default 10. */
    lookAhead?: number;
    /** Counters `resyncHotp` searches for two consecutive codes (RFC 4226 §7.4). Default 100, at most 1000. */
    resyncWindow?: number;
  };
  /**
   * Learned drift of TOTP authenticators (an offline token whose clock runs fast or slow). Off by
   * default. When on, an authenticator whose last `after` accepted codes all came from the same step
   * offset `d ≠ 0` gets its window centre moved by `d`, never further than `maxSteps` from the true
   * time; every move is an `authenticator_drift` event, and a reset clears it.
   */
  drift?: {
    /** Largest centre offset, in steps. Default 0 (off); at most 10. */
    maxSteps?: number;
    /** Accepted codes in a row with the same offset before the centre moves. Default 3. */
    after?: number;
  };
}

/** {@link AuthenticatorsOptions} with defaults filled in. */
export interface ResolvedAuthenticatorsOptions {
  readonly max: number;
  readonly channels: readonly OutOfBandChannel[];
  readonly lookAhead: number;
  readonly resyncWindow: number;
  readonly driftMax: number;
  readonly driftAfter: number;
}

/** @internal Fills in defaults and validates {@link AuthenticatorsOptions}. */
export function resolveAuthenticatorsOptions(o: AuthenticatorsOptions = {}): ResolvedAuthenticatorsOptions {
  if (o === null || typeof o !== 'object') throw new MfaError('INVALID_OPTION', 'authenticators() options must be an object');
  const lookAhead = checkInteger('authenticators.hotp.lookAhead', o.hotp?.lookAhead ?? 10, 0, 100);
  const channels = o.channels ?? [];
  if (!Array.isArray(channels) || !channels.every((c) => c === 'email' || c === 'sms')) {
    throw new MfaError('INVALID_OPTION', "authenticators.channels must be an array of 'email' and 'sms'");
  }
  return {
    channels: [...new Set(channels)],
    max: checkInteger('authenticators.max', o.max ?? 5, 1, 20),
    lookAhead,
    resyncWindow: checkInteger('authenticators.hotp.resyncWindow', o.hotp?.resyncWindow ?? 100, lookAhead + 1, 1000),
    driftMax: checkInteger('authenticators.drift.maxSteps', o.drift?.maxSteps ?? 0, 0, 10),
    driftAfter: checkInteger('authenticators.drift.after', o.drift?.after ?? 3, 2, 20),
  };
}
