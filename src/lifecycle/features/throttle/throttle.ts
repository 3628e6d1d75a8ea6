import type { CheckedOperation, MfaEvent } from '../../events.js';
import type { ResolvedLifecycleOptions } from '../../options.js';
import type { MfaRecord } from '../../record.js';

/**
 * True while the record is locked out at `now`: every check then answers `locked` without looking
 * at the input, so a locked account gives an attacker no signal at all (RFC 4226 §7.3).
 *
 * @example
 * ```ts
 * import { emptyRecord, isLocked } from 'mfakit/lifecycle';
 * isLocked(emptyRecord('alice', 0), Date.now()); // false
 * ```
 */
export function isLocked(record: MfaRecord, now: number): boolean {
  return record.lockedUntil !== null && now < record.lockedUntil;
}

/**
 * Lock duration after `failures` consecutive failures, or 0 below the threshold: `baseLockMs` at the
 * threshold, doubling with each further failure, capped at `maxLockMs`.
 *
 * @example
 * ```ts
 * import { lockDuration, resolveLifecycleOptions } from 'mfakit/lifecycle';
 * const { throttle } = resolveLifecycleOptions({ issuer: 'Acme' });
 * lockDuration(6, throttle); // 60000
 * ```
 */
export function lockDuration(failures: number, throttle: ResolvedLifecycleOptions['throttle']): number {
  if (throttle === null || failures < throttle.maxFailures) return 0;
  const doublings = failures - throttle.maxFailures;
  // 2^40 ms is decades: beyond it the cap applies anyway and the power stays exact.
  if (doublings >= 40) return throttle.maxLockMs;
  return Math.min(throttle.maxLockMs, throttle.baseLockMs * 2 ** doublings);
}

/**
 * @internal Counts a failed check: adds `weight` (the guesses it stood for: one per secret-window
 * checked, see `authenticators()`) and locks once the count reaches the threshold.
 */
export function countFailure(
  record: MfaRecord,
  operation: CheckedOperation,
  now: number,
  options: ResolvedLifecycleOptions,
  events: MfaEvent[],
  weight?: number,
): MfaRecord {
  const failures = record.failures + (weight ?? 1);
  const lock = lockDuration(failures, options.throttle);
  const lockedUntil = lock > 0 ? now + lock : record.lockedUntil;
  events.push({ type: 'failed', userId: record.userId, at: now, operation, reason: 'mismatch', failures });
  if (lock > 0) events.push({ type: 'locked', userId: record.userId, at: now, until: now + lock, failures });
  return { ...record, failures, lockedUntil, updatedAt: now };
}

/** @internal A success clears the failure count and any expired lock. */
export function clearFailures(record: MfaRecord): MfaRecord {
  return record.failures === 0 && record.lockedUntil === null ? record : { ...record, failures: 0, lockedUntil: null };
}
