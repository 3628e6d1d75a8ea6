import { MfaError } from '../errors.js';
import {
  issueOneTimeCode,
  verifyOneTimeCode,
  type OneTimeCodePurpose,
  type OneTimeCodeState,
  type ResendLimit,
} from '../one-time-codes.js';
import { checkInteger } from '../_internal/check.js';
import { parseToken } from '../_internal/token.js';
import { checkText } from '../_internal/text.js';
import { redact } from '../_internal/redact.js';
import type { CheckedOperation, MfaEvent } from './events.js';
import type { MfaRecord } from './record.js';
import { isLocked } from './throttle.js';
import type { Transition, TransitionContext } from './transition-types.js';
import type { CheckFailure } from './verification.js';

/** Channels of the out-of-band method: a code sent by e-mail or SMS (seeds 000, 003). */
export type OutOfBandChannel = 'email' | 'sms';

/**
 * The out-of-band factor of a user: where codes go. The pending code itself lives in the record's
 * `oneTimeCodes` field (hash, expiry, attempts and the resend history), never the code.
 */
export interface OutOfBandMethodState {
  readonly type: OutOfBandChannel;
  /** E-mail address or phone number, as given to `beginEnrollment`. */
  readonly destination: string;
  readonly createdAt: number;
}

/** How e-mail/SMS codes behave; part of `createMfa`'s options (`outOfBand`). */
export interface OutOfBandOptions {
  /** Code length, 4–9. Default 6. */
  digits?: number;
  /** Code lifetime in ms. Default 600 000 (10 minutes). */
  ttl?: number;
  /** Wrong answers that burn one code. Default 5. Each wrong answer also counts toward the lockout. */
  maxAttempts?: number;
  /** Resend limit. Default one per 30 s, 5 per hour; `false` turns it off. */
  resend?: ResendLimit | false;
  /** Key (≥ 16 bytes) kept outside the store, mixed into the stored code hashes. */
  pepper?: Uint8Array;
  /**
   * Issue recovery codes when an e-mail/SMS enrolment is confirmed. Default false: seed 000 warns
   * that "E-mail password authentication cannot be recovered", and a lost mailbox is recovered by
   * your support process, not by codes.
   */
  recoveryCodes?: boolean;
  /** Default lifetime of confirmation tokens in ms. Default 900 000 (15 minutes, seed 003). */
  confirmationTtl?: number;
}

/** {@link OutOfBandOptions} with defaults filled in. */
export interface ResolvedOutOfBandOptions {
  readonly digits: number;
  readonly ttl: number;
  readonly maxAttempts: number;
  readonly resend: ResendLimit | false;
  readonly pepper: Uint8Array | undefined;
  readonly recoveryCodes: boolean;
  readonly confirmationTtl: number;
}

/** @internal Fills in defaults and validates {@link OutOfBandOptions}. */
export function resolveOutOfBandOptions(o: OutOfBandOptions = {}): ResolvedOutOfBandOptions {
  if (o.pepper !== undefined && (!(o.pepper instanceof Uint8Array) || o.pepper.length < 16)) {
    throw new MfaError('INVALID_OPTION', 'outOfBand.pepper must be a Uint8Array of at least 16 bytes');
  }
  const r = o.resend;
  if (r !== undefined && r !== false) {
    if (r.minInterval !== undefined) checkInteger('outOfBand.resend.minInterval', r.minInterval, 0, 86_400_000);
    if (r.maxPerWindow !== undefined) checkInteger('outOfBand.resend.maxPerWindow', r.maxPerWindow, 1, 10_000);
    if (r.window !== undefined) checkInteger('outOfBand.resend.window', r.window, 1, 31 * 86_400_000);
  }
  return {
    digits: checkInteger('outOfBand.digits', o.digits ?? 6, 4, 9),
    ttl: checkInteger('outOfBand.ttl', o.ttl ?? 600_000, 1_000, 86_400_000),
    maxAttempts: checkInteger('outOfBand.maxAttempts', o.maxAttempts ?? 5, 1, 100),
    resend: r ?? {},
    pepper: o.pepper,
    recoveryCodes: o.recoveryCodes === true,
    confirmationTtl: checkInteger('outOfBand.confirmationTtl', o.confirmationTtl ?? 900_000, 1_000, 30 * 86_400_000),
  };
}

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

/** @internal The one-time-code purpose a checked operation answers to. */
export function purposeOf(operation: CheckedOperation): OneTimeCodePurpose {
  switch (operation) {
    case 'confirmEnrollment':
      return 'enroll';
    case 'verifyLogin':
      return 'login';
    case 'disable':
      return 'disable';
    case 'resetSecret':
      return 'reset';
    default:
      return 'recovery_codes';
  }
}

function checkDestination(method: unknown, destination: unknown): void {
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
  return (record.oneTimeCodes as OneTimeCodeState | undefined) ?? null;
}

function issue(record: MfaRecord, purpose: OneTimeCodePurpose, ctx: TransitionContext) {
  const o = ctx.options.outOfBand;
  return issueOneTimeCode(codesOf(record), {
    purpose,
    now: ctx.now,
    rng: ctx.rng,
    digits: o.digits,
    ttl: o.ttl,
    maxAttempts: o.maxAttempts,
    resend: o.resend,
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
): Transition<BeginOutOfBandEnrollmentCommandResult> {
  checkDestination(command.method, command.destination);
  if (record.status === 'active') return { record, result: { ok: false, reason: 'already_active' }, events: [] };
  const issued = issue(record, 'enroll', ctx);
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
  const issued = issue(record, purpose, ctx);
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

/** What {@link checkOutOfBandCode} answers; `record` carries the updated code state either way. */
export type OutOfBandCodeCheck = { ok: true; record: MfaRecord } | { ok: false; record: MfaRecord; reason: CheckFailure };

/**
 * @internal The e-mail/SMS verifier behind `checkFactor`: checks `input` against the pending code for
 * the operation's purpose. A wrong code is `mismatch` (counts toward the lockout; the code burns after
 * `maxAttempts`); no pending code for this purpose, or an expired one, is `expired` (send a new one).
 */
export function checkOutOfBandCode(
  record: MfaRecord,
  input: string,
  operation: CheckedOperation,
  ctx: TransitionContext,
): OutOfBandCodeCheck {
  const o = ctx.options.outOfBand;
  // Not shaped like a code (e.g. a recovery code): `format`, so the caller can try recovery codes.
  if (parseToken(input, codesOf(record)?.challenge?.digits ?? o.digits) < 0) return { ok: false, record, reason: 'format' };
  const r = verifyOneTimeCode(codesOf(record), input, {
    purpose: purposeOf(operation),
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

/** @internal Validates an e-mail/SMS method read from a store; returns a reason on failure. */
export function outOfBandMethodProblem(m: Record<string, unknown>): string | null {
  if (typeof m.destination !== 'string' || m.destination.length === 0) return 'method.destination';
  if (typeof m.createdAt !== 'number' || !Number.isSafeInteger(m.createdAt)) return 'method.createdAt';
  return null;
}
