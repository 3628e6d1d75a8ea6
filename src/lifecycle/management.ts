import type { MfaEvent } from './events.js';
import { issueRecoveryCodes } from './enrollment.js';
import { isMfaRequired } from './policy.js';
import type { MfaRecord, MfaStatus } from './record.js';
import type { Transition, TransitionContext } from './transition-types.js';
import { checkFactor, type CheckFailure } from './verification.js';
import { checkTokenProof } from './confirmation.js';
import { redact } from '../_internal/redact.js';
import { checkText } from '../_internal/text.js';
import { MfaError } from '../errors.js';
import { apiPasswordsOf } from './api-passwords.js';

/**
 * Proof that the person asking is the account holder, for `disable` and `regenerateRecoveryCodes`:
 * a current code or an unused recovery code, plus — when `disableRequiresPassword` is set — your
 * own password check's outcome (seed 000: "provide your password and the code").
 *
 * Or `{ token }`: a confirmation token from `issueConfirmationToken` (seed 003: `rm` mails a token
 * valid 15 minutes), consumed once.
 */
export type Proof =
  | { readonly code: string; readonly passwordVerified?: boolean }
  | { readonly token: string; readonly passwordVerified?: boolean };

/** Failures of a {@link Proof}. */
export type ProofFailure = CheckFailure | 'locked' | 'password_required';

/** Result of `disable`. `policy`: an enforcement policy makes MFA mandatory for this user (seed 004). */
export type DisableResult =
  | { readonly ok: true; readonly previous: 'pending' | 'active' }
  | { readonly ok: false; readonly reason: ProofFailure | 'not_enrolled' | 'policy'; readonly retryAt?: number };

/**
 * Result of `regenerateRecoveryCodes`. `not_supported`: the user's factor is e-mail/SMS and
 * `outOfBand.recoveryCodes` is off (seed 000: e-mail MFA "cannot be recovered").
 */
export type RegenerateRecoveryCodesResult =
  | { readonly ok: true; readonly recoveryCodes: readonly string[] }
  | { readonly ok: false; readonly reason: ProofFailure | 'not_active' | 'not_supported'; readonly retryAt?: number };

/** Result of `adminReset`. Always succeeds; `previous` tells what was cleared. */
export interface AdminResetResult {
  readonly ok: true;
  readonly previous: MfaStatus;
}

type ProofCheck =
  | { ok: true; record: MfaRecord }
  | { ok: false; record: MfaRecord; reason: ProofFailure; retryAt?: number };

function proofCheck(
  record: MfaRecord,
  proof: Proof,
  operation: 'disable' | 'regenerateRecoveryCodes',
  ctx: TransitionContext,
  events: MfaEvent[],
  needPassword: boolean,
): ProofCheck {
  if (needPassword && proof?.passwordVerified !== true) return { ok: false, record, reason: 'password_required' };
  const check =
    proof !== null && typeof proof === 'object' && 'token' in proof
      ? checkTokenProof(record, proof.token, operation, ctx, events)
      : checkFactor(record, (proof as { code?: unknown } | undefined)?.code, operation, ctx, events);
  if (check.ok) return { ok: true, record: check.record };
  return check.retryAt === undefined
    ? { ok: false, record: check.record, reason: check.reason }
    : { ok: false, record: check.record, reason: check.reason, retryAt: check.retryAt };
}

function cleared(record: MfaRecord, now: number): MfaRecord {
  return { ...record, status: 'disabled', method: null, recoveryCodes: null, activatedAt: null, updatedAt: now };
}

/**
 * `disable`: active → disabled with a proof; pending → disabled without one (there is no working
 * factor yet, the caller's session is the proof). Refused with `policy` while a policy requires MFA.
 */
export function disable(
  record: MfaRecord,
  command: { readonly proof: Proof },
  ctx: TransitionContext,
): Transition<DisableResult> {
  const { now } = ctx;
  if (record.status === 'disabled') return { record, result: { ok: false, reason: 'not_enrolled' }, events: [] };
  if (isMfaRequired(record, ctx.scopeRequired)) return { record, result: { ok: false, reason: 'policy' }, events: [] };
  const previous = record.status;
  const events: MfaEvent[] = [];
  let base = record;
  if (previous === 'active') {
    const check = proofCheck(record, command.proof, 'disable', ctx, events, ctx.options.disableRequiresPassword);
    if (!check.ok) {
      const result: DisableResult =
        check.retryAt === undefined ? { ok: false, reason: check.reason } : { ok: false, reason: check.reason, retryAt: check.retryAt };
      return { record: check.record, result, events };
    }
    base = check.record;
  }
  events.push({ type: 'disabled', userId: record.userId, at: now, previous });
  return { record: cleared(base, now), result: { ok: true, previous }, events };
}

/** `regenerateRecoveryCodes`: with a proof, a new set replaces the old one; every old code stops working. */
export function regenerateRecoveryCodes(
  record: MfaRecord,
  command: { readonly proof: Proof },
  ctx: TransitionContext,
): Transition<RegenerateRecoveryCodesResult> {
  if (record.status !== 'active') return { record, result: { ok: false, reason: 'not_active' }, events: [] };
  if (record.method?.type !== 'totp' && !ctx.options.outOfBand.recoveryCodes) {
    return { record, result: { ok: false, reason: 'not_supported' }, events: [] };
  }
  const events: MfaEvent[] = [];
  const check = proofCheck(record, command.proof, 'regenerateRecoveryCodes', ctx, events, false);
  if (!check.ok) {
    const result: RegenerateRecoveryCodesResult =
      check.retryAt === undefined ? { ok: false, reason: check.reason } : { ok: false, reason: check.reason, retryAt: check.retryAt };
    return { record: check.record, result, events };
  }
  const { codes, set } = issueRecoveryCodes(ctx);
  events.push({ type: 'codes_regenerated', userId: record.userId, at: ctx.now, count: codes.length });
  return { record: { ...check.record, recoveryCodes: set }, result: redact({ ok: true, recoveryCodes: codes }, ['recoveryCodes']), events };
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
 * `adminReset`: an administrator (seed 004's root user) clears another user's MFA whatever its
 * state — secret, recovery codes, lockout and, unless `revokeApiPasswordsOnAdminReset` is false, the
 * API passwords (one minted during a compromise must not outlive the reset). The user's policy stays,
 * so a user under a policy is asked to enrol again at next login. `actor` is required; the call is
 * audited even when there was nothing to clear (`unchanged: true`).
 */
export function adminReset(
  record: MfaRecord,
  command: { readonly actor: string },
  ctx: TransitionContext,
): Transition<AdminResetResult> {
  const actor = checkActor(command.actor);
  const previous = record.status;
  const base = { userId: record.userId, at: ctx.now } as const;
  const revoke = ctx.options.revokeApiPasswordsOnAdminReset ? apiPasswordsOf(record) : [];
  if (previous === 'disabled' && record.failures === 0 && record.lockedUntil === null && revoke.length === 0) {
    return { record, result: { ok: true, previous }, events: [{ ...base, type: 'reset', by: 'admin', actor, unchanged: true }] };
  }
  let next: MfaRecord = { ...cleared(record, ctx.now), failures: 0, lockedUntil: null };
  const events: MfaEvent[] = [{ ...base, type: 'reset', by: 'admin', actor }];
  if (revoke.length > 0) {
    next = { ...next, apiPasswords: [] };
    for (const p of revoke) events.push({ ...base, type: 'api_password_revoked', id: p.id, by: 'admin' });
  }
  return { record: next, result: { ok: true, previous }, events };
}

/**
 * `setPolicy({ userId }, …)`: sets (or with `null` removes) the per-user enforcement flag. `actor` is
 * required; setting the value already set changes nothing but is still audited (`unchanged: true`).
 */
export function setUserPolicy(
  record: MfaRecord,
  command: { readonly required: boolean | null; readonly actor: string },
  ctx: TransitionContext,
): Transition<{ readonly ok: true }> {
  const actor = checkActor(command.actor);
  const policy = command.required === null ? null : { required: command.required };
  const event = { type: 'policy_changed', userId: record.userId, at: ctx.now, required: command.required, actor } as const;
  if ((record.policy?.required ?? null) === command.required) {
    return { record, result: { ok: true }, events: [{ ...event, unchanged: true }] };
  }
  return { record: { ...record, policy, updatedAt: ctx.now }, result: { ok: true }, events: [event] };
}
