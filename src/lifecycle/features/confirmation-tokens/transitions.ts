import { MfaError } from '../../../errors.js';
import { consumeConfirmationToken, issueConfirmationToken, type StoredConfirmationToken } from '../../../confirmation-tokens.js';
import { checkInteger } from '../../../_internal/check.js';
import type { CheckedOperation, MfaEvent } from '../../events.js';
import { purposeOf } from '../../purpose.js';
import type { MfaRecord } from '../../record.js';
import { clearFailures, countFailure, isLocked } from '../throttle/throttle.js';
import { isResetPending } from '../enrollment/pending-expiry.js';
import type { Transition, TransitionContext } from '../../transition-types.js';
import type { CheckFailure } from '../login/verification.js';
import { redact } from '../../../_internal/redact.js';
import { checkText } from '../../../_internal/text.js';

/** Result of the `issueConfirmationToken` command: the token to send (once), or why not. */
export type IssueConfirmationTokenResult =
  | { readonly ok: true; /** 43 base64url characters; mail it, never log it. */ readonly token: string; readonly expiresAt: number }
  | { readonly ok: false; readonly reason: 'not_enrolled' };

/**
 * `issueConfirmationToken`: a long random token for a sensitive action (e.g. a CLI's remove command mails "a link
 * valid for 15min"), stored as its SHA-256 in the record's `confirmation` field. A new token replaces
 * the previous one. Only for users with MFA (pending or active, or a reset that expired).
 */
export function issueConfirmationTokenTransition(
  record: MfaRecord,
  command: { readonly purpose: string; readonly ttl?: number },
  ctx: TransitionContext,
  defaultTtl: number,
): Transition<IssueConfirmationTokenResult> {
  const ttl = checkInteger('ttl', command.ttl ?? defaultTtl, 1_000, 30 * 86_400_000);
  if (typeof command.purpose !== 'string' || command.purpose.length === 0) {
    throw new MfaError('INVALID_OPTION', 'purpose must be a non-empty string');
  }
  checkText('purpose', command.purpose);
  if (record.status === 'disabled' && !isResetPending(record)) return { record, result: { ok: false, reason: 'not_enrolled' }, events: [] };
  const issued = issueConfirmationToken({ purpose: command.purpose, now: ctx.now, ttl, rng: ctx.rng });
  const event: MfaEvent = {
    type: 'confirmation_issued',
    userId: record.userId,
    at: ctx.now,
    purpose: command.purpose,
    expiresAt: issued.expiresAt,
  };
  return {
    record: { ...record, confirmation: issued.stored, updatedAt: ctx.now },
    result: redact({ ok: true, token: issued.token, expiresAt: issued.expiresAt }, ['token']),
    events: [event],
  };
}

/** What {@link checkTokenProof} answers. */
export type TokenProofCheck =
  | { ok: true; record: MfaRecord }
  | { ok: false; record: MfaRecord; reason: CheckFailure | 'locked'; retryAt?: number };

/**
 * @internal Checks a `{ token }` proof for `disable` (or `regenerateRecoveryCodes`): the pending
 * confirmation token for that purpose, consumed once. Honours the lockout like a code; a wrong token
 * counts toward it, an expired or missing one answers `expired`.
 */
export function checkTokenProof(
  record: MfaRecord,
  token: unknown,
  operation: CheckedOperation,
  ctx: TransitionContext,
  events: MfaEvent[],
): TokenProofCheck {
  const { now } = ctx;
  if (isLocked(record, now)) return { ok: false, record, reason: 'locked', retryAt: record.lockedUntil! };
  let stored: StoredConfirmationToken | null = record.confirmation ?? null;
  let base = record;
  // A token confirms actions on the factor that existed when it was issued: one issued before the
  // current factor was confirmed (MFA disabled and set up again, or reset) no longer counts, nor
  // one issued before an unfinished reset.
  const since = record.activatedAt ?? (isResetPending(record) ? (record.resetAt as number) : null);
  if (stored !== null && since !== null && stored.createdAt < since) {
    stored = null;
    base = { ...record, confirmation: null };
  }
  const r = consumeConfirmationToken(stored, token, { purpose: purposeOf(operation), now });
  const next: MfaRecord = r.stored === stored ? base : { ...base, confirmation: r.stored };
  if (r.ok) return { ok: true, record: { ...clearFailures(next), updatedAt: now } };
  if (r.reason === 'mismatch') {
    const counted = countFailure(next, operation, now, ctx.options, events);
    return isLocked(counted, now)
      ? { ok: false, record: counted, reason: 'mismatch', retryAt: counted.lockedUntil! }
      : { ok: false, record: counted, reason: 'mismatch' };
  }
  const reason: CheckFailure = r.reason === 'format' ? 'format' : 'expired';
  events.push({ type: 'failed', userId: record.userId, at: now, operation, reason, failures: record.failures });
  return { ok: false, record: next, reason };
}
