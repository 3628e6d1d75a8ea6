import type { MfaEvent } from '../../events.js';
import { refused } from '../../refusal.js';
import { isMfaRequired } from '../policy/policy.js';
import type { MfaRecord, MfaStatus } from '../../record.js';
import type { Transition, TransitionContext } from '../../transition-types.js';
import { proofCheck, type Proof, type ProofFailure } from './proof.js';
import { isResetPending } from '../enrollment/pending-expiry.js';
import { checkText } from '../../../_internal/text.js';
import { MfaError } from '../../../errors.js';
import { withoutFactorSlices } from '../../feature.js';
import { bumpEpoch } from '../../epoch.js';

export type { Proof, ProofFailure } from './proof.js';

/** Result of `disable`. `policy`: an enforcement policy makes MFA mandatory for this user. */
export type DisableResult =
  | { readonly ok: true; readonly previous: 'pending' | 'active' }
  | { readonly ok: false; readonly reason: ProofFailure | 'not_enrolled' | 'policy'; readonly retryAt?: number };

/** Result of `adminReset`. Always succeeds; `previous` tells what was cleared. */
export interface AdminResetResult {
  readonly ok: true;
  readonly previous: MfaStatus;
}

function cleared(record: MfaRecord, ctx: TransitionContext): MfaRecord {
  const now = ctx.now;
  // A finished or abandoned reset, the step-up time and the features' view of the old factor go with it.
  return { ...withoutFactorSlices(record, ctx.features), status: 'disabled', method: null, recoveryCodes: null, activatedAt: null, verifiedAt: null, resetAt: null, updatedAt: now };
}

/**
 * `disable`: active → disabled with a proof; a first enrolment still pending → disabled without one
 * (there is no working factor yet, the caller's session is the proof). A pending reset (an active
 * factor replaced by `resetSecret`, not yet confirmed, or expired) still counts as enrolled: it
 * needs a `{ token }` issued since the reset or a `{ fresh: true }` login; a `{ code }` answers
 * `proof_required`, because the old factor is gone and the new one is not confirmed. Refused with
 * `policy` while a policy requires MFA.
 */
export function disable(
  record: MfaRecord,
  command: { readonly proof: Proof },
  ctx: TransitionContext,
): Transition<DisableResult> {
  const { now } = ctx;
  const reset = isResetPending(record);
  if (record.status === 'disabled' && !reset) return { record, result: { ok: false, reason: 'not_enrolled' }, events: [] };
  if (isMfaRequired(record, ctx.scopeRequired)) return { record, result: { ok: false, reason: 'policy' }, events: [] };
  const previous = record.status === 'active' ? 'active' : 'pending';
  const events: MfaEvent[] = [];
  let base = record;
  if (previous === 'active' || reset) {
    const proof = command.proof;
    if (reset && proof !== null && typeof proof === 'object' && 'code' in proof) {
      return { record, result: { ok: false, reason: 'proof_required' }, events: [] };
    }
    const check = proofCheck(record, proof, 'disable', ctx, events, ctx.options.disableRequiresPassword);
    if (!check.ok) {
      return refused(check, events);
    }
    base = check.record;
  }
  events.push({ type: 'disabled', userId: record.userId, at: now, previous });
  return { record: bumpEpoch(cleared(base, ctx), ctx, events), result: { ok: true, previous }, events };
}

/**
 * @internal Throws unless `actor` names who makes an administrative change: INVALID_OPTION when it is
 * missing or not a 1–256 character string, INVALID_INPUT for a control character or lone surrogate
 * (it goes into audit events and logs).
 */
export function checkActor(actor: unknown): string {
  if (typeof actor !== 'string' || actor.length === 0 || actor.length > 256) {
    throw new MfaError('INVALID_OPTION', 'actor (who makes this administrative change) must be a string of 1 to 256 characters');
  }
  return checkText('actor', actor);
}

/**
 * `adminReset`: an administrator clears another user's MFA whatever its
 * state — secret, recovery codes, lockout and, unless `revokeApiPasswordsOnAdminReset` is false, the
 * API passwords (one minted during a compromise must not outlive the reset). The user's policy stays,
 * so a user under a policy is asked to enrol again at next login. `actor` is required; the call is
 * audited even when there was nothing to clear (`unchanged: true`), and always bumps the MFA epoch
 * (every session bound to the old one ends).
 */
export function adminReset(
  record: MfaRecord,
  command: { readonly actor: string },
  ctx: TransitionContext,
): Transition<AdminResetResult> {
  const actor = checkActor(command.actor);
  const previous = record.status;
  const base = { userId: record.userId, at: ctx.now } as const;
  // What the features clear too (API passwords: one minted during a compromise must not outlive it).
  const extra = [];
  for (const f of ctx.features?.list ?? []) {
    const cleared = f.adminReset?.(record, ctx);
    if (cleared != null) extra.push(cleared);
  }
  const unchanged =
    previous === 'disabled' &&
    record.failures === 0 &&
    record.lockedUntil === null &&
    !isResetPending(record) &&
    (record.clients ?? null) === null &&
    extra.length === 0;
  const events: MfaEvent[] = [unchanged ? { ...base, type: 'reset', by: 'admin', actor, unchanged: true } : { ...base, type: 'reset', by: 'admin', actor }];
  let next: MfaRecord = unchanged ? record : { ...cleared(record, ctx), failures: 0, lockedUntil: null, clients: null };
  for (const e of extra) {
    next = { ...next, ...e.patch };
    events.push(...e.events);
  }
  // Even with nothing to clear the epoch moves: an administrator's reset ends every session.
  return { record: bumpEpoch(next, ctx, events), result: { ok: true, previous }, events };
}
