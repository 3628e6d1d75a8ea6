// Enforcement policies as an opt-in feature: `createMfa({ features: [policies({ scopes })] })`. It
// adds `setPolicy`/`getPolicy` (a per-user policy is a field of the user's record; a scope policy is a
// record of its own), makes the policies of a user's scopes count in `getStatus`/`loginRequirement`
// and in `disable` (refused while one applies; `exempt` honoured with `enforcementDeadlines()`). An
// app without it does not bundle any of it; a per-user policy stored while it was on still counts.
import { MfaError } from '../../../errors.js';
import type { CoreHost } from '../../core-host.js';
import type { MfaFeature } from '../../feature.js';
import { applyingPolicies, policyMethods, type PoliciesMfa } from './methods.js';
import { setUserPolicy } from './transitions.js';

/** Options of {@link policies}. */
export interface PoliciesOptions {
  /**
   * The enforcement scopes (organisations, tenants) a user belongs to; scope policies set with
   * `setPolicy({ scope }, …)` apply to them. Default: none (per-user policies only).
   */
  readonly scopes?: (userId: string) => readonly string[] | Promise<readonly string[]>;
}

/**
 * Enforcement policies: an administrator makes MFA mandatory for one user or for every user of a
 * scope (`scopes` says which scopes a user belongs to). A user under a policy who has no MFA is asked
 * to enrol (`loginRequirement: 'enroll'`) and cannot `disable` it (`policy`). Without this feature
 * the service has no `setPolicy`/`getPolicy` (a type error; `undefined` in JavaScript).
 *
 * @throws {@link index!MfaError} `INVALID_OPTION` when `scopes` is not a function
 * @example
 * ```ts
 * import { createMfa, MemoryStore, policies } from 'mfakit';
 * const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', features: [policies({ scopes: () => ['org:1'] })] });
 * await mfa.setPolicy({ scope: 'org:1' }, { required: true }, { actor: 'admin' });
 * await mfa.loginRequirement('alice'); // 'enroll'
 * ```
 */
export function policies(options: PoliciesOptions = {}): MfaFeature<PoliciesMfa> {
  const { scopes } = options;
  if (scopes !== undefined && typeof scopes !== 'function') throw new MfaError('INVALID_OPTION', 'policies({ scopes }) must be a function of the user id');
  // A first-party feature: its methods get the service's internal host (the engine, for scope policy records).
  return {
    name: 'policies',
    handlers: { setUserPolicy: setUserPolicy as never },
    ...(scopes && { scopePolicies: async (host, userId) => applyingPolicies((host as CoreHost).engine, (await scopes(userId)) ?? [], userId) }),
    methods: (host) => policyMethods(host as CoreHost),
  };
}

export type { PoliciesMfa } from './methods.js';
