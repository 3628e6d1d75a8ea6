// The one shape of a refused check in a transition's answer: the check's record (a counted failure is
// stored) and events, and `{ ok: false, reason }` with `retryAt` only when the check set one.
import type { MfaEvent } from './events.js';
import type { MfaRecord } from './record.js';
import type { Transition } from './transition-types.js';

/** @internal The transition answering a refused check. */
export function refused<R>(check: { readonly record: MfaRecord; readonly reason: string; readonly retryAt?: number | undefined }, events: readonly MfaEvent[]): Transition<R> {
  const { record, reason, retryAt } = check;
  return { record, result: (retryAt === undefined ? { ok: false, reason } : { ok: false, reason, retryAt }) as R, events };
}
