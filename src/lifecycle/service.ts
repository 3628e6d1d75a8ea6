import { MfaError } from '../errors.js';
import { cryptoRandom, systemClock, type Clock, type RandomSource } from '../random.js';
import type { SecretCipher } from '../secret-cipher.js';
import type { Sender } from '../one-time-codes.js';
import { checkInteger } from '../_internal/check.js';
import { checkText } from '../_internal/text.js';
import { decodeBase64Url, encodeBase64Url } from '../_internal/base64.js';
import { enrollmentOf, type BeginEnrollmentResult, type ConfirmEnrollmentResult, type Enrollment, type ResetSecretResult } from './enrollment.js';
import type { MfaEvent } from './events.js';
import type { VerifyLoginResult } from './login.js';
import { checkActor, type AdminResetResult, type DisableResult, type Proof, type RegenerateRecoveryCodesResult } from './management.js';
import { resolveLifecycleOptions, type LifecycleOptions, type ResolvedLifecycleOptions } from './options.js';
import {
  checkScope,
  checkUserId,
  isMfaRequired,
  loginRequirementOf,
  parsePolicyRecord,
  policyRecordId,
  type EnforcementPolicy,
  type LoginRequirement,
  type PolicyTarget,
} from './policy.js';
import { emptyRecord, parseRecord, type MethodType, type MfaRecord, type MfaStatus, type TotpMethodState } from './record.js';
import {
  outOfBandService,
  type BeginOutOfBandEnrollmentResult,
  type OutOfBandEnrollmentOptions,
  type OutOfBandMfa,
} from './out-of-band-service.js';
import { directMemory } from './memory-store.js';
import { storeUnavailable, type MfaStore, type StoredRecord } from './store.js';
import type { TransitionContext } from './transition-types.js';
import { transition, type MfaCommand, type MfaResults } from './transitions.js';
import { isLocked } from './throttle.js';
import { pepperSourceOf } from './recovery-pepper.js';
import { withoutExpiredPending } from './pending-expiry.js';
import type { UnlockResult } from './unlock.js';
import { remaining } from './verification.js';

/** The cipher context purpose of TOTP secrets: binds each ciphertext to that field (AAD). */
const SECRET_PURPOSE = 'totp-secret';

/** Options of {@link createMfa}: the store, the lifecycle rules and the injected dependencies. */
export interface CreateMfaOptions extends LifecycleOptions {
  /** Where records live: `MemoryStore`, or an adapter from `mfakit/postgres`, `/sqlite`, `/redis`. */
  store: MfaStore;
  /** Default: the system clock. Tests pass a `FakeClock` (exported by `mfakit`). */
  clock?: Clock;
  /** Default: WebCrypto. */
  rng?: RandomSource;
  /**
   * Encrypts secrets at rest: decrypt after every load, encrypt before every write (an unchanged
   * secret keeps its ciphertext unless `needsRotation` says otherwise). Without one, stores hold the
   * secret as base64url.
   */
  cipher?: SecretCipher;
  /**
   * With a `cipher`: a TOTP secret found in the store unencrypted is `INVALID_RECORD` instead of being
   * accepted (and sealed on the next write). Turn it on once every record has been written since the
   * cipher was introduced: it stops someone with write access to the store from planting a secret
   * they know. Needs `cipher` (`INVALID_OPTION` otherwise). Default false.
   */
  requireSealed?: boolean;
  /** Receives audit events after the change they describe is committed. Errors it throws reach the caller after the write. */
  onEvent?: (event: MfaEvent) => void;
  /** Delivers e-mail/SMS codes (`beginEnrollment({ method: 'email' })`, `sendChallenge`). mfakit never sends mail itself. */
  sender?: Sender;
  /**
   * The enforcement scopes (organisations, tenants) a user belongs to; scope policies set with
   * `setPolicy({ scope }, …)` apply to them. Default: none.
   */
  policyScopes?: (userId: string) => readonly string[] | Promise<readonly string[]>;
  /** Load → transition → compare-and-set rounds before giving up with `CONFLICT`. Default 16. */
  maxAttempts?: number;
}

/** What a settings page shows (seed 001 "MFA Enabled"); no secret in it. */
export interface MfaStatusView {
  readonly status: MfaStatus;
  readonly method: MethodType | null;
  /** A policy (per-user or scope) makes MFA mandatory. */
  readonly required: boolean;
  readonly loginRequirement: LoginRequirement;
  readonly remainingRecoveryCodes: number;
  readonly failures: number;
  /** When the current lockout ends; null when not locked out (now). */
  readonly lockedUntil: number | null;
  readonly activatedAt: number | null;
}

/** The MFA lifecycle service returned by {@link createMfa}. Every method is safe under concurrency. */
export interface Mfa extends OutOfBandMfa {
  /** The resolved lifecycle options. */
  readonly options: ResolvedLifecycleOptions;
  /** disabled/pending → pending with a new secret; returns the URI and manual key (seeds 000–003). */
  beginEnrollment(userId: string, options: { account: string }): Promise<BeginEnrollmentResult>;
  /**
   * disabled/pending → pending with an e-mail/SMS method; sends the first code (purpose `enroll`)
   * through the configured `Sender` (seeds 000 "One Time E-mail Password", 003 `mk EMAIL|SMS`).
   */
  beginEnrollment(userId: string, options: OutOfBandEnrollmentOptions): Promise<BeginOutOfBandEnrollmentResult>;
  /** The pending enrolment (to show its QR again at next login, seed 001), or null when not pending. */
  pendingEnrollment(userId: string): Promise<Enrollment | null>;
  /** pending → active with a current code; returns the recovery codes exactly once. */
  confirmEnrollment(userId: string, code: string): Promise<ConfirmEnrollmentResult>;
  /**
   * Checks a TOTP or recovery code at login. Pass `client` (an IP address or a device id) so that
   * failures lock that client before they lock the account: an attacker with the password cannot
   * then keep the owner out from elsewhere (see `throttle.accountMaxFailures`).
   */
  verifyLogin(userId: string, input: string, options?: { client?: string }): Promise<VerifyLoginResult>;
  /** What the login flow must ask for next. */
  loginRequirement(userId: string): Promise<LoginRequirement>;
  /** Status for a settings page. */
  getStatus(userId: string): Promise<MfaStatusView>;
  /**
   * active → pending with a new secret; the old one fails at once (seeds 001, 004). Needs a `proof`;
   * the default `{ fresh: true }` holds within `freshWithin` of the user's last login, else answers
   * `proof_required`.
   */
  resetSecret(userId: string, options?: { account?: string; proof?: Proof }): Promise<ResetSecretResult>;
  /**
   * An administrator clears a user's MFA (seed 004 root user) and, by default, their API passwords.
   * `actor` (who did it) is required and goes into the audit event.
   */
  adminReset(userId: string, options: { actor: string }): Promise<AdminResetResult>;
  /**
   * Clears the failure counters and locks (account and clients) and nothing else; `actor` is
   * required and every call emits an `unlocked` event.
   */
  unlock(userId: string, options: { actor: string }): Promise<UnlockResult>;
  /** Turns MFA off with a proof; refused while a policy requires MFA. */
  disable(userId: string, proof: Proof): Promise<DisableResult>;
  /** Replaces the recovery codes, with a proof. */
  regenerateRecoveryCodes(userId: string, proof: Proof): Promise<RegenerateRecoveryCodesResult>;
  /**
   * Sets (or with `null` removes) an enforcement policy for a scope or a user. `actor` (who did it) is
   * required and goes into the audit event, emitted even when the policy already had this value.
   */
  setPolicy(target: PolicyTarget, policy: EnforcementPolicy | null, options: { actor: string }): Promise<void>;
  /** The policy set for exactly this target (not the effective one: see `getStatus().required`). */
  getPolicy(target: PolicyTarget): Promise<EnforcementPolicy | null>;
  /** Deletes a user's MFA record (account deletion). */
  removeUser(userId: string): Promise<void>;
  /**
   * Low-level door: runs any {@link MfaCommand} through load → transition → compare-and-set →
   * events. The methods above are thin wrappers over it; extensions use it for their own commands.
   */
  execute<C extends MfaCommand>(userId: string, command: C): Promise<MfaResults[C['type']]>;
}

/** A record as loaded: open (plaintext base64url secret) plus what is needed to write it back. */
interface Loaded {
  readonly record: MfaRecord;
  readonly exists: boolean;
  /** Ciphertext and plaintext of the secret as loaded, to avoid re-encrypting an unchanged secret. */
  readonly sealed: string | null;
  readonly open: string | null;
}

/**
 * Creates the MFA lifecycle service: a thin shell that loads a record, applies a pure transition,
 * writes it back with compare-and-set (reloading and retrying on conflict), and emits audit events
 * once the write is committed.
 *
 * @throws {@link MfaError} `INVALID_OPTION` for bad options
 * @example Enrol, confirm, log in
 * ```ts
 * import { createMfa, MemoryStore, totp } from 'mfakit';
 * const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme' });
 * const enrollment = await mfa.beginEnrollment('u1', { account: 'alice@example.com' });
 * if (enrollment.ok) {
 *   console.log(enrollment.uri); // show as QR
 *   const confirmed = await mfa.confirmEnrollment('u1', totp(enrollment.secret));
 *   if (confirmed.ok) console.log(confirmed.recoveryCodes); // show once
 * }
 * await mfa.loginRequirement('u1'); // 'verify'
 * ```
 */
export function createMfa(options: CreateMfaOptions): Mfa {
  const { store, cipher, onEvent, policyScopes } = options;
  if (store === null || typeof store !== 'object' || typeof store.get !== 'function' || typeof store.compareAndSet !== 'function') {
    throw new MfaError('INVALID_OPTION', 'store must implement MfaStore');
  }
  const clock = options.clock ?? systemClock;
  const rng = options.rng ?? cryptoRandom;
  const resolved = resolveLifecycleOptions(options);
  const maxAttempts = checkInteger('maxAttempts', options.maxAttempts ?? 16, 1, 1000);
  const peppers = pepperSourceOf(cipher, resolved.recoveryCodes.hashing);
  const requireSealed = options.requireSealed === true;
  if (requireSealed && cipher === undefined) throw new MfaError('INVALID_OPTION', 'requireSealed needs a cipher');

  async function get(id: string): Promise<StoredRecord | null> {
    try {
      return await store.get(id);
    } catch (err) {
      throw err instanceof MfaError ? err : storeUnavailable('get', err);
    }
  }

  async function compareAndSet(id: string, expected: number | null, record: StoredRecord): Promise<boolean> {
    try {
      return await store.compareAndSet(id, expected, record);
    } catch (err) {
      throw err instanceof MfaError ? err : storeUnavailable('compareAndSet', err);
    }
  }

  async function load(userId: string, now: number, open: boolean): Promise<Loaded> {
    const direct = directMemory(store);
    const loaded = loadedOf(userId, direct === null ? await get(userId) : direct.read(userId), now);
    return open && isSealed(loaded.record) ? openSecret(userId, loaded) : loaded;
  }

  /** The record as the lifecycle reads it at `now` (an expired enrolment dropped; nothing written). */
  async function read(userId: string, now: number): Promise<MfaRecord> {
    return withoutExpiredPending((await load(userId, now, false)).record, now, resolved).record;
  }

  /** Validates what the store returned; a sealed secret stays sealed (see {@link openSecret}). */
  function loadedOf(userId: string, data: StoredRecord | null, now: number): Loaded {
    if (data === null) return { record: emptyRecord(userId, now), exists: false, sealed: null, open: null };
    const record = parseRecord(data, userId);
    if (requireSealed && record.method?.type === 'totp' && !isSealed(record)) {
      throw new MfaError('INVALID_RECORD', 'stored MFA record is invalid: method.secret is not encrypted (requireSealed)');
    }
    return { record, exists: true, sealed: null, open: null };
  }

  function isSealed(record: MfaRecord): boolean {
    const method = record.method;
    return method !== null && method.type === 'totp' && method.secretSealed === true;
  }

  /** Decrypts the secret of a sealed record, keeping the ciphertext to write back unchanged. */
  async function openSecret(userId: string, loaded: Loaded): Promise<Loaded> {
    const record = loaded.record;
    const method = record.method as TotpMethodState;
    if (cipher === undefined) {
      throw new MfaError('CIPHER_FAILURE', 'the stored secret is encrypted but no cipher is configured');
    }
    let bytes: Uint8Array;
    try {
      bytes = await cipher.decrypt(method.secret, { userId, purpose: SECRET_PURPOSE });
    } catch (err) {
      throw err instanceof MfaError ? err : new MfaError('CIPHER_FAILURE', 'could not decrypt the stored secret', { cause: err });
    }
    const { secretSealed: _sealed, ...rest } = method;
    const plain = encodeBase64Url(bytes);
    return { record: { ...record, method: { ...rest, secret: plain } }, exists: true, sealed: method.secret, open: plain };
  }

  async function seal(userId: string, record: MfaRecord, loaded: Loaded): Promise<MfaRecord> {
    const method = record.method;
    if (cipher === undefined || method === null || method.type !== 'totp') return record;
    let sealed: string;
    if (loaded.sealed !== null && method.secret === loaded.open && cipher.needsRotation?.(loaded.sealed) !== true) {
      sealed = loaded.sealed;
    } else {
      const bytes = decodeBase64Url(method.secret, { canonical: false });
      if (bytes === null) throw new MfaError('INVALID_RECORD', 'stored MFA record is invalid: method.secret');
      try {
        sealed = await cipher.encrypt(bytes, { userId, purpose: SECRET_PURPOSE });
      } catch (err) {
        throw err instanceof MfaError ? err : new MfaError('CIPHER_FAILURE', 'could not encrypt the secret', { cause: err });
      }
    }
    const sealedMethod: TotpMethodState = { ...method, secret: sealed, secretSealed: true };
    return { ...record, method: sealedMethod };
  }

  function emit(events: readonly MfaEvent[]): void {
    if (onEvent === undefined || events.length === 0) return;
    let failure: unknown;
    let failed = false;
    for (const event of events) {
      try {
        onEvent(event);
      } catch (err) {
        if (!failed) {
          failed = true;
          failure = err;
        }
      }
    }
    if (failed) throw failure;
  }

  async function scopeRequired(userId: string): Promise<boolean> {
    if (policyScopes === undefined) return false;
    const scopes = await policyScopes(userId);
    for (const scope of scopes) {
      const policy = await readScopePolicy(scope);
      if (policy?.required === true) return true;
    }
    return false;
  }

  async function readScopePolicy(scope: string): Promise<EnforcementPolicy | null> {
    checkScope(scope);
    const data = await get(policyRecordId(scope));
    return data === null ? null : { required: parsePolicyRecord(data, scope).required };
  }

  const needsScopes: ReadonlySet<MfaCommand['type']> = new Set(['disable']);

  /**
   * Every string field of a command that the application supplies (account, destination, purpose,
   * label, actor, id) is checked before the first read, so a hostile value fails its own call and
   * never reaches a store batch it shares with other users. Fields a user types (`code`, `input`;
   * proofs are objects) are not: a bad code is a result, never an exception.
   */
  function checkCommandText(command: MfaCommand): void {
    if (command === null || typeof command !== 'object') return; // transition() refuses it
    for (const [field, value] of Object.entries(command)) {
      if (typeof value === 'string' && field !== 'code' && field !== 'input') checkText(field, value);
    }
  }

  async function execute<C extends MfaCommand>(userId: string, command: C): Promise<MfaResults[C['type']]> {
    checkUserId(userId);
    checkCommandText(command);
    const required = needsScopes.has(command.type) ? await scopeRequired(userId) : false;
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const now = clock.now();
      // A plain MemoryStore is read and written in place, without a promise hop (see MemoryStore).
      const direct = directMemory(store);
      let loaded = loadedOf(userId, direct === null ? await get(userId) : direct.read(userId), now);
      if (isSealed(loaded.record)) loaded = await openSecret(userId, loaded);
      const ctx: TransitionContext =
        peppers === undefined ? { now, rng, options: resolved, scopeRequired: required } : { now, rng, options: resolved, scopeRequired: required, peppers };
      const out = transition(loaded.record, command, ctx);
      if (out.record !== loaded.record) {
        const sealed = cipher === undefined ? out.record : await seal(userId, out.record, loaded);
        const version = loaded.exists ? loaded.record.version : null;
        const next: StoredRecord = { ...sealed, version: (version ?? 0) + 1 };
        const written = direct === null ? await compareAndSet(userId, version, next) : direct.write(userId, version, next);
        if (!written) continue;
      }
      emit(out.events);
      return out.result;
    }
    throw new MfaError('CONFLICT', `gave up after ${maxAttempts} conflicting concurrent updates`);
  }

  async function getStatus(userId: string): Promise<MfaStatusView> {
    checkUserId(userId);
    const now = clock.now();
    const [record, scope] = await Promise.all([read(userId, now), scopeRequired(userId)]);
    return {
      status: record.status,
      method: record.method?.type ?? null,
      required: isMfaRequired(record, scope),
      loginRequirement: loginRequirementOf(record, scope),
      remainingRecoveryCodes: remaining(record),
      failures: record.failures,
      lockedUntil: isLocked(record, now) ? record.lockedUntil : null,
      activatedAt: record.activatedAt,
    };
  }

  async function setScopePolicy(scope: string, policy: EnforcementPolicy | null, actor: string): Promise<void> {
    checkScope(scope);
    const id = policyRecordId(scope);
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const now = clock.now();
      const data = await get(id);
      const current = data === null ? null : parsePolicyRecord(data, scope);
      if ((current?.required ?? null) === (policy?.required ?? null)) {
        emit([{ type: 'scope_policy_changed', at: now, scope, required: policy?.required ?? null, actor, unchanged: true }]);
        return;
      }
      if (policy === null) {
        try {
          await store.delete(id);
        } catch (err) {
          throw err instanceof MfaError ? err : storeUnavailable('delete', err);
        }
      } else {
        const next = { ...current, schema: 1, kind: 'policy', scope, required: policy.required, updatedAt: now, version: (current?.version ?? 0) + 1 };
        if (!(await compareAndSet(id, current?.version ?? null, next))) continue;
      }
      emit([{ type: 'scope_policy_changed', at: now, scope, required: policy?.required ?? null, actor }]);
      return;
    }
    throw new MfaError('CONFLICT', `gave up after ${maxAttempts} conflicting concurrent updates`);
  }

  function checkPolicy(policy: EnforcementPolicy | null): void {
    if (policy !== null && (typeof policy !== 'object' || typeof policy.required !== 'boolean')) {
      throw new MfaError('INVALID_OPTION', 'policy must be { required: boolean } or null');
    }
  }

  const { beginOutOfBandEnrollment, ...outOfBandMethods } = outOfBandService({
    execute,
    read: async (userId) => {
      checkUserId(userId);
      return read(userId, clock.now());
    },
    sender: options.sender,
    options: resolved,
  });

  function beginEnrollment(userId: string, o: { account: string }): Promise<BeginEnrollmentResult>;
  function beginEnrollment(userId: string, o: OutOfBandEnrollmentOptions): Promise<BeginOutOfBandEnrollmentResult>;
  function beginEnrollment(
    userId: string,
    o: { account: string } | OutOfBandEnrollmentOptions,
  ): Promise<BeginEnrollmentResult | BeginOutOfBandEnrollmentResult> {
    if (o !== null && typeof o === 'object' && 'method' in o) return beginOutOfBandEnrollment(userId, o);
    return execute(userId, { type: 'beginEnrollment', account: (o as { account: string })?.account });
  }

  return {
    options: resolved,
    execute,
    ...outOfBandMethods,
    beginEnrollment,
    async pendingEnrollment(userId) {
      checkUserId(userId);
      const now = clock.now();
      const { record } = await load(userId, now, true);
      if (withoutExpiredPending(record, now, resolved).record !== record) return null;
      if (record.status !== 'pending' || record.method === null || record.method.type !== 'totp') return null;
      return enrollmentOf(record.method, { now, rng, options: resolved, scopeRequired: false });
    },
    confirmEnrollment: (userId, code) => execute(userId, { type: 'confirmEnrollment', code }),
    verifyLogin: (userId, input, o = {}) =>
      execute(userId, o.client === undefined ? { type: 'verifyLogin', input } : { type: 'verifyLogin', input, client: o.client }),
    async loginRequirement(userId) {
      return (await getStatus(userId)).loginRequirement;
    },
    getStatus,
    resetSecret: (userId, o = {}) =>
      execute(userId, {
        type: 'resetSecret',
        ...(o.account === undefined ? {} : { account: o.account }),
        ...(o.proof === undefined ? {} : { proof: o.proof }),
      }),
    unlock: (userId, o) => execute(userId, { type: 'unlock', actor: o?.actor }),
    adminReset: (userId, o) => execute(userId, { type: 'adminReset', actor: (o as { actor?: string } | undefined)?.actor as string }),
    disable: (userId, proof) => execute(userId, { type: 'disable', proof }),
    regenerateRecoveryCodes: (userId, proof) => execute(userId, { type: 'regenerateRecoveryCodes', proof }),
    async setPolicy(target, policy, o) {
      checkPolicy(policy);
      const actor = checkActor((o as { actor?: unknown } | undefined)?.actor);
      if ('scope' in target) return setScopePolicy(target.scope, policy, actor);
      await execute(target.userId, { type: 'setUserPolicy', required: policy?.required ?? null, actor });
    },
    async getPolicy(target) {
      if ('scope' in target) return readScopePolicy(target.scope);
      checkUserId(target.userId);
      const { record } = await load(target.userId, clock.now(), false);
      // A copy: the record may be the stored object itself (MemoryStore).
      return record.policy === null ? null : { required: record.policy.required };
    },
    async removeUser(userId) {
      checkUserId(userId);
      try {
        await store.delete(userId);
      } catch (err) {
        throw err instanceof MfaError ? err : storeUnavailable('delete', err);
      }
    },
  };
}
