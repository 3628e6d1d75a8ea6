// The policy methods of the service: set and read enforcement policies of a user (a field of the
// user's record, through `setUserPolicy`) or of a scope (a record of its own, through the engine),
// and whether a user's scopes require MFA.
import { MfaError } from '../../../errors.js';
import type { CoreMethods } from '../../core-host.js';
import type { Engine } from '../../engine.js';
import type { Mfa } from '../../mfa.js';
import { checkActor } from '../management/management.js';
import { checkScope, checkUserId, policyRecordId, scopePolicyCodec, setScopePolicyStep, type EnforcementPolicy } from './policy.js';

/** @internal The policy set for `scope`, or null. */
export async function readScopePolicy(engine: Engine, scope: string): Promise<EnforcementPolicy | null> {
  checkScope(scope);
  const loaded = await engine.load(policyRecordId(scope), scopePolicyCodec(scope), 0, false);
  return loaded.exists ? { required: loaded.record.required } : null;
}

/** @internal True when a policy of one of `scopes` requires MFA. */
export async function anyScopeRequires(engine: Engine, scopes: readonly string[]): Promise<boolean> {
  for (const scope of scopes) {
    const policy = await readScopePolicy(engine, scope);
    if (policy?.required === true) return true;
  }
  return false;
}

function checkPolicy(policy: EnforcementPolicy | null): void {
  if (policy !== null && (typeof policy !== 'object' || typeof policy.required !== 'boolean')) {
    throw new MfaError('INVALID_OPTION', 'policy must be { required: boolean } or null');
  }
}

/** @internal The methods `setPolicy` and `getPolicy`. */
export const policyMethods: CoreMethods<Pick<Mfa, 'setPolicy' | 'getPolicy'>> = ({ execute, engine, users, clock }) => ({
  async setPolicy(target, policy, o) {
    checkPolicy(policy);
    const actor = checkActor((o as { actor?: unknown } | undefined)?.actor);
    if ('scope' in target) {
      checkScope(target.scope);
      const scope = target.scope;
      await engine.run(policyRecordId(scope), scopePolicyCodec(scope), (current, now) => setScopePolicyStep(current, policy, actor, now));
      return;
    }
    await execute(target.userId, { type: 'setUserPolicy', required: policy?.required ?? null, actor });
  },
  async getPolicy(target) {
    if ('scope' in target) return readScopePolicy(engine, target.scope);
    checkUserId(target.userId);
    const { record } = await engine.load(target.userId, users, clock.now(), false);
    return record.policy === null ? null : { required: record.policy.required };
  },
});
