import { checkActor } from './management.js';
import type { MfaEvent } from '../../events.js';
import type { MfaRecord } from '../../record.js';
import type { Transition, TransitionContext } from '../../transition-types.js';
import { clientsUnlocked } from '../throttle/client-throttle.js';

/** Result of `unlock`: `failures` is the account's consecutive-failure count it cleared. */
export interface UnlockResult {
  readonly ok: true;
  readonly failures: number;
}

/**
 * `unlock`: an administrator (support) clears the failure state only — the account's counter and
 * lock, and every client's — and nothing else: the factor, recovery codes, policy and API passwords
 * stay, unlike `adminReset`. `actor` is required, and the `unlocked` event is emitted even when
 * nothing was locked, so every use is audited.
 */
export function unlock(record: MfaRecord, command: { readonly actor: string }, ctx: TransitionContext): Transition<UnlockResult> {
  const actor = checkActor(command.actor);
  const event: MfaEvent = { type: 'unlocked', userId: record.userId, at: ctx.now, actor, failures: record.failures };
  const result: UnlockResult = { ok: true, failures: record.failures };
  const locked = record.failures !== 0 || record.lockedUntil !== null || (record.clients ?? []).some((c) => c.failures !== 0 || c.lockedUntil !== null);
  if (!locked) return { record, result, events: [event] };
  const next = clientsUnlocked({ ...record, failures: 0, lockedUntil: null, updatedAt: ctx.now });
  return { record: next, result, events: [event] };
}
