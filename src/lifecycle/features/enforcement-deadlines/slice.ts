import { isInt, isObject } from '../slice-check.js';

/**
 * The grace a user was granted under an enforcement policy with a deadline, fixed when the policy
 * first reached them (`since`): the deadline (ms) and the grace logins left; null for a term not set.
 */
export interface EnforcementState {
  readonly since: number;
  readonly deadline: number | null;
  readonly loginsLeft: number | null;
}

/** The slice of `MfaRecord` the `enforcementDeadlines()` feature owns. */
export interface EnforcementSlice {
  readonly enforcement?: EnforcementState | null;
}

const isIntOrNull = (v: unknown): boolean => v === null || isInt(v);

/** @internal Validates a stored `enforcement` slice; the problem, or null. */
export function enforcementProblem(value: unknown): string | null {
  if (!isObject(value) || !isInt(value.since) || !isIntOrNull(value.deadline)) return 'enforcement';
  return isIntOrNull(value.loginsLeft) && (value.loginsLeft === null || (value.loginsLeft as number) >= 0) ? null : 'enforcement.loginsLeft';
}

// The slice joins `MfaRecord` from here, so the record module never imports a feature.
declare module '../../record.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merged into MfaRecord
  interface MfaRecord extends EnforcementSlice {}
}
