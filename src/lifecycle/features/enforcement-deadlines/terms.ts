// The grace terms of an enforcement policy: how they are checked and stored, read back, and what
// grace a set of policies grants a user. Pure functions over plain data.
import { MfaError } from '../../../errors.js';
import { checkInteger } from '../../../_internal/check.js';
import { checkUserId, type EnforcementGrace, type EnforcementPolicy, type PolicyTarget, type StoredPolicy } from '../policy/policy.js';
import { isInt } from '../slice-check.js';

const DAY = 86_400_000;
/** Longest relative deadline: ten years. */
const MAX_WITHIN = 3650 * DAY;

/**
 * @internal `policy` as stored, its terms beyond `required` checked: `enrollBy` (a `Date`: the
 * absolute time in ms), `enrollWithin` (a duration: ms from when the policy first reaches the user),
 * `graceLogins`, `exempt` (scope policies only).
 *
 * @throws {@link MfaError} `INVALID_OPTION` for a bad term, INVALID_INPUT for a bad exempt id
 */
export function storeTerms(policy: EnforcementPolicy, target: PolicyTarget): StoredPolicy {
  const out: Record<string, unknown> = { required: policy.required };
  const { enrollBy, graceLogins, exempt } = policy;
  if (enrollBy instanceof Date) {
    const at = enrollBy.getTime();
    if (!Number.isSafeInteger(at)) throw new MfaError('INVALID_OPTION', 'enrollBy must be a valid Date or a duration in ms');
    out.enrollBy = at;
  } else if (enrollBy !== undefined) {
    out.enrollWithin = checkInteger('enrollBy (a duration in ms)', enrollBy, 1, MAX_WITHIN);
  }
  if (graceLogins !== undefined) out.graceLogins = checkInteger('graceLogins', graceLogins, 0, 100_000);
  if (exempt !== undefined) {
    if (!('scope' in target)) throw new MfaError('INVALID_OPTION', 'exempt applies to scope policies only');
    if (!Array.isArray(exempt) || exempt.length > 1000) throw new MfaError('INVALID_OPTION', 'exempt must be an array of at most 1000 user ids');
    for (const id of exempt) checkUserId(id);
    out.exempt = [...new Set(exempt)];
  }
  return out as StoredPolicy;
}

/** @internal A stored policy as the application set it. */
export function viewTerms(stored: StoredPolicy): EnforcementPolicy {
  const out: { required: boolean; enrollBy?: Date | number; graceLogins?: number; exempt?: readonly string[] } = { required: stored.required };
  if (isInt(stored.enrollBy)) out.enrollBy = new Date(stored.enrollBy);
  else if (isInt(stored.enrollWithin)) out.enrollBy = stored.enrollWithin;
  if (isInt(stored.graceLogins)) out.graceLogins = stored.graceLogins;
  if (Array.isArray(stored.exempt)) out.exempt = stored.exempt as string[];
  return out;
}

const earlier = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));

/**
 * @internal The grace `policies` grant a user they first reached at `since`: the earliest deadline and
 * the fewest grace logins among them; null when one of them grants none (enrol now).
 */
export function graceOf(policies: readonly StoredPolicy[], since: number): EnforcementGrace | null {
  let deadline: number | null = null;
  let loginsLeft: number | null = null;
  for (const p of policies) {
    const at = isInt(p.enrollBy) ? p.enrollBy : isInt(p.enrollWithin) ? since + p.enrollWithin : null;
    const logins = isInt(p.graceLogins) ? p.graceLogins : null;
    if (at === null && logins === null) return null;
    deadline = earlier(deadline, at);
    loginsLeft = earlier(loginsLeft, logins);
  }
  return { deadline, loginsLeft };
}

/**
 * @internal The grace in force: what the policies grant now, never more than what the user was
 * granted before (`fixed`): re-setting a policy, even a longer one, does not renew it; a stricter
 * one shortens it.
 */
export function tighter(granted: EnforcementGrace, fixed: EnforcementGrace | null): EnforcementGrace {
  if (fixed === null) return granted;
  return { deadline: earlier(granted.deadline, fixed.deadline), loginsLeft: earlier(granted.loginsLeft, fixed.loginsLeft) };
}

/** @internal True while the grace runs: before the deadline and with a grace login left. */
export function graceRuns(grace: EnforcementGrace, now: number): boolean {
  return (grace.deadline === null || now < grace.deadline) && (grace.loginsLeft === null || grace.loginsLeft > 0);
}
