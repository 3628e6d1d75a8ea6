// The methods of the policies() feature: set and read enforcement policies of a user (a field of the
// user's record, through `setUserPolicy`) or of a scope (a record of its own, through the engine),
// and which of a user's scopes' policies apply to them.
import { MfaError } from '../../../errors.js';
import type { CoreHost } from '../../core-host.js';
import type { Engine } from '../../engine.js';
import type { MfaStatusView } from '../../mfa.js';
import { checkActor } from '../management/management.js';
import { statusOf } from '../management/methods.js';
import {
  appliesTo,
  checkScope,
  checkUserId,
  policyRecordId,
  scopePolicyCodec,
  scopePolicyOf,
  setScopePolicyStep,
  type EnforcementPolicy,
  type PolicyTarget,
  type SetPolicyResult,
  type StoredPolicy,
} from './policy.js';

/** Service methods the `policies()` feature adds to `Mfa`. */
export interface PoliciesMfa {
  /**
   * Sets (or with `null` removes) an enforcement policy for a scope or a user. `actor` (who did it) is
   * required and goes into the audit event, emitted even when the policy already had this value.
   * Answers the policy now set, whether it changed and, for a user, their resulting status. Grace
   * terms (`enrollBy`, `graceLogins`, `exempt`) need the `enforcementDeadlines()` feature.
   */
  setPolicy(target: PolicyTarget, policy: EnforcementPolicy | null, options: { actor: string }): Promise<SetPolicyResult<MfaStatusView>>;
  /** The policy set for exactly this target (not the effective one: see `getStatus().required`). */
  getPolicy(target: PolicyTarget): Promise<EnforcementPolicy | null>;
}


/** @internal The policy set for `scope` as stored, or null. */
export async function readScopePolicy(engine: Engine, scope: string): Promise<StoredPolicy | null> {
  checkScope(scope);
  const loaded = await engine.load(policyRecordId(scope), scopePolicyCodec(scope), 0, false);
  return scopePolicyOf(loaded.record, loaded.exists);
}

/** @internal The policies of `scopes` that apply to `userId`: required, and the user not exempt. */
export async function applyingPolicies(engine: Engine, scopes: readonly string[], userId: string): Promise<StoredPolicy[]> {
  const out: StoredPolicy[] = [];
  for (const scope of scopes) {
    const policy = await readScopePolicy(engine, scope);
    if (appliesTo(policy, userId)) out.push(policy!);
  }
  return out;
}

/** The policy to store for `target`: `required`, and the grace terms the feature checked. */
function storedPolicy({ terms }: CoreHost, target: PolicyTarget, policy: EnforcementPolicy | null): StoredPolicy | null {
  if (policy === null) return null;
  if (typeof policy !== 'object' || typeof policy.required !== 'boolean' || (terms === undefined && Object.keys(policy).length > 1)) {
    throw new MfaError('INVALID_OPTION', 'policy must be { required: boolean } or null (grace terms need enforcementDeadlines())');
  }
  return terms === undefined ? { required: policy.required } : terms.store(policy, target);
}

/** @internal The methods `setPolicy` and `getPolicy`. */
export const policyMethods = (host: CoreHost): PoliciesMfa => {
  const { execute, engine, users, clock, terms } = host;
  const view = (p: StoredPolicy | null): EnforcementPolicy | null => p && (terms?.view(p) ?? { required: p.required });
  return {
    async setPolicy(target, policy, o) {
      const stored = storedPolicy(host, target, policy);
      const actor = checkActor((o as { actor?: unknown } | undefined)?.actor);
      const result = { ok: true, policy: view(stored) } as const;
      if ('scope' in target) {
        checkScope(target.scope);
        const scope = target.scope;
        const changed = await engine.run(policyRecordId(scope), scopePolicyCodec(scope), (current, now) => setScopePolicyStep(current, stored, actor, now));
        return { ...result, changed };
      }
      const { required, ...rest } = stored ?? { required: null };
      const { changed } = await execute(target.userId, { type: 'setUserPolicy', required, actor, terms: rest });
      return { ...result, changed, status: await statusOf(host, target.userId) };
    },
    async getPolicy(target) {
      if ('scope' in target) return view(await readScopePolicy(engine, target.scope));
      checkUserId(target.userId);
      const { record } = await engine.load(target.userId, users, clock.now(), false);
      return view(record.policy);
    },
  };
};
