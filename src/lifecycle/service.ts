import { MfaError } from '../errors.js';
import { cryptoRandom, systemClock, type Clock, type RandomSource } from '../random.js';
import type { SecretCipher } from '../secret-cipher.js';
import { checkInteger } from '../_internal/check.js';
import { checkText } from '../_internal/text.js';
import { enrollmentOf, type BeginEnrollmentResult, type ConfirmEnrollmentResult, type Enrollment, type ResetSecretResult } from './features/enrollment/enrollment.js';
import type { MfaEvent } from './events.js';
import type { VerifyLoginResult } from './features/login/login.js';
import { checkActor, type AdminResetResult, type DisableResult, type Proof, type RegenerateRecoveryCodesResult } from './features/management/management.js';
import { checkRecoveryCodesUnlikeCodes, resolveLifecycleOptions, type LifecycleOptions, type ResolvedLifecycleOptions } from './options.js';
import {
  checkScope,
  checkUserId,
  isMfaRequired,
  loginRequirementOf,
  policyRecordId,
  scopePolicyCodec,
  setScopePolicyStep,
  type EnforcementPolicy,
  type LoginRequirement,
  type PolicyTarget,
} from './features/policy/policy.js';
import type { MethodType, MfaRecord, MfaStatus } from './record.js';
import { featureMissing, featureSet, type FeatureHost, type FeatureMethods, type MfaFeature } from './feature.js';
import type { MfaStore } from './store.js';
import { createEngine } from './engine.js';
import { userRecordCodec } from './sealing.js';
import type { TransitionContext } from './transition-types.js';
import { transition, type MfaCommand, type MfaResults } from './transitions.js';
import { isLocked } from './features/throttle/throttle.js';
import { pepperSourceOf } from './features/recovery-codes/recovery-pepper.js';
import { withoutExpiredPending } from './features/enrollment/pending-expiry.js';
import type { UnlockResult } from './features/management/unlock.js';
import { remaining } from './features/login/verification.js';

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
  /**
   * Opt-in features: `oneTimeCodes({ sender })` (e-mail/SMS codes), `confirmationTokens()` and
   * `apiPasswords()`. Each adds its commands and methods to the service; an app that leaves one out
   * does not bundle it. Default: none (TOTP, recovery codes, lockout, policies and management only).
   */
  features?: readonly MfaFeature[];
  /**
   * The enforcement scopes (organisations, tenants) a user belongs to; scope policies set with
   * `setPolicy({ scope }, …)` apply to them. Default: none.
   */
  policyScopes?: (userId: string) => readonly string[] | Promise<readonly string[]>;
  /** Load → transition → compare-and-set rounds before giving up with `CONFLICT`. Default 16. */
  maxAttempts?: number;
}

/** What a settings page shows; no secret in it. */
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

/**
 * The MFA lifecycle service returned by {@link createMfa}, without the methods of opt-in features
 * (`createMfa` adds those of the features it is given). Every method is safe under concurrency.
 */
export interface Mfa {
  /** The resolved lifecycle options. */
  readonly options: ResolvedLifecycleOptions;
  /** disabled/pending → pending with a new secret; returns the URI and manual key. */
  beginEnrollment(userId: string, options: { account: string }): Promise<BeginEnrollmentResult>;
  /** The pending enrolment (to show its QR again at next login), or null when not pending. */
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
   * active → pending with a new secret; the old one fails at once. Needs a `proof`;
   * the default `{ fresh: true }` holds within `freshWithin` of the user's last login, else answers
   * `proof_required`.
   */
  resetSecret(userId: string, options?: { account?: string; proof?: Proof }): Promise<ResetSecretResult>;
  /**
   * An administrator clears a user's MFA and, by default, their API passwords.
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
export function createMfa<const F extends readonly MfaFeature[] = []>(
  options: CreateMfaOptions & { features?: F },
): Mfa & FeatureMethods<F> {
  const { store, cipher, policyScopes } = options;
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
  const features = featureSet(options.features);
  for (const factor of Object.values(features.factors)) {
    if (factor.recoveryCodes) checkRecoveryCodesUnlikeCodes(resolved.recoveryCodes, factor.digits, `${factor.types.join('/')} code length`);
  }
  const engine = createEngine({ store, clock, maxAttempts, onEvent: options.onEvent });
  const users = userRecordCodec(cipher, requireSealed, features.slices);

  /** The record as the lifecycle reads it at `now` (an expired enrolment dropped; nothing written). */
  async function read(userId: string, now: number): Promise<MfaRecord> {
    return withoutExpiredPending((await engine.load(userId, users, now, false)).record, now, resolved).record;
  }

  /** `seen`: scope policies already read (a page of users shares them). */
  async function scopeRequired(userId: string, seen?: Map<string, Promise<EnforcementPolicy | null>>): Promise<boolean> {
    if (policyScopes === undefined) return false;
    const scopes = await policyScopes(userId);
    for (const scope of scopes) {
      let policy = seen?.get(scope);
      if (policy === undefined) {
        policy = readScopePolicy(scope);
        seen?.set(scope, policy);
      }
      if ((await policy)?.required === true) return true;
    }
    return false;
  }

  async function readScopePolicy(scope: string): Promise<EnforcementPolicy | null> {
    checkScope(scope);
    const loaded = await engine.load(policyRecordId(scope), scopePolicyCodec(scope), 0, false);
    return loaded.exists ? { required: loaded.record.required } : null;
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
    return engine.run(userId, users, (record, now) => {
      const ctx: TransitionContext =
        peppers === undefined
          ? { now, rng, options: resolved, scopeRequired: required, features }
          : { now, rng, options: resolved, scopeRequired: required, peppers, features };
      return transition(record, command, ctx);
    });
  }

  async function getStatus(userId: string): Promise<MfaStatusView> {
    checkUserId(userId);
    const now = clock.now();
    const [record, scope] = await Promise.all([read(userId, now), scopeRequired(userId)]);
    return statusView(record, scope, now);
  }

  function statusView(record: MfaRecord, scope: boolean, now: number): MfaStatusView {
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
    await engine.run(policyRecordId(scope), scopePolicyCodec(scope), (current, now) => setScopePolicyStep(current, policy, actor, now));
  }

  function checkPolicy(policy: EnforcementPolicy | null): void {
    if (policy !== null && (typeof policy !== 'object' || typeof policy.required !== 'boolean')) {
      throw new MfaError('INVALID_OPTION', 'policy must be { required: boolean } or null');
    }
  }

  const host: FeatureHost = {
    execute: execute as FeatureHost['execute'],
    async read(userId) {
      checkUserId(userId);
      return read(userId, clock.now());
    },
    options: resolved,
    clock,
    rng,
    store,
    async statusOf(userId, data, seen) {
      const now = clock.now();
      const record = withoutExpiredPending(users.parse(data, userId), now, resolved).record;
      return statusView(record, await scopeRequired(userId, seen as Map<string, Promise<EnforcementPolicy | null>>), now);
    },
  };

  const mfa: Mfa = {
    options: resolved,
    execute,
    async beginEnrollment(userId, o) {
      if (o !== null && typeof o === 'object' && 'method' in o) throw featureMissing('beginEnrollment with a method', 'oneTimeCodes({ sender })');
      return execute(userId, { type: 'beginEnrollment', account: o?.account });
    },
    async pendingEnrollment(userId) {
      checkUserId(userId);
      const now = clock.now();
      const { record } = await engine.load(userId, users, now, true);
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
      const { record } = await engine.load(target.userId, users, clock.now(), false);
      return record.policy === null ? null : { required: record.policy.required };
    },
    async removeUser(userId) {
      checkUserId(userId);
      await engine.remove(userId);
    },
  };
  // The features' methods; one that shares a name with a core method (beginEnrollment with an
  // e-mail/SMS method) takes the calls the core one cannot serve.
  const service: Record<string, unknown> = mfa as unknown as Record<string, unknown>;
  for (const f of features.list) {
    for (const [name, method] of Object.entries(f.methods?.(host) ?? {})) {
      const core = service[name] as ((...args: unknown[]) => unknown) | undefined;
      service[name] =
        core === undefined
          ? method
          : (userId: string, o: unknown) => (o !== null && typeof o === 'object' && 'method' in o ? method(userId, o) : core(userId, o));
    }
  }
  return mfa as Mfa & FeatureMethods<F>;
}
