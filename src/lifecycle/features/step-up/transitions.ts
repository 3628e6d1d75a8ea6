import type { MfaEvent } from '../../events.js';
import type { MethodType, MfaRecord } from '../../record.js';
import type { Transition, TransitionContext } from '../../transition-types.js';
import { checkFactor, type CheckFailure } from '../login/verification.js';
import { isLocked } from '../throttle/throttle.js';
import { featureMissing } from '../../feature.js';

/** Result of `stepUp`. `retryAt` (ms) comes with `locked`, and with the `mismatch` that locked. */
export type StepUpResult =
  | { readonly ok: true; readonly method: MethodType; readonly verifiedAt: number }
  | { readonly ok: false; readonly reason: CheckFailure | 'locked' | 'not_enrolled'; readonly retryAt?: number };

/**
 * Result of `requireFreshMfa`. `stale`: the last successful `verifyLogin` or `stepUp` is older than
 * `maxAge` (or there was none): ask for `stepUp`. `not_enrolled`: the user has no active factor.
 * `locked`: checks are locked out (someone is guessing codes); no step-up counts until `retryAt`.
 */
export type FreshMfaResult =
  | { readonly ok: true; readonly verifiedAt: number }
  | { readonly ok: false; readonly reason: 'stale' | 'not_enrolled' | 'locked'; readonly retryAt?: number };

/**
 * `stepUp`: the user types a current code again before a sensitive operation. Checked like a login —
 * a TOTP step or e-mail/SMS code used once (replay protection), wrong codes count toward the lockout,
 * a success clears the failures — and it stamps `verifiedAt`, so `{ fresh: true }` proofs and
 * `requireFreshMfa` hold for the window after it. It is not a login: it emits `stepped_up`, not
 * `verified`, and recovery codes are refused (`format`): one is spent only to get in, never to re-confirm.
 */
export function stepUpTransition(
  record: MfaRecord,
  command: { readonly code: string; readonly client?: string },
  ctx: TransitionContext,
): Transition<StepUpResult> {
  if (record.status !== 'active') return { record, result: { ok: false, reason: 'not_enrolled' }, events: [] };
  const events: MfaEvent[] = [];
  const throttle = ctx.features?.clientThrottle;
  if (command.client !== undefined && throttle === undefined) throw featureMissing('stepUp with a client', 'clientThrottle()');
  const client = command.client === undefined ? {} : { client: throttle!.key(record.userId, command.client) };
  const check = checkFactor(record, command.code, 'stepUp', ctx, events, { allowRecovery: false, ...client });
  if (!check.ok) {
    const result: StepUpResult =
      check.retryAt === undefined ? { ok: false, reason: check.reason } : { ok: false, reason: check.reason, retryAt: check.retryAt };
    return { record: check.record, result, events };
  }
  const method = check.method as MethodType;
  events.push({ type: 'stepped_up', userId: record.userId, at: ctx.now, method });
  // The factor was proven as at a login: what features do after one (an open break-glass request is
  // cancelled: whoever has the factor is the owner) happens here too, in the same write.
  let next = check.record;
  for (const f of ctx.features?.list ?? []) if (f.afterLogin !== undefined) next = f.afterLogin(next, method, ctx, events);
  return { record: next, result: { ok: true, method, verifiedAt: ctx.now }, events };
}

/** @internal `requireFreshMfa` over a record read at `now`. */
export function freshMfaOf(record: MfaRecord, maxAge: number, now: number): FreshMfaResult {
  if (record.status !== 'active') return { ok: false, reason: 'not_enrolled' };
  if (isLocked(record, now)) return { ok: false, reason: 'locked', retryAt: record.lockedUntil! };
  const at = record.verifiedAt;
  return typeof at === 'number' && at <= now && now - at <= maxAge ? { ok: true, verifiedAt: at } : { ok: false, reason: 'stale' };
}
