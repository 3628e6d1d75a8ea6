import { MfaError } from '../errors.js';
import {
  beginEnrollment,
  confirmEnrollment,
  resetSecret,
  type BeginEnrollmentResult,
  type ConfirmEnrollmentResult,
  type ResetSecretResult,
} from './enrollment.js';
import { verifyLogin, type VerifyLoginResult } from './login.js';
import {
  adminReset,
  disable,
  regenerateRecoveryCodes,
  setUserPolicy,
  type AdminResetResult,
  type DisableResult,
  type Proof,
  type RegenerateRecoveryCodesResult,
} from './management.js';
import type { MfaRecord } from './record.js';
import { withoutExpiredPending } from './pending-expiry.js';
import { unlock, type UnlockResult } from './unlock.js';
import { outOfBandHandlers, type OutOfBandCommand, type OutOfBandResults } from './out-of-band-commands.js';
import type { Transition, TransitionContext } from './transition-types.js';

/**
 * Every command the lifecycle understands, discriminated by `type`. Each maps to one pure
 * transition. Extension point: a new feature (issue 8's out-of-band codes, API passwords,
 * confirmation tokens) adds members here, an entry in {@link MfaResults} and a handler in
 * `handlers` below; existing transitions stay as they are.
 */
export type MfaCommand =
  | { readonly type: 'beginEnrollment'; readonly account: string }
  | { readonly type: 'confirmEnrollment'; readonly code: string }
  | { readonly type: 'verifyLogin'; readonly input: string; readonly client?: string }
  | { readonly type: 'resetSecret'; readonly account?: string; readonly proof?: Proof }
  | { readonly type: 'adminReset'; readonly actor: string }
  | { readonly type: 'disable'; readonly proof: Proof }
  | { readonly type: 'regenerateRecoveryCodes'; readonly proof: Proof }
  | { readonly type: 'setUserPolicy'; readonly required: boolean | null; readonly actor: string }
  | OutOfBandCommand
  | { readonly type: 'unlock'; readonly actor: string };

/** The result type of each command. */
export interface MfaResults extends OutOfBandResults {
  beginEnrollment: BeginEnrollmentResult;
  confirmEnrollment: ConfirmEnrollmentResult;
  verifyLogin: VerifyLoginResult;
  resetSecret: ResetSecretResult;
  adminReset: AdminResetResult;
  disable: DisableResult;
  regenerateRecoveryCodes: RegenerateRecoveryCodesResult;
  setUserPolicy: { readonly ok: true };
  unlock: UnlockResult;
}

/** The `type` of every {@link MfaCommand}. */
export type MfaCommandType = MfaCommand['type'];

type Handlers = {
  [K in MfaCommandType]: (
    record: MfaRecord,
    command: Extract<MfaCommand, { type: K }>,
    ctx: TransitionContext,
  ) => Transition<MfaResults[K]>;
};

const handlers: Handlers = {
  beginEnrollment,
  confirmEnrollment,
  verifyLogin,
  resetSecret,
  adminReset,
  disable,
  regenerateRecoveryCodes,
  setUserPolicy,
  ...outOfBandHandlers,
  unlock,
};

/** Every command type, in a stable order (for exhaustive tests and tooling). */
export const MFA_COMMAND_TYPES: readonly MfaCommandType[] = /* @__PURE__ */ Object.keys(handlers) as MfaCommandType[];

/**
 * Applies one command to a record: the pure heart of the lifecycle. No I/O, no clock, no global
 * randomness — everything comes in through `ctx` — so it can be tested exhaustively and every store
 * behaves the same. The input record is never mutated; when nothing changes the same object is
 * returned and nothing needs to be written.
 *
 * @throws {@link MfaError} `INVALID_OPTION` for an unknown command, `INVALID_LABEL` for a bad account
 * @example Confirming an enrolment without any store
 * ```ts
 * import { emptyRecord, resolveLifecycleOptions, transition, totp, cryptoRandom } from 'mfakit';
 * const ctx = { now: Date.now(), rng: cryptoRandom, options: resolveLifecycleOptions({ issuer: 'Acme' }), scopeRequired: false };
 * const begun = transition(emptyRecord('alice', ctx.now), { type: 'beginEnrollment', account: 'alice@example.com' }, ctx);
 * if (begun.result.ok) {
 *   const code = totp(begun.result.secret, { time: ctx.now });
 *   const done = transition(begun.record, { type: 'confirmEnrollment', code }, ctx);
 *   done.record.status; // 'active'
 * }
 * ```
 */
export function transition<C extends MfaCommand>(
  record: MfaRecord,
  command: C,
  ctx: TransitionContext,
): Transition<MfaResults[C['type']]> {
  const type = command?.type as MfaCommandType;
  if (typeof type !== 'string' || !Object.hasOwn(handlers, type)) {
    throw new MfaError('INVALID_OPTION', 'unknown lifecycle command');
  }
  const handler = handlers[type] as unknown as (r: MfaRecord, c: C, x: TransitionContext) => Transition<MfaResults[C['type']]>;
  // An enrolment past `pendingTtl` is dropped before any command sees it (and so written with it).
  const expiry = withoutExpiredPending(record, ctx.now, ctx.options);
  if (expiry.record === record) return handler(record, command, ctx);
  if (type === 'confirmEnrollment') {
    const result = { ok: false, reason: 'expired' } as MfaResults[C['type']];
    return { record: expiry.record, result, events: expiry.events };
  }
  const out = handler(expiry.record, command, ctx);
  return { record: out.record, result: out.result, events: [...expiry.events, ...out.events] };
}
