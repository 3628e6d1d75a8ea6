import { MfaError } from '../../../errors.js';
import type { IssueOneTimeCodeOptions, ResendLimit } from '../../../one-time-codes.js';
import { checkInteger } from '../../../_internal/check.js';

/**
 * How e-mail/SMS codes behave: the options of {@link oneTimeCodes} besides the `sender` (code length,
 * lifetime, attempts, resend limits and pepper as {@link issueOneTimeCode} takes them).
 */
export interface OneTimeCodeOptions extends Pick<IssueOneTimeCodeOptions, 'digits' | 'ttl' | 'maxAttempts' | 'resend' | 'resendByPurpose' | 'resendTotal' | 'pepper'> {
  /**
   * Issue recovery codes when an e-mail/SMS enrolment is confirmed. Default false: e-mail
   * authentication is commonly documented as "cannot be recovered", and a lost mailbox is recovered by
   * your support process, not by codes.
   */
  recoveryCodes?: boolean;
}

/** {@link OneTimeCodeOptions} with defaults filled in. */
export interface ResolvedOneTimeCodeOptions {
  readonly digits: number;
  readonly ttl: number;
  readonly maxAttempts: number;
  readonly resend: ResendLimit | false;
  readonly resendByPurpose: Readonly<Record<string, ResendLimit | false>> | undefined;
  readonly resendTotal: ResendLimit | false | undefined;
  readonly pepper: Uint8Array | undefined;
  readonly recoveryCodes: boolean;
}

/** @internal Fills in defaults and validates {@link OneTimeCodeOptions}. */
export function resolveOneTimeCodeOptions(o: OneTimeCodeOptions = {}): ResolvedOneTimeCodeOptions {
  if (o.pepper !== undefined && (!(o.pepper instanceof Uint8Array) || o.pepper.length < 16)) {
    throw new MfaError('INVALID_OPTION', 'oneTimeCodes.pepper must be a Uint8Array of at least 16 bytes');
  }
  const r = o.resend;
  checkLimit('resend', r);
  checkLimit('resendTotal', o.resendTotal);
  const by = o.resendByPurpose;
  if (by !== undefined) {
    if (by === null || typeof by !== 'object' || Array.isArray(by)) throw new MfaError('INVALID_OPTION', 'oneTimeCodes.resendByPurpose must be an object');
    for (const [purpose, limit] of Object.entries(by)) checkLimit(`resendByPurpose.${purpose}`, limit);
  }
  return {
    digits: checkInteger('oneTimeCodes.digits', o.digits ?? 6, 4, 9),
    ttl: checkInteger('oneTimeCodes.ttl', o.ttl ?? 600_000, 1_000, 86_400_000),
    maxAttempts: checkInteger('oneTimeCodes.maxAttempts', o.maxAttempts ?? 5, 1, 100),
    resend: r ?? {},
    resendByPurpose: by,
    resendTotal: o.resendTotal,
    pepper: o.pepper,
    recoveryCodes: o.recoveryCodes === true,
  };
}

function checkLimit(name: string, r: ResendLimit | false | undefined): void {
  if (r === undefined || r === false) return;
  if (r === null || typeof r !== 'object') throw new MfaError('INVALID_OPTION', `oneTimeCodes.${name} must be an object or false`);
  if (r.minInterval !== undefined) checkInteger(`oneTimeCodes.${name}.minInterval`, r.minInterval, 0, 86_400_000);
  if (r.maxPerWindow !== undefined) checkInteger(`oneTimeCodes.${name}.maxPerWindow`, r.maxPerWindow, 1, 10_000);
  if (r.window !== undefined) checkInteger(`oneTimeCodes.${name}.window`, r.window, 1, 31 * 86_400_000);
}
