// Enforcement with a deadline as an opt-in feature: `createMfa({ features: [policies(), enforcementDeadlines()] })`.
// It lets `setPolicy` take grace terms (`enrollBy`, `graceLogins`, `exempt`), keeps the grace each
// user was granted in the record's `enforcement` slice, answers `enroll-optional` while it runs, and
// adds `recordPasswordLogin`, which counts a grace login.
import type { MfaFeature } from '../../feature.js';
import { checkUserId } from '../policy/policy.js';
import { enforcementProblem } from './slice.js';
import { storeTerms, viewTerms } from './terms.js';
import { enforcementGraceTransition, type EnforcementGraceCommand, type LoginRequirementAnswer } from './transitions.js';

/** Service methods the `enforcementDeadlines()` feature adds to `Mfa`. */
export interface EnforcementDeadlinesMfa {
  /**
   * Call after each successful password check, in place of `loginRequirement`: answers what to ask
   * next and, while a policy's grace runs, uses one grace login (`enroll-optional` with the logins
   * left after this one). Atomic: N concurrent calls use N grace logins, never more than there are.
   */
  recordPasswordLogin(userId: string): Promise<LoginRequirementAnswer>;
}

/**
 * Enforcement with a deadline: a policy set with `setPolicy(target, { required: true, enrollBy,
 * graceLogins, exempt })` lets users without MFA skip enrolment (`enroll-optional`) until a date
 * (`enrollBy: Date`), for a time after the policy first reaches them (`enrollBy: ms`) and/or for a
 * number of password logins (`graceLogins`), whichever ends first; then `enroll`. The grace is fixed
 * in the user's record when it first reaches them: setting the policy again never renews it. Users
 * in a scope policy's `exempt` stay `none`.
 *
 * @example
 * ```ts
 * import { createMfa, MemoryStore, enforcementDeadlines, policies } from 'mfakit';
 * const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', features: [policies({ scopes: () => ['org:1'] }), enforcementDeadlines()] });
 * await mfa.setPolicy({ scope: 'org:1' }, { required: true, enrollBy: 14 * 86_400_000, graceLogins: 10 }, { actor: 'admin' });
 * const next = await mfa.recordPasswordLogin('alice'); // { loginRequirement: 'enroll-optional', grace: { deadline, loginsLeft: 9 } }
 * ```
 */
export function enforcementDeadlines(): MfaFeature<EnforcementDeadlinesMfa> {
  const grace = (scopes: EnforcementGraceCommand['scopes'], count: boolean) => ({ type: 'enforcementGrace', scopes, count }) as const;
  return {
    name: 'enforcementDeadlines',
    // The policies it adds terms to are set, read and applied by policies().
    requires: ['policies'],
    handlers: { enforcementGrace: enforcementGraceTransition as never },
    slice: { key: 'enforcement', problem: enforcementProblem },
    policyTerms: {
      store: storeTerms,
      view: viewTerms,
      requirement: async (host, userId, scopes) => (await host.execute(userId, grace(scopes, false))) as LoginRequirementAnswer,
    },
    methods: (host) => ({
      async recordPasswordLogin(userId) {
        checkUserId(userId); // before the scopes are asked for
        return (await host.execute(userId, grace(await host.policies(userId), true))) as LoginRequirementAnswer;
      },
    }),
  };
}

export type { LoginRequirementAnswer, EnforcementGraceCommand } from './transitions.js';
export type { EnforcementSlice, EnforcementState } from './slice.js';
export type { EnforcementEvent } from './events.js';
