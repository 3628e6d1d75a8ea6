import { MfaError } from '../../../errors.js';
import { checkText } from '../../../_internal/text.js';
import type { MfaRecord } from '../../record.js';
import type { StoredRecord } from '../../store.js';
import type { RecordCodec, Step } from '../../engine.js';
import { isResetPending } from '../enrollment/pending-expiry.js';

/**
 * Who an enforcement policy applies to: every user in a scope (an organisation, a tenant), or one user.
 * Which scopes a user belongs to is the application's knowledge: pass `policies({ scopes })` to `createMfa`.
 */
export type PolicyTarget = { readonly scope: string } | { readonly userId: string };

/**
 * An enforcement policy: when `required`, users without MFA must enrol and nobody may disable it.
 * The grace terms (`enrollBy`, `graceLogins`, `exempt`) need the `enforcementDeadlines()` feature.
 */
export interface EnforcementPolicy {
  readonly required: boolean;
  /**
   * Until when a user may still skip enrolment: a `Date` (the same cut-off for everyone) or a
   * duration in ms counted from when the policy first reaches the user (their first sign-in under it).
   */
  readonly enrollBy?: Date | number;
  /** How many password logins a user may still skip enrolment on. */
  readonly graceLogins?: number;
  /** Scope policies only: user ids the policy does not apply to (break-glass administrator accounts). */
  readonly exempt?: readonly string[];
}

/**
 * What the login flow must ask for next, after the password. `enroll-optional`: a policy requires
 * MFA but its grace (deadline, grace logins) still runs: offer enrolment, let the user skip it.
 */
export type LoginRequirement = 'none' | 'enroll' | 'enroll-optional' | 'confirm' | 'verify';

/** The grace of a policy with a deadline: when it ends (ms) and how many password logins are left; null for a term not set. */
export interface EnforcementGrace {
  readonly deadline: number | null;
  readonly loginsLeft: number | null;
}

/** Result of `setPolicy`: the policy now set for the target, whether this call changed it, and for a user their resulting status. */
export interface SetPolicyResult<S = unknown> {
  readonly ok: true;
  readonly policy: EnforcementPolicy | null;
  readonly changed: boolean;
  /** For a `{ userId }` target: the user's status with the new policy. */
  readonly status?: S;
}

/** A policy as stored: `required` and the grace terms a feature stored with it (`enforcementDeadlines()`). */
export type StoredPolicy = { readonly required: boolean; readonly [term: string]: unknown };

/** @internal True when two stored policies have the same fields and values (stores may reorder keys). */
export function samePolicy(a: StoredPolicy | null, b: StoredPolicy | null): boolean {
  if (a === null || b === null) return a === b;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

/** @internal True when a scope policy applies to this user: required, and the user is not exempt. */
export function appliesTo(policy: StoredPolicy | null, userId: string): boolean {
  return policy?.required === true && !(Array.isArray(policy.exempt) && policy.exempt.includes(userId));
}

/**
 * Ids starting with this prefix are reserved: scope policies are stored as records in the same store
 * under `mfakit:policy:<scope>`, so every adapter stores them without a schema change. User ids may
 * not start with `mfakit:`.
 *
 * @example
 * ```ts
 * import { RESERVED_ID_PREFIX } from 'mfakit';
 * const userId = 'mfakit:policy:admins';
 * userId.startsWith(RESERVED_ID_PREFIX); // true: not a user id mfakit accepts
 * ```
 */
export const RESERVED_ID_PREFIX = 'mfakit:';

/**
 * The store id of a scope policy record.
 *
 * @example
 * ```ts
 * import { policyRecordId } from 'mfakit/lifecycle';
 * policyRecordId('org:42'); // 'mfakit:policy:org:42'
 * ```
 */
export function policyRecordId(scope: string): string {
  return `${RESERVED_ID_PREFIX}policy:${scope}`;
}

/** A scope policy as stored: versioned like user records. */
export interface ScopePolicyRecord {
  readonly schema: 1;
  readonly kind: 'policy';
  readonly version: number;
  readonly scope: string;
  readonly required: boolean;
  readonly updatedAt: number;
  readonly [extension: string]: unknown;
}

/** @internal Validates a scope-policy record read from a store. */
export function parsePolicyRecord(data: StoredRecord, scope: string): ScopePolicyRecord {
  const r = data as Record<string, unknown>;
  if (
    r.schema !== 1 ||
    r.kind !== 'policy' ||
    r.scope !== scope ||
    typeof r.required !== 'boolean' ||
    !Number.isSafeInteger(r.version) ||
    !Number.isSafeInteger(r.updatedAt)
  ) {
    throw new MfaError('INVALID_RECORD', 'stored policy record is invalid');
  }
  return r as unknown as ScopePolicyRecord;
}

/**
 * @internal Throws INVALID_OPTION for ids the lifecycle cannot store a user under (wrong type, empty,
 * too long, reserved prefix) and INVALID_INPUT for a control character or a lone surrogate.
 */
export function checkUserId(userId: unknown): asserts userId is string {
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > 512) {
    throw new MfaError('INVALID_OPTION', 'userId must be a non-empty string of at most 512 characters');
  }
  checkText('userId', userId);
  if (userId.startsWith(RESERVED_ID_PREFIX)) {
    throw new MfaError('INVALID_OPTION', `user ids starting with "${RESERVED_ID_PREFIX}" are reserved`);
  }
}

/** @internal Throws INVALID_OPTION for a bad scope name, INVALID_INPUT for a control character or lone surrogate. */
export function checkScope(scope: unknown): asserts scope is string {
  if (typeof scope !== 'string' || scope.length === 0 || scope.length > 256) {
    throw new MfaError('INVALID_OPTION', 'scope must be a non-empty string of at most 256 characters');
  }
  checkText('scope', scope);
}

/**
 * Whether MFA is mandatory for this user: their own policy or any scope they belong to requires it.
 * A per-user `required: false` does not exempt a user from an organisation-wide policy (an
 * organisation-wide policy applies to all users, including its administrators).
 *
 * @example
 * ```ts
 * import { emptyRecord, isMfaRequired } from 'mfakit/lifecycle';
 * isMfaRequired(emptyRecord('alice', 0), true); // true
 * ```
 */
export function isMfaRequired(record: MfaRecord, scopeRequired: boolean): boolean {
  return scopeRequired || record.policy?.required === true;
}

/**
 * What the login flow asks next: `verify` when MFA is active, `confirm` when an enrolment is
 * pending ("finalized on the next login"), `enroll` when a policy requires MFA the user has
 * not set up ("set it up at your next login") or when a reset expired unconfirmed,
 * otherwise `none`. Pass the record as read at `now` (an expired enrolment dropped).
 *
 * @example
 * ```ts
 * import { emptyRecord, loginRequirementOf } from 'mfakit/lifecycle';
 * loginRequirementOf(emptyRecord('alice', 0), false); // 'none'
 * ```
 */
export function loginRequirementOf(record: MfaRecord, scopeRequired: boolean): LoginRequirement {
  switch (record.status) {
    case 'active':
      return 'verify';
    case 'pending':
      return 'confirm';
    default:
      // A reset whose new factor expired unconfirmed: the user had MFA and must set it up again.
      return isMfaRequired(record, scopeRequired) || isResetPending(record) ? 'enroll' : 'none';
  }
}

/** @internal The engine codec of the scope-policy record of `scope`. */
export function scopePolicyCodec(scope: string): RecordCodec<ScopePolicyRecord> {
  return {
    empty: (_id, now) => ({ schema: 1, kind: 'policy', version: 0, scope, required: false, updatedAt: now }),
    parse: (data) => parsePolicyRecord(data, scope),
  };
}

/** @internal The policy part of a scope-policy record (`required` and the stored grace terms), or null. */
export function scopePolicyOf(record: ScopePolicyRecord, exists = record.version > 0): StoredPolicy | null {
  if (!exists) return null;
  const { schema, kind, version, scope, updatedAt, ...policy } = record;
  return policy as StoredPolicy;
}

/**
 * @internal The pure step of `setPolicy({ scope }, …)`: stores, replaces or (with `null`) deletes the
 * scope's policy record; setting the policy it already has writes nothing but is still audited.
 * Answers whether it changed.
 */
export function setScopePolicyStep(
  current: ScopePolicyRecord,
  policy: StoredPolicy | null,
  actor: string,
  now: number,
): Step<ScopePolicyRecord, boolean> {
  const required = policy?.required ?? null;
  const event = { type: 'scope_policy_changed', at: now, scope: current.scope, required, actor } as const;
  if (samePolicy(scopePolicyOf(current), policy)) return { record: current, result: false, events: [{ ...event, unchanged: true }] };
  if (policy === null) return { record: null, result: true, events: [event] };
  // Replaced whole: terms of the previous policy do not linger.
  const record = { schema: 1, kind: 'policy', version: current.version, scope: current.scope, ...policy, updatedAt: now } as const;
  return { record, result: true, events: [event] };
}
