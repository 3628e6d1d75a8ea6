import { MfaError } from '../../../errors.js';
import { checkInteger } from '../../../_internal/check.js';
import { encodeBase64Url } from '../../../_internal/base64.js';
import type { MfaEvent } from '../../events.js';
import type { MfaRecord, MfaStatus } from '../../record.js';
import type { Transition, TransitionContext } from '../../transition-types.js';
import { adminReset, checkActor } from '../management/management.js';
import { isResetPending } from '../enrollment/pending-expiry.js';
import type { BreakGlassSlice, OpenRecovery } from './slice.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** @internal Break-glass options with defaults filled in (the notifier stays with the service methods). */
export interface ResolvedBreakGlassOptions {
  readonly coolingOff: number;
  readonly remindBefore: number;
  readonly maxRequests: number;
  readonly period: number;
}

/** @internal Fills in defaults and validates the timing and throttling options. */
export function resolveBreakGlassOptions(o: { coolingOff?: number; remindBefore?: number; maxRequests?: number; period?: number }): ResolvedBreakGlassOptions {
  const coolingOff = checkInteger('breakGlassRecovery.coolingOff', o.coolingOff ?? 72 * HOUR, 60_000, 90 * DAY);
  return {
    coolingOff,
    remindBefore: checkInteger('breakGlassRecovery.remindBefore', o.remindBefore ?? Math.min(DAY, Math.floor(coolingOff / 3)), 60_000, coolingOff),
    maxRequests: checkInteger('breakGlassRecovery.maxRequests', o.maxRequests ?? 3, 1, 100),
    period: checkInteger('breakGlassRecovery.period', o.period ?? 30 * DAY, coolingOff, 366 * DAY),
  };
}

/** Result of `requestRecovery`. `retryAt` comes with `too_many_requests`. */
export type RequestRecoveryResult =
  | { readonly ok: true; readonly requestId: string; readonly availableAt: number }
  | { readonly ok: false; readonly reason: 'not_enrolled' | 'already_open' | 'too_many_requests'; readonly retryAt?: number };

/**
 * Result of `remindRecovery`: `sent` when this call sent the final notice (once per request);
 * `dueAt` when it is due, `completesAt` when the reset becomes possible (null until the notice went).
 */
export type RemindRecoveryResult =
  | { readonly ok: true; readonly requestId: string; readonly sent: boolean; readonly dueAt: number; readonly completesAt: number | null }
  | { readonly ok: false; readonly reason: 'no_request' };

/**
 * Result of `completeRecovery`. `cooling_off`: not yet, try again at `availableAt`; `reminderSent`
 * when this call had to send the final notice itself (the scheduler had not), which moves
 * `availableAt` to `remindBefore` from now so the owner can still cancel.
 */
export type CompleteRecoveryResult =
  | { readonly ok: true; readonly requestId: string; readonly previous: MfaStatus }
  | { readonly ok: false; readonly reason: 'cooling_off'; readonly requestId: string; readonly availableAt: number; readonly reminderSent?: true }
  | { readonly ok: false; readonly reason: 'no_request' };

/** @internal The slice, empty when absent. */
export function sliceOf(record: MfaRecord): { readonly open: OpenRecovery | null; readonly requests: readonly number[] } {
  return record.breakGlass ?? { open: null, requests: [] };
}

function withSlice(record: MfaRecord, slice: NonNullable<BreakGlassSlice['breakGlass']>, now: number): MfaRecord {
  return { ...record, breakGlass: slice, updatedAt: now };
}

/** @internal When the reset becomes possible: the end of cooling-off, and `remindBefore` after the final notice. */
export function completesAt(open: OpenRecovery, o: ResolvedBreakGlassOptions): number | null {
  return open.remindedAt === null ? null : Math.max(open.availableAt, open.remindedAt + o.remindBefore);
}

/**
 * `requestRecovery`: the user lost the device and every recovery code. Starts the cooling-off period;
 * one open request per user, at most `maxRequests` per `period` (cancelled ones count).
 */
export function requestRecoveryTransition(
  record: MfaRecord,
  command: { readonly reason?: string },
  ctx: TransitionContext,
  o: ResolvedBreakGlassOptions,
): Transition<RequestRecoveryResult> {
  const reason = command.reason ?? '';
  if (typeof reason !== 'string' || reason.length > 1000) throw new MfaError('INVALID_OPTION', 'reason must be a string of at most 1000 characters');
  const { now } = ctx;
  const slice = sliceOf(record);
  const recent = slice.requests.filter((t) => t <= now && now - t < o.period);
  const refuse = (why: 'not_enrolled' | 'already_open' | 'too_many_requests', retryAt?: number): Transition<RequestRecoveryResult> => ({
    record,
    result: retryAt === undefined ? { ok: false, reason: why } : { ok: false, reason: why, retryAt },
    events: [{ type: 'recovery_refused', userId: record.userId, at: now, reason: why }],
  });
  if (record.status !== 'active' && !isResetPending(record)) return refuse('not_enrolled');
  if (slice.open !== null) return refuse('already_open');
  if (recent.length >= o.maxRequests) return refuse('too_many_requests', Math.min(...recent) + o.period);
  const open: OpenRecovery = { id: encodeBase64Url(ctx.rng(12)), reason, requestedAt: now, availableAt: now + o.coolingOff, remindedAt: null };
  const event: MfaEvent = { type: 'recovery_requested', userId: record.userId, at: now, requestId: open.id, reason, availableAt: open.availableAt };
  return {
    record: withSlice(record, { open, requests: [...recent, now] }, now),
    result: { ok: true, requestId: open.id, availableAt: open.availableAt },
    events: [event],
  };
}

/**
 * `remindRecovery`: run by the app's scheduler for users with an open request. From `remindBefore`
 * before the end of cooling-off on, marks the final notice sent (once per request; the service then
 * calls the notifier). Earlier calls change nothing.
 */
export function remindRecoveryTransition(record: MfaRecord, _command: object, ctx: TransitionContext, o: ResolvedBreakGlassOptions): Transition<RemindRecoveryResult> {
  const slice = sliceOf(record);
  const open = slice.open;
  if (open === null) return { record, result: { ok: false, reason: 'no_request' }, events: [] };
  const dueAt = open.availableAt - o.remindBefore;
  if (open.remindedAt !== null || ctx.now < dueAt) return { record, result: { ok: true, requestId: open.id, sent: false, dueAt, completesAt: completesAt(open, o) }, events: [] };
  const reminded = { ...open, remindedAt: ctx.now };
  const at = completesAt(reminded, o)!;
  return {
    record: withSlice(record, { ...slice, open: reminded }, ctx.now),
    result: { ok: true, requestId: open.id, sent: true, dueAt, completesAt: at },
    events: [{ type: 'recovery_reminded', userId: record.userId, at: ctx.now, requestId: open.id, completesAt: at }],
  };
}

/** `cancelRecovery`: the user (or an administrator, with `actor`) ends the open request. */
export function cancelRecoveryTransition(
  record: MfaRecord,
  command: { readonly actor?: string },
  ctx: TransitionContext,
): Transition<{ readonly ok: true; readonly cancelled: boolean; readonly requestId?: string }> {
  const actor = command.actor === undefined ? undefined : checkActor(command.actor);
  const slice = sliceOf(record);
  if (slice.open === null) return { record, result: { ok: true, cancelled: false }, events: [] };
  const base = { type: 'recovery_cancelled', userId: record.userId, at: ctx.now, requestId: slice.open.id } as const;
  const event: MfaEvent = actor === undefined ? { ...base, by: 'user' } : { ...base, by: 'admin', actor };
  return { record: withSlice(record, { ...slice, open: null }, ctx.now), result: { ok: true, cancelled: true, requestId: slice.open.id }, events: [event] };
}

/**
 * `completeRecovery`: after the cooling-off period and `remindBefore` after the final notice, resets
 * MFA as an administrator's reset does (factor, recovery codes, lockout, API passwords, trusted
 * devices; the epoch moves on). Without a final notice yet, sends it now and waits `remindBefore`.
 */
export function completeRecoveryTransition(
  record: MfaRecord,
  command: { readonly actor: string },
  ctx: TransitionContext,
  o: ResolvedBreakGlassOptions,
): Transition<CompleteRecoveryResult> {
  const actor = checkActor(command.actor);
  const { now } = ctx;
  const slice = sliceOf(record);
  const open = slice.open;
  if (open === null) return { record, result: { ok: false, reason: 'no_request' }, events: [] };
  if (now < open.availableAt) return { record, result: { ok: false, reason: 'cooling_off', requestId: open.id, availableAt: open.availableAt }, events: [] };
  if (open.remindedAt === null) {
    const reminded = remindRecoveryTransition(record, {}, ctx, o);
    const at = completesAt({ ...open, remindedAt: now }, o)!;
    return { record: reminded.record, result: { ok: false, reason: 'cooling_off', requestId: open.id, availableAt: at, reminderSent: true }, events: reminded.events };
  }
  const at = completesAt(open, o)!;
  if (now < at) return { record, result: { ok: false, reason: 'cooling_off', requestId: open.id, availableAt: at }, events: [] };
  // The request is closed first, so the epoch bump of the reset does not report it as cancelled.
  const reset = adminReset(withSlice(record, { ...slice, open: null }, now), { actor }, ctx);
  return {
    record: reset.record,
    result: { ok: true, requestId: open.id, previous: reset.result.previous },
    events: [...reset.events, { type: 'recovery_completed', userId: record.userId, at: now, requestId: open.id, actor }],
  };
}

/** @internal Closes the open request (`by` in the event); null when none is open. */
export function closeOpen(record: MfaRecord, ctx: TransitionContext, by: 'login' | 'security_change'): { record: MfaRecord; event: MfaEvent } | null {
  const slice = record.breakGlass;
  if (slice == null || slice.open === null) return null;
  return {
    record: { ...record, breakGlass: { ...slice, open: null } },
    event: { type: 'recovery_cancelled', userId: record.userId, at: ctx.now, requestId: slice.open.id, by },
  };
}
