// The enrolment methods of the service: begin (TOTP; an e-mail/SMS method is the oneTimeCodes
// feature's), show the pending enrolment again, confirm, and replace the secret.
import type { CoreMethods } from '../../core-host.js';
import { featureMissing } from '../../feature.js';
import type { Mfa } from '../../mfa.js';
import { checkUserId } from '../policy/policy.js';
import { enrollmentOf } from './enrollment.js';
import { withoutExpiredPending } from './pending-expiry.js';

type EnrollmentMethods = Pick<Mfa, 'beginEnrollment' | 'pendingEnrollment' | 'confirmEnrollment' | 'resetSecret'>;

/** @internal The methods of TOTP enrolment and `resetSecret`. */
export const enrollmentMethods: CoreMethods<EnrollmentMethods> = ({ execute, engine, users, clock, options, rng }) => ({
  async beginEnrollment(userId, o) {
    if (o !== null && typeof o === 'object' && 'method' in o) throw featureMissing('beginEnrollment with a method', 'oneTimeCodes({ sender })');
    return execute(userId, { type: 'beginEnrollment', account: o?.account });
  },
  async pendingEnrollment(userId) {
    checkUserId(userId);
    const now = clock.now();
    const { record } = await engine.load(userId, users, now, true);
    if (withoutExpiredPending(record, now, options).record !== record) return null;
    if (record.status !== 'pending' || record.method === null || record.method.type !== 'totp') return null;
    return enrollmentOf(record.method, { now, rng, options, scopeRequired: false });
  },
  confirmEnrollment: (userId, code, o) =>
    execute(userId, o?.secretUrl === undefined ? { type: 'confirmEnrollment', code } : { type: 'confirmEnrollment', code, secretUrl: o.secretUrl }),
  resetSecret: (userId, o = {}) =>
    execute(userId, {
      type: 'resetSecret',
      ...(o.account === undefined ? {} : { account: o.account }),
      ...(o.proof === undefined ? {} : { proof: o.proof }),
    }),
});
