import type { MfaEvent } from '../../events.js';
import type { MfaRecord } from '../../record.js';
import type { Transition, TransitionContext } from '../../transition-types.js';
import { isResetPending } from '../enrollment/pending-expiry.js';
import { loginRequirementOf, type EnforcementGrace, type LoginRequirement, type StoredPolicy } from '../policy/policy.js';
import { graceOf, graceRuns, tighter } from './terms.js';

/** What `recordPasswordLogin` (and `getStatus`) answer: the requirement, with the grace when it is `enroll-optional`. */
export interface LoginRequirementAnswer {
  readonly loginRequirement: LoginRequirement;
  /** With `enroll-optional`: the deadline and the grace logins left (after this login, when one was counted). */
  readonly grace?: EnforcementGrace;
}

/** The command of the feature: `scopes` are the scope policies that apply to the user. */
export interface EnforcementGraceCommand {
  readonly type: 'enforcementGrace';
  readonly scopes: readonly StoredPolicy[];
  /** A successful password login: count it against the grace logins. */
  readonly count: boolean;
}

/**
 * `enforcementGrace`: what a user the policies require MFA of, and who has none, is asked. While
 * their grace runs — before its deadline, with a grace login left — `enroll-optional`; after it
 * `enroll`. The first time the grace reaches the user it is fixed in their record (a duration is
 * counted from then; `enforcement_grace_started`); with `count`, one grace login is used (the write
 * is a compare-and-set, so concurrent logins each use their own). Every other requirement (`none`,
 * `confirm`, `verify`, and `enroll` after an unfinished reset) is answered unchanged.
 */
export function enforcementGraceTransition(
  record: MfaRecord,
  command: EnforcementGraceCommand,
  ctx: TransitionContext,
): Transition<LoginRequirementAnswer> {
  const scopes = Array.isArray(command.scopes) ? command.scopes : [];
  const requirement = loginRequirementOf(record, scopes.length > 0);
  if (requirement !== 'enroll' || isResetPending(record)) return { record, result: { loginRequirement: requirement }, events: [] };
  const policies = record.policy?.required === true ? [record.policy, ...scopes] : scopes;
  const fixed = record.enforcement ?? null;
  const since = fixed?.since ?? ctx.now;
  const granted = graceOf(policies, since);
  if (granted === null) return { record, result: { loginRequirement: 'enroll' }, events: [] };
  const grace = tighter(granted, fixed);
  if (!graceRuns(grace, ctx.now)) return { record, result: { loginRequirement: 'enroll' }, events: [] };
  const base = { userId: record.userId, at: ctx.now } as const;
  const events: MfaEvent[] = [];
  if (fixed === null) events.push({ ...base, type: 'enforcement_grace_started', deadline: grace.deadline, loginsLeft: grace.loginsLeft });
  let after = grace;
  if (command.count === true && grace.loginsLeft !== null) {
    after = { deadline: grace.deadline, loginsLeft: grace.loginsLeft - 1 };
    events.push({ ...base, type: 'enforcement_grace_login', deadline: after.deadline, loginsLeft: after.loginsLeft! });
  }
  const result = { loginRequirement: 'enroll-optional', grace: after } as const;
  if (fixed !== null && fixed.deadline === after.deadline && fixed.loginsLeft === after.loginsLeft) return { record, result, events };
  return { record: { ...record, enforcement: { since, ...after }, updatedAt: ctx.now }, result, events };
}
