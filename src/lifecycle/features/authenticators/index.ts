// Several named authenticators per user as an opt-in feature: `createMfa({ features:
// [authenticators({ max })] })`. The primary factor stays in `record.method` (so the default bundle
// and every record written without the feature are untouched: such a record reads as one
// authenticator named "Authenticator"); this feature's slice holds its name and the others. It takes
// over the TOTP check (every active TOTP/HOTP authenticator in constant work) and adds HOTP tokens
// with resynchronisation, learned drift and importing from other systems.
import { MfaError } from '../../../errors.js';
import { featureMissing, type FeatureFactor, type MfaFeature } from '../../feature.js';
import { maskDestination } from '../../../mask-destination.js';
import type { OutOfBandFactor, SendChallengeFailure, ChallengeSent } from '../one-time-codes/index.js';
import { sendAuthenticatorChallenge, type SendAuthenticatorChallengeCommandResult } from './out-of-band.js';
import type { Proof } from '../management/proof.js';
import { checkAuthenticators } from './check.js';
import { sealAuthenticators, sealedAuthenticatorSecrets } from './sealing.js';
import { importAuthenticators, type ImportAuthenticatorResult } from './import-transition.js';
import { prepareImport, type ImportAuthenticatorInput, type PreparedImport } from './import.js';
import { resolveAuthenticatorsOptions, type AuthenticatorsOptions } from './options.js';
import { authenticatorsProblem, sliceOf, type AuthenticatorMeta, type AuthenticatorStatus } from './slice.js';
import type { MethodState } from '../../record.js';
import {
  addAuthenticator,
  confirmAuthenticator,
  type AddAuthenticatorCommandResult,
  type AddAuthenticatorFailure,
  type AuthenticatorCodeSent,
  type AuthenticatorEnrollment,
  type AuthenticatorType,
  removeAuthenticator,
  renameAuthenticator,
  resyncHotp,
  type AddAuthenticatorResult,
  type ConfirmAuthenticatorResult,
  type RemoveAuthenticatorResult,
  type ResyncHotpResult,
} from './transitions.js';

/** The commands of the `authenticators()` feature; part of `MfaCommand`. */
export type AuthenticatorCommand =
  | { readonly type: 'addAuthenticator'; readonly name: string; readonly authenticator?: AuthenticatorType; readonly destination?: string; readonly proof?: Proof }
  | { readonly type: 'sendAuthenticatorChallenge'; readonly id: string; readonly purpose: string }
  | { readonly type: 'confirmAuthenticator'; readonly id: string; readonly code: string }
  | { readonly type: 'renameAuthenticator'; readonly id: string; readonly name: string }
  | { readonly type: 'removeAuthenticator'; readonly id: string; readonly proof: Proof }
  | { readonly type: 'resyncHotp'; readonly id: string; readonly codes: readonly [string, string] }
  | { readonly type: 'importAuthenticators'; readonly items: readonly PreparedImport[] };

/** The result type of each {@link AuthenticatorCommand}. */
export interface AuthenticatorResults {
  addAuthenticator: AddAuthenticatorCommandResult;
  sendAuthenticatorChallenge: SendAuthenticatorChallengeCommandResult;
  confirmAuthenticator: ConfirmAuthenticatorResult;
  renameAuthenticator: { readonly ok: boolean };
  removeAuthenticator: RemoveAuthenticatorResult;
  resyncHotp: ResyncHotpResult;
  importAuthenticators: ImportAuthenticatorResult;
}

// The commands and results join `MfaCommand`/`MfaResults` from here.
declare module '../../transitions.js' {
  interface MfaFeatureCommands {
    authenticators: AuthenticatorCommand;
  }
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merged into MfaResults
  interface MfaResults extends AuthenticatorResults {}
}

/** One authenticator as a settings page lists it; never its secret. */
export interface AuthenticatorSummary {
  readonly id: string;
  readonly type: 'totp' | 'hotp' | 'email' | 'sms';
  readonly name: string;
  readonly status: AuthenticatorStatus;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  /** TOTP: the learned clock drift in steps (0: none). */
  readonly drift: number;
  /** E-mail/SMS: the destination, masked (`a••••@example.com`, `••••••••0123`). */
  readonly maskedDestination?: string;
}

/** Result of `sendAuthenticatorChallenge`. */
export type SendAuthenticatorChallengeResult =
  | AuthenticatorCodeSent
  | { readonly ok: false; readonly reason: SendChallengeFailure | 'not_found'; readonly retryAt?: number };

/** What `importUsers` reports per user: the ids imported, or why nothing was (the record is untouched). */
export type ImportUserOutcome =
  | { readonly userId: string; readonly ok: true; readonly ids: readonly string[] }
  | { readonly userId: string; readonly ok: false; readonly reason: 'limit_reached' | 'error'; readonly code?: string };

/** Service methods the `authenticators()` feature adds to `Mfa`. */
export interface AuthenticatorsMfa {
  /** The user's authenticators, the primary first; no secrets. */
  listAuthenticators(userId: string): Promise<AuthenticatorSummary[]>;
  /** With a proof (default `{ fresh: true }`), a new pending TOTP/HOTP authenticator to confirm with its own code. */
  addAuthenticator(userId: string, options: { name: string; authenticator?: 'totp' | 'hotp'; proof?: Proof }): Promise<AuthenticatorEnrollment | AddAuthenticatorFailure>;
  /**
   * With a proof, a new pending e-mail/SMS authenticator (one of the `channels`): an `enroll` code is
   * sent to `destination` at once; confirm with `confirmAuthenticator(userId, id, code)`. Rejects
   * with `SENDER_FAILURE` when the Sender throws (resend with `sendAuthenticatorChallenge(…, 'enroll')`).
   */
  addAuthenticator(
    userId: string,
    options: { name: string; authenticator: 'email' | 'sms'; destination: string; proof?: Proof },
  ): Promise<AuthenticatorCodeSent | AddAuthenticatorFailure>;
  /**
   * Sends a code for `purpose` (default `'login'`; `'enroll'` while it is pending) to the e-mail/SMS
   * authenticator `id`, the primary included; the next `verifyLogin` (or proof) accepts it as that
   * authenticator's. Resend limits and the lockout are the user's, shared by every destination.
   */
  sendAuthenticatorChallenge(userId: string, id: string, purpose?: string): Promise<SendAuthenticatorChallengeResult>;
  confirmAuthenticator(userId: string, id: string, code: string): Promise<ConfirmAuthenticatorResult>;
  renameAuthenticator(userId: string, id: string, name: string): Promise<{ readonly ok: boolean }>;
  /** With a proof; the last active one goes through `disable` (its rules and policy). */
  removeAuthenticator(userId: string, id: string, proof: Proof): Promise<RemoveAuthenticatorResult>;
  /** RFC 4226 §7.4: two consecutive codes of an HOTP token that fell behind. */
  resyncHotp(userId: string, id: string, codes: readonly [string, string]): Promise<ResyncHotpResult>;
  /** Imports one or several authenticators the user already has (all or none), active at once. */
  importAuthenticator(userId: string, input: ImportAuthenticatorInput | readonly ImportAuthenticatorInput[]): Promise<ImportAuthenticatorResult>;
  /** Imports users one by one; a user whose data fails keeps its record as it was. */
  importUsers(
    users: AsyncIterable<{ userId: string; authenticators: readonly ImportAuthenticatorInput[] }> | Iterable<{ userId: string; authenticators: readonly ImportAuthenticatorInput[] }>,
  ): Promise<ImportUserOutcome[]>;
}

/**
 * Several named authenticators per user (a second phone, a hardware HOTP token), HOTP with
 * look-ahead and resynchronisation, optional learned clock drift, and importing secrets from other
 * systems. A login checks every active authenticator with the same work whichever matches, and a
 * wrong code counts as one failure per authenticator-sized chance it had (see the recipe).
 *
 * @throws {@link MfaError} `INVALID_OPTION` for bad options
 * @example
 * ```ts
 * import { createMfa, MemoryStore, authenticators } from 'mfakit';
 * const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', features: [authenticators({ max: 5 })] });
 * await mfa.importAuthenticator('u1', { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', name: 'Old phone' });
 * (await mfa.listAuthenticators('u1')).map((a) => a.name); // ['Old phone']
 * ```
 */
export function authenticators(options: AuthenticatorsOptions = {}): MfaFeature<AuthenticatorsMfa> {
  const o = resolveAuthenticatorsOptions(options ?? {});
  // The e-mail/SMS factor of the service being assembled: `createMfa` calls `wrapFactors` and then
  // `methods` of the same service, so `methods` takes the one `wrapFactors` has just seen.
  let seen: OutOfBandFactor | undefined;
  return {
    name: 'authenticators',
    handlers: {
      addAuthenticator: (record, command, ctx) => addAuthenticator(record, command, ctx, o),
      confirmAuthenticator: (record, command, ctx) => confirmAuthenticator(record, command, ctx, o),
      renameAuthenticator,
      removeAuthenticator,
      resyncHotp: (record, command, ctx) => resyncHotp(record, command, ctx, o),
      sendAuthenticatorChallenge,
      importAuthenticators: (record, command, ctx) => importAuthenticators(record, command, ctx, o),
    },
    slice: { key: 'authenticators', problem: authenticatorsProblem },
    factorBound: true,
    factor: {
      types: ['totp', 'hotp'],
      check: (record, input, operation, ctx) => checkAuthenticators(record, input, operation, ctx, o),
      recoveryCodes: true,
      digits: 6,
    },
    // The e-mail/SMS factor of oneTimeCodes() keeps its options; its check becomes this feature's,
    // which also tries the user's TOTP/HOTP authenticators.
    wrapFactors(factors) {
      seen = (factors.email ?? factors.sms) as OutOfBandFactor | undefined;
      for (const c of o.channels) if ((factors[c] as OutOfBandFactor | undefined)?.issue === undefined) throw featureMissing(`authenticators({ channels: ['${c}'] })`, 'oneTimeCodes({ sender })');
      const out: Record<string, FeatureFactor> = {};
      for (const t of ['email', 'sms']) {
        const inner = factors[t];
        if (inner !== undefined) out[t] = { ...inner, check: (record, input, operation, ctx) => checkAuthenticators(record, input, operation, ctx, o) };
      }
      return out;
    },
    wrapCodec: sealAuthenticators,
    sealedSecrets: sealedAuthenticatorSecrets,
    methods: ({ execute, read, options: lifecycle }) => {
      // Codes go out through the Sender of oneTimeCodes() (its factor delivers them).
      const codes = seen;
      const deliver = async (userId: string, r: SendAuthenticatorChallengeCommandResult | AddAuthenticatorCommandResult) => {
        if (!r.ok || !('code' in r)) return r;
        const sent: ChallengeSent = await codes!.deliver(userId, r);
        return { ...sent, id: r.id };
      };
      const run = <T>(userId: string, command: AuthenticatorCommand) => execute(userId, command) as Promise<T>;
      const prepare = (userId: string, input: ImportAuthenticatorInput | readonly ImportAuthenticatorInput[]): PreparedImport[] =>
        (Array.isArray(input) ? input : [input as ImportAuthenticatorInput]).map((i) => prepareImport(i, userId, lifecycle));
      const api: AuthenticatorsMfa = {
        async listAuthenticators(userId) {
          const record = await read(userId);
          const { primary, extra } = sliceOf(record);
          const m = record.method;
          const out: AuthenticatorSummary[] = [];
          const summary = (meta: AuthenticatorMeta, method: MethodState, status: AuthenticatorStatus, createdAt: number): AuthenticatorSummary => ({
            id: meta.id,
            type: method.type,
            name: meta.name,
            status,
            createdAt,
            lastUsedAt: meta.lastUsedAt,
            drift: meta.drift ?? 0,
            ...('destination' in method ? { maskedDestination: maskDestination(method.destination) } : {}),
          });
          if (m !== null) out.push(summary(primary, m, record.status === 'active' ? 'active' : 'pending', m.createdAt));
          for (const a of extra) out.push(summary(a, a.method, a.status, a.createdAt));
          return out;
        },
        addAuthenticator: (async (userId: string, i: { name: string; authenticator?: AuthenticatorType; destination?: string; proof?: Proof }) =>
          deliver(
            userId,
            await run<AddAuthenticatorCommandResult>(userId, {
              type: 'addAuthenticator',
              name: i?.name,
              ...(i?.authenticator === undefined ? {} : { authenticator: i.authenticator }),
              ...(i?.destination === undefined ? {} : { destination: i.destination }),
              ...(i?.proof === undefined ? {} : { proof: i.proof }),
            }),
          )) as AuthenticatorsMfa['addAuthenticator'],
        sendAuthenticatorChallenge: async (userId, id, purpose = 'login') =>
          deliver(userId, await run<SendAuthenticatorChallengeCommandResult>(userId, { type: 'sendAuthenticatorChallenge', id, purpose })) as Promise<SendAuthenticatorChallengeResult>,
        confirmAuthenticator: (userId, id, code) => run(userId, { type: 'confirmAuthenticator', id, code }),
        renameAuthenticator: (userId, id, name) => run(userId, { type: 'renameAuthenticator', id, name }),
        removeAuthenticator: (userId, id, proof) => run(userId, { type: 'removeAuthenticator', id, proof }),
        resyncHotp: (userId, id, codes) => run(userId, { type: 'resyncHotp', id, codes }),
        async importAuthenticator(userId, input) {
          return run(userId, { type: 'importAuthenticators', items: prepare(userId, input) });
        },
        async importUsers(users) {
          const outcomes: ImportUserOutcome[] = [];
          for await (const user of users) {
            const userId = user?.userId;
            try {
              const r = await api.importAuthenticator(userId, user.authenticators);
              outcomes.push(r.ok ? { userId, ok: true, ids: r.ids } : { userId, ok: false, reason: r.reason });
            } catch (err) {
              // Bad data for one user (a secret that does not decode, a bad id) stops only that user.
              outcomes.push({ userId, ok: false, reason: 'error', ...(err instanceof MfaError ? { code: err.code } : {}) });
            }
          }
          return outcomes;
        },
      };
      return api;
    },
  };
}

export { importInputsFromMigrationUri, type ImportAuthenticatorInput, type SecretEncoding, type PreparedImport } from './import.js';
export type { AuthenticatorsOptions, ResolvedAuthenticatorsOptions } from './options.js';
export type { AuthenticatorsSlice, AuthenticatorMeta, StoredAuthenticator, AuthenticatorStatus } from './slice.js';
export type {
  AddAuthenticatorResult,
  AddAuthenticatorCommandResult,
  AddAuthenticatorFailure,
  AuthenticatorCodeSent,
  AuthenticatorType,
  ConfirmAuthenticatorResult,
  RemoveAuthenticatorResult,
  ResyncHotpResult,
  AuthenticatorEnrollment,
} from './transitions.js';
export type { SendAuthenticatorChallengeCommandResult } from './out-of-band.js';
export type { ImportAuthenticatorResult } from './import-transition.js';
export type { AuthenticatorEvent } from './events.js';
