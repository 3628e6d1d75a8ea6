import type { CheckedOperation, MfaEvent } from '../../events.js';
import type { MfaRecord } from '../../record.js';
import { isLocked } from '../throttle/throttle.js';
import type { TransitionContext } from '../../transition-types.js';
import { checkFactor, type CheckFailure } from '../login/verification.js';
import { featureMissing } from '../../feature.js';

/**
 * Proof that the person asking is the account holder, for `resetSecret`, `disable` and
 * `regenerateRecoveryCodes`. One of:
 *
 * - `{ code }`: a current code or (with the `recoveryCodes()` feature) an unused recovery code;
 * - `{ token }`: a confirmation token from `issueConfirmationToken` (e.g. mailed for a remove command as a token
 *   valid 15 minutes), consumed once;
 * - `{ fresh: true }`: the user passed `verifyLogin` at most `freshWithin` ago (step-up). It is about
 *   the user, not your session: only offer it to a session that itself passed the second factor.
 *
 * With `disableRequiresPassword`, each also needs your own password check's outcome,
 * `passwordVerified: true` (password and code).
 */
export type Proof =
  | { readonly code: string; readonly passwordVerified?: boolean }
  | { readonly token: string; readonly passwordVerified?: boolean }
  | { readonly fresh: true; readonly passwordVerified?: boolean };

/**
 * Failures of a {@link Proof}. `proof_required`: this proof cannot vouch here — no login within
 * `freshWithin` for `{ fresh: true }`, or a `{ code }` while a reset is pending (no confirmed factor
 * exists whose code could prove anything).
 */
export type ProofFailure = CheckFailure | 'locked' | 'password_required' | 'proof_required';

/** @internal What {@link proofCheck} answers: the record to store either way. */
export type ProofCheck =
  | { ok: true; record: MfaRecord }
  | { ok: false; record: MfaRecord; reason: ProofFailure; retryAt?: number };

/** @internal True when the user passed `verifyLogin` within `freshWithin` of `now`. */
export function isFresh(record: MfaRecord, ctx: TransitionContext): boolean {
  const window = ctx.options.freshWithin;
  const at = record.verifiedAt;
  return window !== null && typeof at === 'number' && at <= ctx.now && ctx.now - at <= window;
}

/**
 * @internal Checks a {@link Proof} for a sensitive operation. Honours the lockout for every kind; a
 * wrong code or token counts as a failure; `{ fresh: true }` is checked without counting anything.
 */
export function proofCheck(
  record: MfaRecord,
  proof: Proof,
  operation: CheckedOperation,
  ctx: TransitionContext,
  events: MfaEvent[],
  needPassword: boolean,
): ProofCheck {
  if (needPassword && proof?.passwordVerified !== true) return { ok: false, record, reason: 'password_required' };
  if (proof !== null && typeof proof === 'object' && 'fresh' in proof && proof.fresh === true) {
    if (isLocked(record, ctx.now)) return { ok: false, record, reason: 'locked', retryAt: record.lockedUntil! };
    return isFresh(record, ctx) ? { ok: true, record } : { ok: false, record, reason: 'proof_required' };
  }
  let check;
  if (proof !== null && typeof proof === 'object' && 'token' in proof) {
    const checkToken = ctx.features?.checkToken;
    if (checkToken === undefined) throw featureMissing('a { token } proof', 'confirmationTokens()');
    check = checkToken(record, proof.token, operation, ctx, events);
  } else {
    check = checkFactor(record, (proof as { code?: unknown } | undefined)?.code, operation, ctx, events);
  }
  // A refusal as the check answered it (callers read record, reason and retryAt).
  return check.ok ? { ok: true, record: check.record } : check;
}
