import { MfaError } from '../errors.js';
import {
  beginEnrollment,
  confirmEnrollment,
  resetSecret,
  type BeginEnrollmentResult,
  type ConfirmEnrollmentResult,
  type ResetSecretResult,
} from './features/enrollment/enrollment.js';
import { verifyLogin, type VerifyLoginResult } from './features/login/login.js';
import {
  adminReset,
  disable,
  type AdminResetResult,
  type DisableResult,
  type Proof,
} from './features/management/management.js';
import type { MfaRecord } from './record.js';
import { withoutExpiredPending } from './features/enrollment/pending-expiry.js';
import { unlock, type UnlockResult } from './features/management/unlock.js';
import type { Transition, TransitionContext } from './transition-types.js';

/**
 * Every command the lifecycle understands, discriminated by `type`. Each maps to one pure
 * transition: the core ones in `handlers` below, the opt-in features' ones in the feature (found
 * through `ctx.features`; without the feature such a command is `INVALID_OPTION`).
 */
export type MfaCommand = MfaCoreCommand | MfaFeatureCommands[keyof MfaFeatureCommands];

/**
 * The commands each feature adds to {@link MfaCommand}, by feature name. A feature declares its own
 * from its folder by declaration merging (its results by merging into {@link MfaResults}), so adding
 * one changes no core file:
 * `declare module '../../transitions.js' { interface MfaFeatureCommands { myFeature: MyCommand } interface MfaResults extends MyResults {} }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the features
export interface MfaFeatureCommands {}

/** The commands of the core features (enrolment, login, management). */
export type MfaCoreCommand =
  | { readonly type: 'beginEnrollment'; readonly account: string }
  | { readonly type: 'confirmEnrollment'; readonly code: string; readonly secretUrl?: string }
  | { readonly type: 'verifyLogin'; readonly input: string; readonly client?: string }
  | { readonly type: 'resetSecret'; readonly account?: string; readonly proof?: Proof }
  | { readonly type: 'adminReset'; readonly actor: string }
  | { readonly type: 'disable'; readonly proof: Proof }
  | { readonly type: 'unlock'; readonly actor: string }
  /** Needs the `policies()` feature, which handles it. */
  | { readonly type: 'setUserPolicy'; readonly required: boolean | null; readonly actor: string; readonly terms?: Readonly<Record<string, unknown>> };

/** The result type of each command (the features' ones merged in from their folders). */
export interface MfaResults {
  beginEnrollment: BeginEnrollmentResult;
  confirmEnrollment: ConfirmEnrollmentResult;
  verifyLogin: VerifyLoginResult;
  resetSecret: ResetSecretResult;
  adminReset: AdminResetResult;
  disable: DisableResult;
  unlock: UnlockResult;
  setUserPolicy: { readonly ok: true; readonly changed: boolean };
}

/** The `type` of every {@link MfaCommand}. */
export type MfaCommandType = MfaCommand['type'];

/** The core commands the core handles (`setUserPolicy` is the `policies()` feature's). */
type CoreCommandType = Exclude<MfaCoreCommand['type'], 'setUserPolicy'>;

type Handlers = {
  [K in CoreCommandType]: (
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
  unlock,
};

/**
 * Every command type of the core (the features' ones are in their `handlers`), in a stable order.
 *
 * @example
 * ```ts
 * import { MFA_COMMAND_TYPES } from 'mfakit/lifecycle';
 * MFA_COMMAND_TYPES.includes('verifyLogin'); // true
 * ```
 */
export const MFA_COMMAND_TYPES: readonly MfaCommandType[] = /* @__PURE__ */ Object.keys(handlers) as MfaCommandType[];

/**
 * Applies one command to a record: the pure heart of the lifecycle. No I/O, no clock, no global
 * randomness — everything comes in through `ctx` — so it can be tested exhaustively and every store
 * behaves the same. The input record is never mutated; when nothing changes the same object is
 * returned and nothing needs to be written.
 *
 * @throws {@link index!MfaError} `INVALID_OPTION` for an unknown command, `INVALID_LABEL` for an empty or over-long account
 * @example Confirming an enrolment without any store
 * ```ts
 * import { totp, cryptoRandom } from 'mfakit';
 * import { emptyRecord, resolveLifecycleOptions, transition } from 'mfakit/lifecycle';
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
  const table: Readonly<Record<string, unknown>> | undefined =
    typeof type !== 'string' ? undefined : Object.hasOwn(handlers, type) ? handlers : ctx.features?.handlers;
  if (table === undefined || !Object.hasOwn(table, type)) {
    throw new MfaError('INVALID_OPTION', 'unknown lifecycle command (or its feature is not in createMfa({ features }))');
  }
  const handler = table[type] as (r: MfaRecord, c: C, x: TransitionContext) => Transition<MfaResults[C['type']]>;
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
