// Several named authenticators per user as an opt-in feature: `createMfa({ features:
// [authenticators({ max })] })`. The primary factor stays in `record.method` (so the default bundle
// and every record written without the feature are untouched: such a record reads as one
// authenticator named "Authenticator"); this feature's slice holds its name and the others. It takes
// over the TOTP check (every active TOTP/HOTP authenticator in constant work) and adds HOTP tokens
// with resynchronisation, learned drift and importing from other systems.
import { MfaError } from '../../../errors.js';
import type { MfaFeature } from '../../feature.js';
import type { Proof } from '../management/proof.js';
import { checkAuthenticators } from './check.js';
import { sealAuthenticators, sealedAuthenticatorSecrets } from './sealing.js';
import { importAuthenticators, type ImportAuthenticatorResult } from './import-transition.js';
import { prepareImport, type ImportAuthenticatorInput, type PreparedImport } from './import.js';
import { resolveAuthenticatorsOptions, type AuthenticatorsOptions } from './options.js';
import { authenticatorsProblem, sliceOf, type AuthenticatorStatus } from './slice.js';
import {
  addAuthenticator,
  confirmAuthenticator,
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
  | { readonly type: 'addAuthenticator'; readonly name: string; readonly authenticator?: 'totp' | 'hotp'; readonly proof?: Proof }
  | { readonly type: 'confirmAuthenticator'; readonly id: string; readonly code: string }
  | { readonly type: 'renameAuthenticator'; readonly id: string; readonly name: string }
  | { readonly type: 'removeAuthenticator'; readonly id: string; readonly proof: Proof }
  | { readonly type: 'resyncHotp'; readonly id: string; readonly codes: readonly [string, string] }
  | { readonly type: 'importAuthenticators'; readonly items: readonly PreparedImport[] };

/** The result type of each {@link AuthenticatorCommand}. */
export interface AuthenticatorResults {
  addAuthenticator: AddAuthenticatorResult;
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
}

/** What `importUsers` reports per user: the ids imported, or why nothing was (the record is untouched). */
export type ImportUserOutcome =
  | { readonly userId: string; readonly ok: true; readonly ids: readonly string[] }
  | { readonly userId: string; readonly ok: false; readonly reason: 'limit_reached' | 'error'; readonly code?: string };

/** Service methods the `authenticators()` feature adds to `Mfa`. */
export interface AuthenticatorsMfa {
  /** The user's authenticators, the primary first; no secrets. */
  listAuthenticators(userId: string): Promise<AuthenticatorSummary[]>;
  /** With a proof (default `{ fresh: true }`), a new pending authenticator to confirm with its own code. */
  addAuthenticator(userId: string, options: { name: string; authenticator?: 'totp' | 'hotp'; proof?: Proof }): Promise<AddAuthenticatorResult>;
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
  return {
    name: 'authenticators',
    handlers: {
      addAuthenticator: (record, command, ctx) => addAuthenticator(record, command, ctx, o),
      confirmAuthenticator: (record, command, ctx) => confirmAuthenticator(record, command, ctx, o),
      renameAuthenticator,
      removeAuthenticator,
      resyncHotp: (record, command, ctx) => resyncHotp(record, command, ctx, o),
      importAuthenticators: (record, command, ctx) => importAuthenticators(record, command, ctx, o),
    },
    slice: { key: 'authenticators', problem: authenticatorsProblem },
    factorBound: true,
    factor: {
      types: ['totp', 'hotp'],
      check: (record, input, operation, ctx) => checkAuthenticators(record, input, operation === 'confirmEnrollment', ctx, o),
      recoveryCodes: true,
      digits: 6,
    },
    wrapCodec: sealAuthenticators,
    sealedSecrets: sealedAuthenticatorSecrets,
    methods: ({ execute, read, options: lifecycle }) => {
      const run = <T>(userId: string, command: AuthenticatorCommand) => execute(userId, command) as Promise<T>;
      const prepare = (userId: string, input: ImportAuthenticatorInput | readonly ImportAuthenticatorInput[]): PreparedImport[] =>
        (Array.isArray(input) ? input : [input as ImportAuthenticatorInput]).map((i) => prepareImport(i, userId, lifecycle));
      const api: AuthenticatorsMfa = {
        async listAuthenticators(userId) {
          const record = await read(userId);
          const { primary, extra } = sliceOf(record);
          const m = record.method;
          const out: AuthenticatorSummary[] = [];
          if (m !== null) {
            const status = record.status === 'active' ? 'active' : 'pending';
            out.push({ id: primary.id, type: m.type, name: primary.name, status, createdAt: m.createdAt, lastUsedAt: primary.lastUsedAt, drift: primary.drift ?? 0 });
          }
          for (const a of extra) {
            out.push({ id: a.id, type: a.method.type, name: a.name, status: a.status, createdAt: a.createdAt, lastUsedAt: a.lastUsedAt, drift: a.drift ?? 0 });
          }
          return out;
        },
        addAuthenticator: (userId, i) =>
          run(userId, {
            type: 'addAuthenticator',
            name: i?.name,
            ...(i?.authenticator === undefined ? {} : { authenticator: i.authenticator }),
            ...(i?.proof === undefined ? {} : { proof: i.proof }),
          }),
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
export type { AddAuthenticatorResult, ConfirmAuthenticatorResult, RemoveAuthenticatorResult, ResyncHotpResult, AuthenticatorEnrollment } from './transitions.js';
export type { ImportAuthenticatorResult } from './import-transition.js';
export type { AuthenticatorEvent } from './events.js';
