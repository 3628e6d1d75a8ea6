// API passwords as an opt-in feature: `createMfa({ features: [apiPasswords()] })`. It adds the
// `issueApiPassword`/`revokeApiPassword` commands, the `apiPasswords` record slice, what `adminReset`
// revokes, and the methods to issue, verify, list and revoke them and to ask whether the account
// password may still authenticate on the API.
import { MfaError } from '../../../errors.js';
import {
  passwordAuthAllowedFor,
  summarizeApiPasswords,
  checkApiPassword,
  type ApiPasswordSummary,
  type PasswordChannel,
  type VerifyApiPasswordResult,
} from '../../../api-credentials.js';
import { parseApiKey } from '../../../api-keys.js';
import type { MfaEvent } from '../../events.js';
import type { MfaFeature } from '../../feature.js';
import type { MfaLookupStore, MfaStore } from '../../store.js';
import { isResetPending } from '../enrollment/pending-expiry.js';
import { apiPasswordsProblem } from './slice.js';
import type { Proof } from '../management/proof.js';
import {
  API_KEY_LOOKUP,
  apiPasswordsOf,
  withApiPasswords,
  issueApiPasswordTransition,
  resolveApiPasswordOptions,
  revokeApiPasswordTransition,
  type IssueApiPasswordCommandResult,
  type LifecycleApiPasswordOptions,
} from './transitions.js';

/** The commands of the API-password feature; part of `MfaCommand`. */
export type ApiPasswordCommand =
  | { readonly type: 'issueApiPassword'; readonly label?: string; readonly proof?: Proof }
  | { readonly type: 'revokeApiPassword'; readonly id: string };

/** The result type of each {@link ApiPasswordCommand}. */
export interface ApiPasswordResults {
  issueApiPassword: IssueApiPasswordCommandResult;
  revokeApiPassword: { readonly ok: true; readonly revoked: boolean };
}

/** Result of `verifyApiKey`. */
export type VerifyApiKeyResult =
  | { readonly ok: true; readonly userId: string; readonly keyId: string; readonly label: string }
  | {
      readonly ok: false;
      /**
       * `format`: not an API key (prefix, length or checksum wrong: a typo, or an old-style password
       * without a key id); `unknown_key`: no user holds this key id (never issued, revoked, reset);
       * `mismatch`: the key id exists but the secret part is wrong. Answer all three with 401.
       */
      readonly reason: 'format' | 'unknown_key' | 'mismatch';
    };

// The commands join `MfaCommand` and their results `MfaResults` from here, so the core never imports a feature.
declare module '../../transitions.js' {
  interface MfaFeatureCommands {
    apiPasswords: ApiPasswordCommand;
  }
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merged into MfaResults
  interface MfaResults extends ApiPasswordResults {}
}

/** Service methods the API-password feature adds to `Mfa`. */
export interface ApiPasswordsMfa {
  /**
   * Issues an API password, shown once. Once the user has MFA, a `proof` (`{ fresh: true }`, `{ code }`,
   * `{ token }`) is checked when passed, and needed with `requireProof`.
   */
  issueApiPassword(userId: string, options?: { label?: string; proof?: Proof }): Promise<IssueApiPasswordCommandResult>;
  /**
   * Finds and checks the owner of a self-describing API key (`Authorization: Bearer <key>`) with no
   * user id: the key id leads through the store's lookup index to the user, whose stored SHA-256 is
   * then compared in constant time. Reads only; never throws on `presented`.
   *
   * @throws {@link MfaError} `INVALID_OPTION` when the store has no `lookup` (see `MfaLookupStore`)
   * @example
   * ```ts
   * import { createMfa, MemoryStore, apiPasswords } from 'mfakit';
   * const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', features: [apiPasswords()] });
   * const issued = await mfa.issueApiPassword('alice');
   * if (issued.ok) await mfa.verifyApiKey(issued.password); // { ok: true, userId: 'alice', keyId: …, label: '' }
   * ```
   */
  verifyApiKey(presented: unknown): Promise<VerifyApiKeyResult>;
  /** Checks a presented API password (constant time). Reads only; failures do not lock the account. */
  verifyApiPassword(userId: string, presented: unknown): Promise<VerifyApiPasswordResult>;
  /** Revokes one API password by id. */
  revokeApiPassword(userId: string, id: string): Promise<{ readonly ok: true; readonly revoked: boolean }>;
  /** The user's API passwords: id, label, date; never the hash. */
  listApiPasswords(userId: string): Promise<ApiPasswordSummary[]>;
  /** Whether the account password may authenticate on `channel`: not on `api` once MFA is active. */
  passwordAuthAllowed(userId: string, channel: PasswordChannel): Promise<boolean>;
}

/**
 * API passwords: random passwords for scripts and API clients, stored as SHA-256, shown once, with
 * a per-user limit; once MFA is active the account password no longer works on the API. Pass it to
 * `createMfa`.
 *
 * @throws {@link MfaError} `INVALID_OPTION` for bad options
 * @example
 * ```ts
 * import { createMfa, MemoryStore, apiPasswords } from 'mfakit';
 * const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', features: [apiPasswords({ maxPerUser: 3 })] });
 * const issued = await mfa.issueApiPassword('u1', { label: 'backup script' });
 * if (issued.ok) (await mfa.verifyApiPassword('u1', issued.password)).ok; // true
 * ```
 */
export function apiPasswords(options: LifecycleApiPasswordOptions = {}): MfaFeature<ApiPasswordsMfa> {
  const o = resolveApiPasswordOptions(options ?? {});
  return {
    name: 'apiPasswords',
    handlers: {
      issueApiPassword: (record, command, ctx) => issueApiPasswordTransition(record, command, ctx, o),
      revokeApiPassword: revokeApiPasswordTransition,
    },
    slice: { key: 'apiPasswords', problem: apiPasswordsProblem },
    adminReset(record, ctx) {
      const revoke = o.revokeOnAdminReset ? apiPasswordsOf(record) : [];
      if (revoke.length === 0) return null;
      const events = revoke.map((p): MfaEvent => ({ type: 'api_password_revoked', userId: record.userId, at: ctx.now, id: p.id, by: 'admin' }));
      return { patch: withApiPasswords(record, []), events };
    },
    methods: ({ execute, read, store }) => ({
      issueApiPassword: (userId, i = {}) =>
        execute(userId, {
          type: 'issueApiPassword',
          ...(i.label === undefined ? {} : { label: i.label }),
          ...(i.proof === undefined ? {} : { proof: i.proof }),
        }) as Promise<IssueApiPasswordCommandResult>,
      async verifyApiPassword(userId, presented) {
        return checkApiPassword(apiPasswordsOf(await read(userId)), presented, { prefix: o.prefix });
      },
      async verifyApiKey(presented) {
        const lookup = lookupOf(store);
        const parsed = parseApiKey(presented, { prefix: o.prefix });
        if (!parsed.ok) return { ok: false, reason: 'format' };
        const userId = await lookup(API_KEY_LOOKUP + parsed.keyId);
        if (userId === null) return { ok: false, reason: 'unknown_key' };
        const checked = checkApiPassword(apiPasswordsOf(await read(userId)), presented, { prefix: o.prefix });
        // The hash is the proof; the id check only refuses a key filed under another id.
        if (!checked.ok || checked.id !== parsed.keyId) return { ok: false, reason: 'mismatch' };
        return { ok: true, userId, keyId: parsed.keyId, label: checked.label };
      },
      async revokeApiPassword(userId, id) {
        if (typeof id !== 'string') throw new MfaError('INVALID_OPTION', 'id must be a string');
        return execute(userId, { type: 'revokeApiPassword', id }) as Promise<{ readonly ok: true; readonly revoked: boolean }>;
      },
      async listApiPasswords(userId) {
        return summarizeApiPasswords(apiPasswordsOf(await read(userId)));
      },
      async passwordAuthAllowed(userId, channel) {
        const record = await read(userId);
        return passwordAuthAllowedFor({
          // An unfinished reset still counts as MFA: the API keeps asking for an API password.
          status: isResetPending(record) ? 'active' : record.status,
          channel,
          allowAccountPasswordOnApi: o.allowAccountPasswordOnApi,
        });
      },
    }),
  };
}

/** The store's `lookup`, bound; INVALID_OPTION when the store has none (a configuration error). */
function lookupOf(store: MfaStore | undefined): (key: string) => Promise<string | null> {
  const lookup = (store as Partial<MfaLookupStore> | undefined)?.lookup;
  if (typeof lookup !== 'function') {
    throw new MfaError('INVALID_OPTION', 'verifyApiKey needs a store with lookup(key) (MfaLookupStore): every mfakit store has it');
  }
  return (key) => lookup.call(store, key);
}

export type { LifecycleApiPasswordOptions, ResolvedApiPasswordOptions, IssueApiPasswordCommandResult } from './transitions.js';
export type { ApiPasswordsSlice } from './slice.js';
