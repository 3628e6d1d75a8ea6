// The pure transition of `setPolicy({ userId }, …)`: the per-user policy is a field of the user's record.
import type { Transition, TransitionContext } from '../../transition-types.js';
import type { MfaRecord } from '../../record.js';
import type { MfaCoreCommand } from '../../transitions.js';
import { checkActor } from '../management/management.js';
import { samePolicy } from './policy.js';

/**
 * `setPolicy({ userId }, …)`: sets (or with `null` removes) the per-user enforcement policy, with the
 * grace `terms` a feature checked (`enforcementDeadlines()`). `actor` is required; setting the policy
 * already set changes nothing but is still audited (`unchanged: true`). Answers whether it changed.
 */
export function setUserPolicy(
  record: MfaRecord,
  command: Extract<MfaCoreCommand, { type: 'setUserPolicy' }>,
  ctx: TransitionContext,
): Transition<{ readonly ok: true; readonly changed: boolean }> {
  const actor = checkActor(command.actor);
  const policy = command.required === null ? null : { ...command.terms, required: command.required };
  const event = { type: 'policy_changed', userId: record.userId, at: ctx.now, required: command.required, actor } as const;
  if (samePolicy(record.policy, policy)) {
    return { record, result: { ok: true, changed: false }, events: [{ ...event, unchanged: true }] };
  }
  return { record: { ...record, policy, updatedAt: ctx.now }, result: { ok: true, changed: true }, events: [event] };
}
