import { MfaError } from '../../../errors.js';
import {
  issueOneTimeCode,
  verifyOneTimeCode,
  type IssueOneTimeCodeResult,
  type OneTimeCodePurpose,
  type OneTimeCodeState,
} from '../../../one-time-codes.js';
import { parseToken } from '../../../_internal/token.js';
import { checkText } from '../../../_internal/text.js';
import { redact } from '../../../_internal/redact.js';
import type { OutOfBandChannel, OutOfBandMethodState } from '../../record.js';
import type { ResolvedOneTimeCodeOptions } from './options.js';
import type { MfaEvent } from '../../events.js';
import type { MfaRecord } from '../../record.js';
import { isLocked } from '../throttle/throttle.js';
import type { Transition, TransitionContext } from '../../transition-types.js';
import type { CheckFailure } from '../login/verification.js';

/** A code to deliver: what the service hands to the `Sender`. Internal results only, never events. */
export interface IssuedChallenge {
  readonly ok: true;
  readonly method: OutOfBandChannel;
  readonly destination: string;
  readonly purpose: OneTimeCodePurpose;
  /** The code. The service gives it to the Sender and drops it. */
  readonly code: string;
  readonly expiresAt: number;
}

/** Why an e-mail/SMS enrolment sent no code: MFA is already active, or codes are rate-limited. */
export type OutOfBandEnrollmentRefused =
  | { readonly ok: false; readonly reason: 'already_active' }
  | { readonly ok: false; readonly reason: 'rate_limited'; readonly retryAt: number };

/** Result of the `beginOutOfBandEnrollment` command. */
export type BeginOutOfBandEnrollmentCommandResult = IssuedChallenge | OutOfBandEnrollmentRefused;

/** Why `sendChallenge` sent nothing. */
export type SendChallengeFailure =
  /** No MFA at all. */
  | 'not_enrolled'
  /** The user's factor is TOTP: nothing to send. */
  | 'not_out_of_band'
  /** `enroll` codes only while pending; other purposes only while active. */
  | 'wrong_state'
  | 'locked'
  | 'rate_limited';

/** Result of the `sendChallenge` command. */
export type SendChallengeCommandResult =
  | IssuedChallenge
  | { readonly ok: false; readonly reason: SendChallengeFailure; readonly retryAt?: number };

/** @internal True for an e-mail/SMS method. */
export function isOutOfBand(method: MfaRecord['method']): method is OutOfBandMethodState {
  return method !== null && (method.type === 'email' || method.type === 'sms');
}

/** @internal Throws INVALID_OPTION unless `destination` suits `method`. */
export function checkDestination(method: unknown, destination: unknown): void {
  if (method !== 'email' && method !== 'sms') throw new MfaError('INVALID_OPTION', "method must be 'email' or 'sms'");
  if (typeof destination !== 'string' || destination.trim().length === 0 || destination.length > 320) {
    throw new MfaError('INVALID_OPTION', 'destination must be a non-empty string of at most 320 characters');
  }
  checkText('destination', destination);
  if (method === 'email' && !/^[^\s@]+@[^\s@]+$/.test(destination)) {
    throw new MfaError('INVALID_OPTION', 'destination must be an e-mail address');
  }
}

function codesOf(record: MfaRecord): OneTimeCodeState | null {
  return record.oneTimeCodes ?? null;
}

/** @internal A new code for `purpose` in the record's code state, within the resend limits. */
export function issueCode(record: MfaRecord, purpose: OneTimeCodePurpose, ctx: TransitionContext, o: ResolvedOneTimeCodeOptions): IssueOneTimeCodeResult {
  return issueOneTimeCode(codesOf(record), {
    purpose,
    now: ctx.now,
    rng: ctx.rng,
    digits: o.digits,
    ttl: o.ttl,
    maxAttempts: o.maxAttempts,
    resend: o.resend,
    ...(o.resendByPurpose === undefined ? {} : { resendByPurpose: o.resendByPurpose }),
    ...(o.resendTotal === undefined ? {} : { resendTotal: o.resendTotal }),
    ...(o.pepper === undefined ? {} : { pepper: o.pepper }),
  });
}

/**
 * `beginEnrollment` with `{ method: 'email' | 'sms', destination }`: disabled or pending → pending
 * with the new destination, and a first `enroll` code to send. Confirm with `confirmEnrollment(code)`.
 */
export function beginOutOfBandEnrollment(
  record: MfaRecord,
  command: { readonly method: OutOfBandChannel; readonly destination: string },
  ctx: TransitionContext,
  o: ResolvedOneTimeCodeOptions,
): Transition<BeginOutOfBandEnrollmentCommandResult> {
  checkDestination(command.method, command.destination);
  if (record.status === 'active') return { record, result: { ok: false, reason: 'already_active' }, events: [] };
  const issued = issueCode(record, 'enroll', ctx, o);
  if (!issued.ok) return { record, result: { ok: false, reason: 'rate_limited', retryAt: issued.retryAt }, events: [] };
  const method: OutOfBandMethodState = { type: command.method, destination: command.destination, createdAt: ctx.now };
  const next: MfaRecord = {
    ...record,
    status: 'pending',
    method,
    recoveryCodes: null,
    activatedAt: null,
    updatedAt: ctx.now,
    oneTimeCodes: issued.state,
  };
  const base = { userId: record.userId, at: ctx.now } as const;
  const events: MfaEvent[] = [
    { ...base, type: 'enrolled', method: command.method, replaced: record.status === 'pending' },
    { ...base, type: 'code_issued', method: command.method, purpose: 'enroll', expiresAt: issued.expiresAt },
  ];
  return {
    record: next,
    result: redact(
      { ok: true, method: command.method, destination: command.destination, purpose: 'enroll', code: issued.code, expiresAt: issued.expiresAt },
      ['code'],
    ),
    events,
  };
}

/**
 * `sendChallenge`: a new code for an e-mail/SMS user, bound to `purpose`; it replaces the pending one.
 * Refused while locked out and beyond the resend limit.
 */
export function sendChallenge(
  record: MfaRecord,
  command: { readonly purpose: OneTimeCodePurpose },
  ctx: TransitionContext,
  o: ResolvedOneTimeCodeOptions,
): Transition<SendChallengeCommandResult> {
  const { purpose } = command;
  if (typeof purpose !== 'string' || purpose.length === 0 || purpose.length > 64) {
    throw new MfaError('INVALID_OPTION', 'purpose must be a string of 1 to 64 characters');
  }
  checkText('purpose', purpose);
  const method = record.method;
  if (method === null) return { record, result: { ok: false, reason: 'not_enrolled' }, events: [] };
  if (!isOutOfBand(method)) return { record, result: { ok: false, reason: 'not_out_of_band' }, events: [] };
  if ((purpose === 'enroll') !== (record.status === 'pending')) {
    return { record, result: { ok: false, reason: 'wrong_state' }, events: [] };
  }
  if (isLocked(record, ctx.now)) {
    return { record, result: { ok: false, reason: 'locked', retryAt: record.lockedUntil! }, events: [] };
  }
  const issued = issueCode(record, purpose, ctx, o);
  if (!issued.ok) return { record, result: { ok: false, reason: 'rate_limited', retryAt: issued.retryAt }, events: [] };
  const event: MfaEvent = {
    type: 'code_issued',
    userId: record.userId,
    at: ctx.now,
    method: method.type,
    purpose,
    expiresAt: issued.expiresAt,
  };
  return {
    record: { ...record, oneTimeCodes: issued.state, updatedAt: ctx.now },
    result: redact({ ok: true, method: method.type, destination: method.destination, purpose, code: issued.code, expiresAt: issued.expiresAt }, ['code']),
    events: [event],
  };
}

/** What the e-mail/SMS code check answers; `record` carries the updated code state either way. */
export type OutOfBandCodeCheck = { ok: true; record: MfaRecord } | { ok: false; record: MfaRecord; reason: CheckFailure };

/**
 * @internal The e-mail/SMS verifier behind `checkFactor`: checks `input` against the pending code for
 * `purpose` (the checked operation's). A wrong code is `mismatch` (counts toward the lockout; the code burns after
 * `maxAttempts`); no pending code for this purpose, or an expired one, is `expired` (send a new one).
 */
export function checkOutOfBandCode(
  record: MfaRecord,
  input: string,
  purpose: string,
  ctx: TransitionContext,
  o: ResolvedOneTimeCodeOptions,
): OutOfBandCodeCheck {
  // Not shaped like a code (e.g. a recovery code): `format`, so the caller can try recovery codes.
  if (parseToken(input, codesOf(record)?.challenge?.digits ?? o.digits) < 0) return { ok: false, record, reason: 'format' };
  const r = verifyOneTimeCode(codesOf(record), input, {
    purpose,
    now: ctx.now,
    ...(o.pepper === undefined ? {} : { pepper: o.pepper }),
  });
  const next = r.state === codesOf(record) ? record : { ...record, oneTimeCodes: r.state };
  if (r.ok) return { ok: true, record: next };
  switch (r.reason) {
    case 'format':
      return { ok: false, record: next, reason: 'format' };
    case 'mismatch':
    case 'too_many_attempts':
      return { ok: false, record: next, reason: 'mismatch' };
    default:
      return { ok: false, record: next, reason: 'expired' };
  }
}
