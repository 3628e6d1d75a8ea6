// E-mail/SMS authenticators: codes sent to one of the user's destinations through the factor of the
// `oneTimeCodes()` feature (its code length, lifetime, attempts, resend limits, pepper and Sender). A
// user has one pending code at a time (`record.oneTimeCodes`, shared resend limits); it belongs to
// the authenticator it was sent to: the slice keeps that id with the code's salt, so a code the
// `oneTimeCodes()` feature itself sends to an e-mail/SMS primary replaces it and is the primary's.
// A code accepted once answers `replayed` (counting nothing) until it expires.
import { MfaError } from '../../../errors.js';
import { redact } from '../../../_internal/redact.js';
import { checkText } from '../../../_internal/text.js';
import type { MfaEvent } from '../../events.js';
import { featureMissing } from '../../feature.js';
import type { MethodState, MfaRecord, OutOfBandChannel, OutOfBandMethodState } from '../../record.js';
import type { Transition, TransitionContext } from '../../transition-types.js';
import type { CheckFailure } from '../login/verification.js';
import type { IssuedChallenge, OutOfBandFactor, SendChallengeFailure } from '../one-time-codes/index.js';
import { clearFailures, countFailure, isLocked } from '../throttle/throttle.js';
import { sliceOf, withAuthenticators, type AuthenticatorMeta, type StoredAuthenticator } from './slice.js';

/** Result of the `sendAuthenticatorChallenge` command: the code to deliver, or why none was sent. */
export type SendAuthenticatorChallengeCommandResult =
  | (IssuedChallenge & { readonly id: string })
  | { readonly ok: false; readonly reason: SendChallengeFailure | 'not_found'; readonly retryAt?: number };

/** Result of `confirmAuthenticator` for an e-mail/SMS one (and a TOTP/HOTP one). */
export type OutOfBandConfirmResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: CheckFailure | 'locked'; readonly retryAt?: number };

/** An authenticator found by id: where it lives (-1: the primary), its metadata, its method, whether it is pending. */
interface Located {
  readonly where: number;
  readonly meta: AuthenticatorMeta;
  readonly method: MethodState;
  readonly pending: boolean;
}

/** @internal True for an e-mail/SMS method. */
export const isOutOfBand = (m: MethodState | null): m is OutOfBandMethodState => m !== null && (m.type === 'email' || m.type === 'sms');

/** @internal The e-mail/SMS factor of the service (`oneTimeCodes()`); INVALID_OPTION when it has none. */
export function outOfBandFactor(type: OutOfBandChannel, ctx: TransitionContext): OutOfBandFactor {
  const f = ctx.features?.factors[type] as OutOfBandFactor | undefined;
  if (f?.verify === undefined) throw featureMissing(`an ${type} authenticator`, 'oneTimeCodes({ sender })');
  return f;
}

/** @internal The authenticator with public id `id` (the primary included), or null. */
export function locate(record: MfaRecord, id: string): Located | null {
  const { primary, extra } = sliceOf(record);
  if (record.method !== null && primary.id === id) return { where: -1, meta: primary, method: record.method, pending: record.status !== 'active' };
  const where = extra.findIndex((a) => a.id === id);
  const a = extra[where];
  return a === undefined ? null : { where, meta: a, method: a.method, pending: a.status === 'pending' };
}

/** The record with the metadata of the authenticator at `where` (-1: the primary) replaced. */
function withMeta(record: MfaRecord, where: number, update: (meta: AuthenticatorMeta) => AuthenticatorMeta): MfaRecord {
  const { primary, extra } = sliceOf(record);
  if (where < 0) return withAuthenticators(record, update(primary), extra);
  return withAuthenticators(record, primary, extra.map((a, i) => (i === where ? (update(a) as StoredAuthenticator) : a)));
}

/** The record with the slice's `sentTo`/`spent` set. */
function withCodeState(record: MfaRecord, patch: { sentTo?: { id: string; salt: string } | null; spent?: NonNullable<ReturnType<typeof sliceOf>['spent']> | null }): MfaRecord {
  const { primary, extra } = sliceOf(record);
  const next = withAuthenticators(record, primary, extra);
  return { ...next, authenticators: { ...next.authenticators!, ...patch } };
}

/**
 * The e-mail/SMS authenticator the pending code belongs to: the active other one it was sent to
 * (same salt), else an e-mail/SMS primary; null when no such authenticator is concerned.
 */
function codeTarget(record: MfaRecord, primaryOnly: boolean): Located | null {
  const challenge = record.oneTimeCodes?.challenge ?? null;
  const { sentTo } = sliceOf(record);
  if (challenge !== null && sentTo !== null && sentTo.salt === challenge.salt) {
    const found = primaryOnly ? null : locate(record, sentTo.id);
    // Sent to an authenticator that is gone, pending or no longer e-mail/SMS: it vouches for nothing here.
    return found !== null && !found.pending && isOutOfBand(found.method) ? found : null;
  }
  return isOutOfBand(record.method) ? locate(record, sliceOf(record).primary.id) : null;
}

/** What {@link checkSentCode} answers; `odds` is the chance a guess had (for the failure weight). */
export type SentCodeCheck =
  | { readonly ok: true; readonly record: MfaRecord; readonly id: string; readonly method: OutOfBandChannel }
  | { readonly ok: false; readonly record: MfaRecord; readonly reason: CheckFailure; readonly odds: number };

/**
 * @internal Checks `text` against the pending e-mail/SMS code for `purpose`, if one of the user's
 * authenticators is concerned (else null). A match consumes the code, stamps the authenticator's
 * `lastUsedAt` and keeps the code's hash as `spent`; the spent code answers `replayed` until it expires.
 */
export function checkSentCode(record: MfaRecord, text: string, purpose: string, primaryOnly: boolean, ctx: TransitionContext): SentCodeCheck | null {
  const { spent } = sliceOf(record);
  const any = (ctx.features?.factors.email ?? ctx.features?.factors.sms) as OutOfBandFactor | undefined;
  if (spent !== null && spent.challenge.expiresAt > ctx.now && any?.verify !== undefined) {
    const again = any.verify({ ...record, oneTimeCodes: { challenge: spent.challenge, sentAt: [] } }, text, purpose, ctx);
    if (again.ok) return { ok: false, record, reason: 'replayed', odds: 0 };
  }
  const target = codeTarget(record, primaryOnly);
  if (target === null || !isOutOfBand(target.method)) return null;
  const challenge = record.oneTimeCodes?.challenge ?? null;
  const r = outOfBandFactor(target.method.type, ctx).verify(record, text, purpose, ctx);
  if (!r.ok) return { ok: false, record: r.record, reason: r.reason, odds: r.reason === 'mismatch' && challenge !== null ? 10 ** -challenge.digits : 0 };
  const used = withMeta(r.record, target.where, (m) => ({ ...m, lastUsedAt: ctx.now }));
  const next = withCodeState(used, { sentTo: null, spent: { id: target.meta.id, challenge: challenge! } });
  return { ok: true, record: next, id: target.meta.id, method: target.method.type };
}

/** @internal Throws INVALID_OPTION unless `purpose` is 1 to 64 characters of text. */
export function checkPurpose(purpose: unknown): string {
  if (typeof purpose !== 'string' || purpose.length === 0 || purpose.length > 64) {
    throw new MfaError('INVALID_OPTION', 'purpose must be a string of 1 to 64 characters');
  }
  return checkText('purpose', purpose);
}

/**
 * @internal Issues a code for `purpose` to the e-mail/SMS authenticator at `found` and records whom
 * it went to; the result carries the code for the Sender (redacted in JSON and inspect output).
 */
export function issueTo(
  record: MfaRecord,
  found: Located & { readonly method: OutOfBandMethodState },
  purpose: string,
  ctx: TransitionContext,
  events: MfaEvent[],
): Transition<(IssuedChallenge & { readonly id: string }) | { readonly ok: false; readonly reason: 'rate_limited'; readonly retryAt: number }> {
  const issued = outOfBandFactor(found.method.type, ctx).issue(record, purpose, ctx);
  if (!issued.ok) return { record, result: { ok: false, reason: 'rate_limited', retryAt: issued.retryAt }, events };
  const { type: method, destination } = found.method;
  const id = found.meta.id;
  const next = withCodeState({ ...record, oneTimeCodes: issued.state, updatedAt: ctx.now }, { sentTo: found.where < 0 ? null : { id, salt: issued.state.challenge!.salt } });
  events.push({ type: 'code_issued', userId: record.userId, at: ctx.now, method, purpose, expiresAt: issued.expiresAt, authenticator: id });
  const result = redact({ ok: true as const, id, method, destination, purpose, code: issued.code, expiresAt: issued.expiresAt }, ['code', 'destination']);
  return { record: next, result, events };
}

/**
 * `sendAuthenticatorChallenge`: a code for `purpose` to the e-mail/SMS authenticator `id` (the
 * primary included). `enroll` only while that authenticator is pending, other purposes only while
 * it is active; refused while locked out and beyond the resend limits (shared by every destination).
 */
export function sendAuthenticatorChallenge(
  record: MfaRecord,
  command: { readonly id: string; readonly purpose: string },
  ctx: TransitionContext,
): Transition<SendAuthenticatorChallengeCommandResult> {
  const purpose = checkPurpose(command.purpose);
  const found = typeof command.id === 'string' ? locate(record, command.id) : null;
  if (found === null) return { record, result: { ok: false, reason: record.method === null ? 'not_enrolled' : 'not_found' }, events: [] };
  if (!isOutOfBand(found.method)) return { record, result: { ok: false, reason: 'not_out_of_band' }, events: [] };
  if ((purpose === 'enroll') !== found.pending) return { record, result: { ok: false, reason: 'wrong_state' }, events: [] };
  if (isLocked(record, ctx.now)) return { record, result: { ok: false, reason: 'locked', retryAt: record.lockedUntil! }, events: [] };
  return issueTo(record, { ...found, method: found.method }, purpose, ctx, []);
}

/**
 * @internal `confirmAuthenticator` of a pending e-mail/SMS authenticator: the `enroll` code sent to
 * it. A wrong code counts toward the lockout like a wrong login code; a code sent elsewhere is `expired`.
 */
export function confirmOutOfBand(record: MfaRecord, where: number, code: string, ctx: TransitionContext): Transition<OutOfBandConfirmResult> {
  const { sentTo, extra } = sliceOf(record);
  const a = extra[where]!;
  const challenge = record.oneTimeCodes?.challenge ?? null;
  const events: MfaEvent[] = [];
  if (sentTo?.id !== a.id || challenge === null || challenge.salt !== sentTo.salt || !isOutOfBand(a.method)) {
    return { record, result: { ok: false, reason: 'expired' }, events };
  }
  const r = outOfBandFactor(a.method.type, ctx).verify(record, code, 'enroll', ctx);
  if (!r.ok) {
    if (r.reason !== 'mismatch') return { record: r.record, result: { ok: false, reason: r.reason }, events };
    const next = countFailure(r.record, 'confirmAuthenticator', ctx.now, ctx.options, events);
    return { record: next, result: isLocked(next, ctx.now) ? { ok: false, reason: 'mismatch', retryAt: next.lockedUntil! } : { ok: false, reason: 'mismatch' }, events };
  }
  const active = withMeta(clearFailures(r.record), where, (m) => ({ ...m, status: 'active' }) as StoredAuthenticator);
  events.push({ type: 'authenticator_confirmed', userId: record.userId, at: ctx.now, id: a.id });
  return { record: { ...withCodeState(active, { sentTo: null }), updatedAt: ctx.now }, result: { ok: true }, events };
}
