import { MfaError } from '../../../errors.js';
import {
  createApiPassword,
  removeApiPassword,
  type StoredApiPassword,
} from '../../../api-credentials.js';
import { checkInteger } from '../../../_internal/check.js';
import type { MfaEvent } from '../../events.js';
import type { MfaRecord } from '../../record.js';
import { lookupKeysOf, type StoredRecord } from '../../store.js';
import type { Transition, TransitionContext } from '../../transition-types.js';
import { redact } from '../../../_internal/redact.js';
import { proofCheck, type Proof, type ProofFailure } from '../management/proof.js';
import { isResetPending } from '../enrollment/pending-expiry.js';

/** Options of the `apiPasswords()` feature. */
export interface LifecycleApiPasswordOptions {
  /** How many a user may hold. Default 1: a new one replaces the old. */
  maxPerUser?: number;
  /** Prefix before `_`. Default `'mfak'`. */
  prefix?: string;
  /** Keep accepting the account password on the API when MFA is active. Default false. */
  allowAccountPasswordOnApi?: boolean;
  /**
   * Issue self-describing API keys `mfak_<keyId>_<secret><checksum>`, so `verifyApiKey(key)` finds
   * the owner from the key alone through the store's lookup index. Default true. False issues
   * `mfak_<secret><checksum>` passwords, checked with `verifyApiPassword(userId, password)` only.
   */
  withKeyId?: boolean;
  /**
   * `adminReset` also revokes every API password of the user. Default true: an administrator resets
   * MFA after a suspected compromise, and an API password minted by the intruder must not outlive
   * it. Set false only when API passwords are managed apart from MFA.
   */
  revokeOnAdminReset?: boolean;
  /**
   * Issuing needs a {@link Proof} once the user has MFA (active, or a reset pending), like `disable`
   * and `resetSecret`: `{ fresh: true }` (the default: a login or step-up within `freshWithin`), a
   * `{ code }` or a `{ token }`; without MFA there is no factor to prove and none is asked. Default
   * false: a proof is checked only when one is passed.
   */
  requireProof?: boolean;
}

/** {@link LifecycleApiPasswordOptions} with defaults filled in. */
export interface ResolvedApiPasswordOptions {
  readonly maxPerUser: number;
  readonly prefix: string;
  readonly allowAccountPasswordOnApi: boolean;
  readonly revokeOnAdminReset: boolean;
  readonly withKeyId: boolean;
  readonly requireProof: boolean;
}

/** @internal Fills in defaults and validates {@link LifecycleApiPasswordOptions}. */
export function resolveApiPasswordOptions(o: LifecycleApiPasswordOptions = {}): ResolvedApiPasswordOptions {
  const prefix = o.prefix ?? 'mfak';
  if (typeof prefix !== 'string' || !/^[a-z][a-z0-9]{1,15}$/.test(prefix)) {
    throw new MfaError('INVALID_OPTION', 'apiPasswords.prefix must be 2 to 16 characters a-z 0-9, starting with a letter');
  }
  return {
    maxPerUser: checkInteger('apiPasswords.maxPerUser', o.maxPerUser ?? 1, 1, 1000),
    prefix,
    allowAccountPasswordOnApi: o.allowAccountPasswordOnApi === true,
    revokeOnAdminReset: o.revokeOnAdminReset !== false,
    withKeyId: o.withKeyId !== false,
    requireProof: o.requireProof === true,
  };
}

/** Result of the `issueApiPassword` command. */
export type IssueApiPasswordCommandResult =
  | {
      readonly ok: true;
      /** Show once; it cannot be shown again. */
      readonly password: string;
      readonly id: string;
      readonly label: string;
      /** Ids of the passwords it replaced (one-per-user mode). */
      readonly replaced: readonly string[];
    }
  | { readonly ok: false; readonly reason: 'limit_reached' }
  | { readonly ok: false; readonly reason: ProofFailure; readonly retryAt?: number };

/** @internal The API passwords stored in a record (the `apiPasswords` field), validated. */
export function apiPasswordsOf(record: MfaRecord): readonly StoredApiPassword[] {
  return record.apiPasswords ?? [];
}

/** The namespace of API key ids in a record's `lookupKeys` (the store's lookup index). */
export const API_KEY_LOOKUP = 'apikey:';

/**
 * @internal The fields to write for a new list of API passwords: the list, and `lookupKeys` with
 * one `apikey:<id>` per password (other features' keys kept), which the store indexes in the same
 * write, so a revoked key stops resolving when the write returns.
 */
export function withApiPasswords(
  record: MfaRecord,
  credentials: readonly StoredApiPassword[],
): { apiPasswords: readonly StoredApiPassword[]; lookupKeys: readonly string[] } {
  const others = lookupKeysOf(record as unknown as StoredRecord).filter((k) => !k.startsWith(API_KEY_LOOKUP));
  return { apiPasswords: credentials, lookupKeys: [...others, ...credentials.map((c) => API_KEY_LOOKUP + c.id)] };
}

/**
 * `issueApiPassword`: a new API password, whatever the MFA status (one can be set up before MFA).
 * With a `proof` (or `requireProof`) and MFA in force, the proof is checked first, as for `disable`.
 */
export function issueApiPasswordTransition(
  record: MfaRecord,
  command: { readonly label?: string; readonly proof?: Proof },
  ctx: TransitionContext,
  o: ResolvedApiPasswordOptions,
): Transition<IssueApiPasswordCommandResult> {
  const events: MfaEvent[] = [];
  const reset = isResetPending(record);
  if ((record.status === 'active' || reset) && (command.proof !== undefined || o.requireProof)) {
    const proof = command.proof ?? { fresh: true };
    // A pending reset has no confirmed factor whose code could prove anything.
    if (reset && proof !== null && typeof proof === 'object' && 'code' in proof) {
      return { record, result: { ok: false, reason: 'proof_required' }, events };
    }
    const check = proofCheck(record, proof, 'issueApiPassword', ctx, events, false);
    if (!check.ok) {
      const result: IssueApiPasswordCommandResult =
        check.retryAt === undefined ? { ok: false, reason: check.reason } : { ok: false, reason: check.reason, retryAt: check.retryAt };
      return { record: check.record, result, events };
    }
    record = check.record;
  }
  const issued = createApiPassword(apiPasswordsOf(record), {
    now: ctx.now,
    rng: ctx.rng,
    prefix: o.prefix,
    maxPerUser: o.maxPerUser,
    withKeyId: o.withKeyId,
    ...(command.label === undefined ? {} : { label: command.label }),
  });
  if (!issued.ok) return { record, result: issued, events };
  const base = { userId: record.userId, at: ctx.now } as const;
  events.push(
    ...issued.replaced.map((id): MfaEvent => ({ ...base, type: 'api_password_revoked', id, by: 'replaced' })),
    { ...base, type: 'api_password_issued', id: issued.credential.id },
  );
  return {
    record: { ...record, ...withApiPasswords(record, issued.credentials), updatedAt: ctx.now },
    result: redact(
      { ok: true, password: issued.password, id: issued.credential.id, label: issued.credential.label, replaced: issued.replaced },
      ['password'],
    ),
    events,
  };
}

/** `revokeApiPassword`: removes one by id; it stops working at once. */
export function revokeApiPasswordTransition(
  record: MfaRecord,
  command: { readonly id: string },
  ctx: TransitionContext,
): Transition<{ readonly ok: true; readonly revoked: boolean }> {
  const { credentials, revoked } = removeApiPassword(apiPasswordsOf(record), command.id);
  if (!revoked) return { record, result: { ok: true, revoked: false }, events: [] };
  const event: MfaEvent = { type: 'api_password_revoked', userId: record.userId, at: ctx.now, id: command.id, by: 'user' };
  return { record: { ...record, ...withApiPasswords(record, credentials), updatedAt: ctx.now }, result: { ok: true, revoked: true }, events: [event] };
}
