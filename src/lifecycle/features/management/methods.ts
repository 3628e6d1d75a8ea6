// The management methods of the service: the status a settings page shows and what the login flow
// asks next, turning MFA off, and the administrator's reset, unlock and removal.
import type { CoreHost, CoreMethods } from '../../core-host.js';
import type { Mfa, MfaStatusView } from '../../mfa.js';
import { remaining } from '../login/verification.js';
import { checkUserId, isMfaRequired, loginRequirementOf } from '../policy/policy.js';
import { isLocked } from '../throttle/throttle.js';
import { epochOf } from '../../epoch.js';

type ManagementMethods = Pick<
  Mfa,
  'getStatus' | 'isSessionCurrent' | 'loginRequirement' | 'disable' | 'adminReset' | 'unlock' | 'removeUser'
>;

/** @internal `getStatus`: the status a settings page shows, and what the login flow asks next. */
export async function statusOf(host: CoreHost, userId: string): Promise<MfaStatusView> {
  checkUserId(userId);
  const now = host.clock.now();
  const [record, scopes] = await Promise.all([host.readAt(userId, now), host.policies(userId)]);
  const scope = scopes.length > 0;
  const loginRequirement = loginRequirementOf(record, scope);
  const { terms } = host;
  return {
    status: record.status,
    method: record.method?.type ?? null,
    required: isMfaRequired(record, scope),
    loginRequirement,
    // A policy's grace may make `enroll` optional (enforcementDeadlines()).
    ...(loginRequirement === 'enroll' && terms !== undefined ? await terms.requirement(host, userId, scopes) : {}),
    remainingRecoveryCodes: remaining(record, host.features),
    failures: record.failures,
    lockedUntil: isLocked(record, now) ? record.lockedUntil : null,
    activatedAt: record.activatedAt,
    epoch: epochOf(record),
  };
}

/** @internal The status, management and administration methods. */
export const managementMethods: CoreMethods<ManagementMethods> = (host) => {
  const { execute, engine } = host;
  const getStatus = (userId: string) => statusOf(host, userId);
  const { clock, readAt } = host;
  return {
    getStatus,
    async isSessionCurrent(userId, epoch) {
      checkUserId(userId);
      return Number.isSafeInteger(epoch) && epochOf(await readAt(userId, clock.now())) === epoch;
    },
    async loginRequirement(userId) {
      return (await getStatus(userId)).loginRequirement;
    },
    disable: (userId, proof) => execute(userId, { type: 'disable', proof }),
    adminReset: (userId, o) => execute(userId, { type: 'adminReset', actor: (o as { actor?: string } | undefined)?.actor as string }),
    unlock: (userId, o) => execute(userId, { type: 'unlock', actor: o?.actor }),
    async removeUser(userId) {
      checkUserId(userId);
      await engine.remove(userId);
    },
  };
};
