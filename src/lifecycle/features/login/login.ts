import type { MfaEvent } from '../../events.js';
import { refused } from '../../refusal.js';
import type { MethodType, MfaRecord } from '../../record.js';
import type { Transition, TransitionContext } from '../../transition-types.js';
import { checkFactor, remaining, type CheckFailure, type FactorCheck } from './verification.js';
import { featureMissing, type FeatureLoginCheck } from '../../feature.js';
import { epochOf } from '../../epoch.js';

/**
 * Result of `verifyLogin`. `retryAt` (ms) comes with `locked`, and with the `mismatch` that locked.
 * `epoch` is the user's MFA epoch: keep it with the session and check it with `isSessionCurrent`.
 */
export type VerifyLoginResult =
  | {
      readonly ok: true;
      readonly method: MethodType | 'recovery' | 'device';
      readonly remainingRecoveryCodes: number;
      readonly epoch: number;
      /** With `authenticators()`: the id of the authenticator whose code matched. */
      readonly authenticator?: string;
    }
  | { readonly ok: false; readonly reason: CheckFailure | 'locked' | 'not_enrolled'; readonly retryAt?: number };

/**
 * `verifyLogin`: the second step of a login. Accepts a current TOTP code (a step already accepted
 * answers `replayed`) or, with the `recoveryCodes()` feature, an unused recovery code (a used one
 * answers `replayed`; without the feature it is `format`). Only an active record can log in; anything else is `not_enrolled`. With `client` (an IP address, a device id),
 * failures lock that client first and the account only later (see `ThrottleOptions`).
 */
export function verifyLogin(
  record: MfaRecord,
  command: { readonly input: string; readonly client?: string },
  ctx: TransitionContext,
): Transition<VerifyLoginResult> {
  const throttle = ctx.features?.clientThrottle;
  if (command.client !== undefined && throttle === undefined) throw featureMissing('verifyLogin with a client', 'clientThrottle()');
  const client = command.client === undefined ? undefined : throttle!.key(record.userId, command.client);
  if (record.status !== 'active') return { record, result: { ok: false, reason: 'not_enrolled' }, events: [] };
  const events: MfaEvent[] = [];
  // A feature's own input (a trusted-device token) is answered by that feature, else the factor.
  let check: FeatureLoginCheck | FactorCheck | undefined;
  for (const f of ctx.features?.list ?? []) check ??= f.loginInput?.(record, command.input, ctx, events, client);
  check ??= checkFactor(record, command.input, 'verifyLogin', ctx, events, client === undefined ? {} : { client });
  if (!check.ok) {
    return refused(check, events);
  }
  const method = check.method;
  // With authenticators(): which one matched.
  const id = (check as { matched?: string | undefined }).matched;
  const matched = id === undefined ? {} : { authenticator: id };
  events.push({ type: 'verified', userId: record.userId, at: ctx.now, method, ...matched });
  // `checkFactor` stamped `verifiedAt`: the step-up time for `{ fresh: true }` proofs.
  let next = check.record;
  if (method !== 'device') for (const f of ctx.features?.list ?? []) if (f.afterLogin !== undefined) next = f.afterLogin(next, method, ctx, events);
  return { record: next, result: { ok: true, method, remainingRecoveryCodes: remaining(next, ctx.features), epoch: epochOf(next), ...matched }, events };
}
