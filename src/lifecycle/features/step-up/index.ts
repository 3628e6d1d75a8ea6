// Step-up as an opt-in feature: `createMfa({ features: [stepUpAuthentication()] })`. It adds no record slice: it
// reads and stamps the `verifiedAt` time the core already keeps for `{ fresh: true }` proofs.
import { checkInteger } from '../../../_internal/check.js';
import { MfaError } from '../../../errors.js';
import type { MfaFeature } from '../../feature.js';
import { checkUserId } from '../policy/policy.js';
import { freshMfaOf, stepUpTransition, type FreshMfaResult, type StepUpResult } from './transitions.js';

/** Service methods the `stepUpAuthentication()` feature adds to `Mfa`. */
export interface StepUpMfa {
  /**
   * Whether the user passed `verifyLogin` or `stepUp` at most `maxAge` ms ago (default: the service's
   * `freshWithin`). Reads only. Ask for `stepUp` when it answers `stale`.
   */
  requireFreshMfa(userId: string, options?: { maxAge?: number }): Promise<FreshMfaResult>;
  /**
   * Checks a current code to re-confirm the factor before a sensitive operation, with replay
   * protection and lockout, without counting as a login. Afterwards `{ fresh: true }` proofs hold
   * for `freshWithin`. An e-mail/SMS user's code comes from `sendChallenge(userId, 'step_up')`.
   */
  stepUp(userId: string, code: string, options?: { client?: string }): Promise<StepUpResult>;
}

/**
 * Step-up authentication: `requireFreshMfa(userId, { maxAge })` before a sensitive page, and
 * `stepUp(userId, code)` when it is stale.
 *
 * @example
 * ```ts
 * import { createMfa, MemoryStore, stepUpAuthentication } from 'mfakit';
 * const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', features: [stepUpAuthentication()] });
 * const fresh = await mfa.requireFreshMfa('alice', { maxAge: 5 * 60_000 });
 * if (!fresh.ok && fresh.reason === 'stale') {
 *   // ask for a code, then:
 *   await mfa.stepUp('alice', '123456');
 * }
 * ```
 */
export function stepUpAuthentication(): MfaFeature<StepUpMfa> {
  return {
    name: 'stepUpAuthentication',
    handlers: { stepUp: stepUpTransition as never },
    methods: (host) => ({
      async requireFreshMfa(userId, o = {}) {
        const window = o?.maxAge ?? host.options.freshWithin;
        if (window === null) throw new MfaError('INVALID_OPTION', 'requireFreshMfa needs maxAge when freshWithin is null');
        const maxAge = checkInteger('maxAge', window, 0, 365 * 86_400_000);
        checkUserId(userId);
        return freshMfaOf(await host.read(userId), maxAge, host.clock.now());
      },
      stepUp: (userId, code, o = {}) =>
        host.execute(userId, o?.client === undefined ? { type: 'stepUp', code } : { type: 'stepUp', code, client: o.client }) as Promise<StepUpResult>,
    }),
  };
}

export type { StepUpResult, FreshMfaResult } from './transitions.js';
export type { StepUpEvent } from './events.js';
