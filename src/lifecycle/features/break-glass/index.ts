// Break-glass recovery as an opt-in feature: `createMfa({ features: [breakGlassRecovery({ notify })] })`.
// For a user who lost the device and every recovery code: a request starts a cooling-off period,
// the owner is notified at the start and once more before the end, any successful login with a
// factor cancels it (the real owner still has one), and after the period `completeRecovery` resets
// MFA. The library runs no timers: the app's scheduler calls `remindRecovery`, and
// `completeRecovery` sends the final notice itself (and waits) when the scheduler did not.
import { MfaError } from '../../../errors.js';
import type { MfaFeature } from '../../feature.js';
import { breakGlassProblem } from './slice.js';
import {
  cancelRecoveryTransition,
  closeOpen,
  completeRecoveryTransition,
  remindRecoveryTransition,
  requestRecoveryTransition,
  resolveBreakGlassOptions,
  sliceOf,
  completesAt,
  type CompleteRecoveryResult,
  type RemindRecoveryResult,
  type RequestRecoveryResult,
} from './transitions.js';

/** The commands of break-glass recovery; part of `MfaCommand`. */
export type BreakGlassCommand =
  | { readonly type: 'requestRecovery'; readonly reason?: string }
  | { readonly type: 'remindRecovery' }
  | { readonly type: 'cancelRecovery'; readonly actor?: string }
  | { readonly type: 'completeRecovery'; readonly actor: string };

/** The result type of each {@link BreakGlassCommand}. */
export interface BreakGlassResults {
  requestRecovery: RequestRecoveryResult;
  remindRecovery: RemindRecoveryResult;
  cancelRecovery: CancelRecoveryResult;
  completeRecovery: CompleteRecoveryResult;
}

// The commands and results join `MfaCommand`/`MfaResults` from here (no core file imports a feature).
declare module '../../transitions.js' {
  interface MfaFeatureCommands {
    breakGlassRecovery: BreakGlassCommand;
  }
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merged into MfaResults
  interface MfaResults extends BreakGlassResults {}
}

/** Result of `cancelRecovery`: `cancelled` false when nothing was open. */
export interface CancelRecoveryResult {
  readonly ok: true;
  readonly cancelled: boolean;
  readonly requestId?: string;
}

/** What the notifier is told; deliver it to the account owner's known addresses (not to the requester only). */
export interface RecoveryNotice {
  /** `started`: a request was made; `reminder`: the final notice before completion; then `cancelled` or `completed`. */
  readonly kind: 'started' | 'reminder' | 'cancelled' | 'completed';
  readonly userId: string;
  readonly requestId: string;
  /** When MFA can be reset (for `reminder`: the effective time, at least `remindBefore` from now). */
  readonly availableAt: number | null;
}

/** The state of a user's request, for a support page. */
export interface RecoveryStatus {
  readonly open: boolean;
  readonly requestId?: string;
  readonly reason?: string;
  readonly requestedAt?: number;
  readonly availableAt?: number;
  /** Null until the final notice was sent. */
  readonly completesAt?: number | null;
}

/** Options of {@link breakGlassRecovery}. */
export interface BreakGlassRecoveryOptions {
  /** Tells the owner; awaited after each committed step. An error it throws reaches the caller (the step stays committed). */
  readonly notify: (notice: RecoveryNotice) => void | Promise<void>;
  /** Cooling-off period, ms. Default 72 hours. */
  readonly coolingOff?: number;
  /** The final notice goes this long before completion is possible, ms. Default a third of `coolingOff`, at most 24 hours. */
  readonly remindBefore?: number;
  /** Requests per user within `period` (cancelled ones count). Default 3. */
  readonly maxRequests?: number;
  /** Default 30 days. */
  readonly period?: number;
}

/** Service methods break-glass recovery adds to `Mfa`. */
export interface BreakGlassRecoveryMfa {
  /** Starts the cooling-off period (the owner is notified). Only for users with MFA; throttled. */
  requestRecovery(userId: string, options?: { reason?: string }): Promise<RequestRecoveryResult>;
  /** Run from your scheduler for users with an open request: sends the final notice once, when due. */
  remindRecovery(userId: string): Promise<RemindRecoveryResult>;
  /** The user (or an administrator, with `actor`) cancels the open request. */
  cancelRecovery(userId: string, options?: { actor?: string }): Promise<CancelRecoveryResult>;
  /** After the cooling-off period and the final notice: resets MFA. `actor` is audited. */
  completeRecovery(userId: string, options: { actor: string }): Promise<CompleteRecoveryResult>;
  /** The open request, if any. Reads only. */
  recoveryStatus(userId: string): Promise<RecoveryStatus>;
}

/**
 * Break-glass recovery for a user who lost the device and every recovery code: a cooling-off period
 * (72 h by default) that any login with a factor cancels, notices to the owner at the start and
 * before the end, then a reset of MFA. Every step is an audited event.
 *
 * @throws {@link MfaError} `INVALID_OPTION` for bad options or a missing `notify`
 * @example
 * ```ts
 * import { createMfa, MemoryStore, breakGlassRecovery } from 'mfakit';
 * declare function mailOwner(userId: string, text: string): Promise<void>;
 * const mfa = createMfa({
 *   store: new MemoryStore(),
 *   issuer: 'Acme',
 *   features: [breakGlassRecovery({ notify: (n) => mailOwner(n.userId, `MFA recovery ${n.kind}; not you? Sign in to cancel.`) })],
 * });
 * const asked = await mfa.requestRecovery('u1', { reason: 'lost phone and codes' });
 * // …72 hours later, from the app's scheduler:
 * await mfa.remindRecovery('u1');
 * const done = await mfa.completeRecovery('u1', { actor: 'self-service' });
 * if (done.ok) console.log('MFA reset; the user enrols again');
 * ```
 */
export function breakGlassRecovery(options: BreakGlassRecoveryOptions): MfaFeature<BreakGlassRecoveryMfa> {
  const notify = options?.notify;
  if (typeof notify !== 'function') throw new MfaError('INVALID_OPTION', 'breakGlassRecovery needs notify: the owner must hear of every request');
  const o = resolveBreakGlassOptions(options);
  return {
    name: 'breakGlassRecovery',
    handlers: {
      requestRecovery: (record, command, ctx) => requestRecoveryTransition(record, command, ctx, o),
      remindRecovery: (record, command, ctx) => remindRecoveryTransition(record, command, ctx, o),
      cancelRecovery: cancelRecoveryTransition,
      completeRecovery: (record, command, ctx) => completeRecoveryTransition(record, command, ctx, o),
    },
    slice: { key: 'breakGlass', problem: breakGlassProblem },
    // In the login's own write: a login and a completion racing cannot both succeed.
    afterLogin(record, _method, ctx, events) {
      const closed = closeOpen(record, ctx, 'login');
      if (closed === null) return record;
      events.push(closed.event);
      return closed.record;
    },
    epochBumped(record, ctx) {
      const closed = closeOpen(record, ctx, 'security_change');
      return closed === null ? null : { patch: { breakGlass: closed.record.breakGlass ?? null }, events: [closed.event] };
    },
    methods: ({ execute, read }) => ({
      async requestRecovery(userId, r = {}) {
        const result = (await execute(userId, r.reason === undefined ? { type: 'requestRecovery' } : { type: 'requestRecovery', reason: r.reason })) as RequestRecoveryResult;
        if (result.ok) await notify({ kind: 'started', userId, requestId: result.requestId, availableAt: result.availableAt });
        return result;
      },
      async remindRecovery(userId) {
        const result = (await execute(userId, { type: 'remindRecovery' })) as RemindRecoveryResult;
        if (result.ok && result.sent) await notify({ kind: 'reminder', userId, requestId: result.requestId, availableAt: result.completesAt });
        return result;
      },
      async cancelRecovery(userId, c = {}) {
        const result = (await execute(userId, c.actor === undefined ? { type: 'cancelRecovery' } : { type: 'cancelRecovery', actor: c.actor })) as CancelRecoveryResult;
        if (result.cancelled) await notify({ kind: 'cancelled', userId, requestId: result.requestId!, availableAt: null });
        return result;
      },
      async completeRecovery(userId, c) {
        const result = (await execute(userId, { type: 'completeRecovery', actor: (c as { actor?: string } | undefined)?.actor as string })) as CompleteRecoveryResult;
        if (result.ok) await notify({ kind: 'completed', userId, requestId: result.requestId, availableAt: null });
        else if (result.reason === 'cooling_off' && result.reminderSent === true) {
          await notify({ kind: 'reminder', userId, requestId: result.requestId, availableAt: result.availableAt });
        }
        return result;
      },
      async recoveryStatus(userId) {
        const open = sliceOf(await read(userId)).open;
        if (open === null) return { open: false };
        const { id: requestId, reason, requestedAt, availableAt } = open;
        return { open: true, requestId, reason, requestedAt, availableAt, completesAt: completesAt(open, o) };
      },
    }),
  };
}

export type { RequestRecoveryResult, RemindRecoveryResult, CompleteRecoveryResult } from './transitions.js';
export type { BreakGlassSlice, OpenRecovery } from './slice.js';
export type { BreakGlassEvent } from './events.js';
