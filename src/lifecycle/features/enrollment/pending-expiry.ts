import type { MfaEvent } from '../../events.js';
import type { ResolvedLifecycleOptions } from '../../options.js';
import type { MfaRecord } from '../../record.js';

/**
 * True while a `resetSecret` is unfinished: an active factor was replaced and the new one is not
 * confirmed (pending), or it expired before it was (disabled, must enrol again). Such a user still
 * counts as enrolled: `disable` needs a proof and the API refuses the account password.
 *
 * @example
 * ```ts
 * import { emptyRecord, isResetPending } from 'mfakit';
 * isResetPending(emptyRecord('alice', 0)); // false
 * ```
 */
export function isResetPending(record: MfaRecord): boolean {
  return typeof record.resetAt === 'number' && record.status !== 'active';
}

/**
 * When the pending enrolment of `record` stops being confirmable (its factor's `createdAt` plus
 * `pendingTtl`), or null: not pending, or pending enrolments never expire.
 *
 * @example
 * ```ts
 * import { emptyRecord, pendingExpiresAt, resolveLifecycleOptions } from 'mfakit';
 * pendingExpiresAt(emptyRecord('alice', 0), resolveLifecycleOptions({ issuer: 'Acme' })); // null
 * ```
 */
export function pendingExpiresAt(record: MfaRecord, options: ResolvedLifecycleOptions): number | null {
  if (record.status !== 'pending' || record.method === null || options.pendingTtl === null) return null;
  return record.method.createdAt + options.pendingTtl;
}

/**
 * @internal The record as the lifecycle reads it at `now`: a pending enrolment past `pendingTtl` has
 * its factor dropped (status `disabled`); everything else — policy, counters, API passwords, a
 * reset's `resetAt` — stays. The same object when nothing expired. Every transition and every read
 * go through it, so an expired enrolment behaves the same on every store, written or not.
 */
export function withoutExpiredPending(
  record: MfaRecord,
  now: number,
  options: ResolvedLifecycleOptions,
): { record: MfaRecord; events: MfaEvent[] } {
  const expiresAt = pendingExpiresAt(record, options);
  if (expiresAt === null || now < expiresAt) return { record, events: [] };
  const event: MfaEvent = {
    type: 'enrollment_expired',
    userId: record.userId,
    at: now,
    method: record.method!.type,
    reset: isResetPending(record),
  };
  const dropped: MfaRecord = { ...record, status: 'disabled', method: null, recoveryCodes: null, activatedAt: null, updatedAt: now };
  return { record: dropped, events: [event] };
}
