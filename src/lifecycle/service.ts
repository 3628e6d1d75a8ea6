// `createMfa`: the assembly of a lifecycle service. It resolves the options, creates the engine
// over the store with the user-record codec, and gathers the service methods from the core features
// (enrolment, login, management: each in its folder) and the opt-in ones, lending them all
// the same host (`execute` runs a command through the engine).
import { MfaError } from '../errors.js';
import { cryptoRandom, systemClock, type Clock, type RandomSource } from '../random.js';
import { checkInteger } from '../_internal/check.js';
import { checkText } from '../_internal/text.js';
import type { CoreHost, CoreMethods } from './core-host.js';
import { createEngine } from './engine.js';
import type { MfaEvent } from './events.js';
import { featureMissing, featureSet, type FeatureMethods, type MfaFeature } from './feature.js';
import type { Mfa } from './mfa.js';
import { resolveLifecycleOptions, type LifecycleOptions } from './options.js';
import type { MfaRecord } from './record.js';
import { userRecordCodec } from './user-codec.js';
import type { MfaStore } from './store.js';
import type { StoredPolicy } from './features/policy/policy.js';
import type { TransitionContext } from './transition-types.js';
import { transition, type MfaCommand, type MfaResults } from './transitions.js';
import { enrollmentMethods } from './features/enrollment/methods.js';
import { withoutExpiredPending } from './features/enrollment/pending-expiry.js';
import { loginMethods } from './features/login/methods.js';
import { managementMethods } from './features/management/methods.js';
import { checkUserId } from './features/policy/policy.js';

export type { Mfa, MfaStatusView } from './mfa.js';

/** The methods of the core features: together they make up {@link Mfa}. */
const CORE_METHODS: readonly CoreMethods<object>[] = [enrollmentMethods, loginMethods, managementMethods];

/** Options of {@link createMfa}: the store, the lifecycle rules and the injected dependencies. */
export interface CreateMfaOptions extends LifecycleOptions {
  /** Where records live: `MemoryStore`, or an adapter from `mfakit/postgres`, `/sqlite`, `/redis`. */
  store: MfaStore;
  /** Default: the system clock. Tests pass a `FakeClock` (exported by `mfakit`). */
  clock?: Clock;
  /** Default: WebCrypto. */
  rng?: RandomSource;
  /** Receives audit events after the change they describe is committed. Errors it throws reach the caller after the write. */
  onEvent?: (event: MfaEvent) => void;
  /**
   * Opt-in features: `recoveryCodes()` (recommended: without it a user who loses the device needs an
   * administrator's reset), `encryptedSecrets(cipher)` (secrets at rest; stores hold them as base64url
   * without it), `policies({ scopes })` (setPolicy/getPolicy and scope policies),
   * `oneTimeCodes({ sender })` (e-mail/SMS codes), `confirmationTokens()`, `apiPasswords()` and more.
   * Each adds its commands and methods to the service; an app that leaves one out does not bundle it.
   * Default: none (TOTP, lockout and management only).
   */
  features?: readonly MfaFeature[];
  /** Load → transition → compare-and-set rounds before giving up with `CONFLICT`. Default 16. */
  maxAttempts?: number;
}

/**
 * Creates the MFA lifecycle service: a thin shell that loads a record, applies a pure transition,
 * writes it back with compare-and-set (reloading and retrying on conflict), and emits audit events
 * once the write is committed.
 *
 * @throws {@link MfaError} `INVALID_OPTION` for bad options
 * @example Enrol, confirm, log in
 * ```ts
 * import { createMfa, MemoryStore, recoveryCodes, totp } from 'mfakit';
 * const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', features: [recoveryCodes()] });
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
  const { store } = options;
  if (store === null || typeof store !== 'object' || typeof store.get !== 'function' || typeof store.compareAndSet !== 'function') {
    throw new MfaError('INVALID_OPTION', 'store must implement MfaStore');
  }
  const clock = options.clock ?? systemClock;
  const rng = options.rng ?? cryptoRandom;
  const resolved = resolveLifecycleOptions(options);
  const maxAttempts = checkInteger('maxAttempts', options.maxAttempts ?? 16, 1, 1000);
  const features = featureSet(options.features);
  // Secrets at rest are a feature now: an old `cipher`/`requireSealed` option must not be ignored.
  const legacy = options as { cipher?: unknown; requireSealed?: unknown; policyScopes?: unknown };
  if (legacy.cipher !== undefined || legacy.requireSealed !== undefined) throw featureMissing('cipher/requireSealed', 'encryptedSecrets(cipher, { requireSealed })');
  if (legacy.policyScopes !== undefined) throw featureMissing('policyScopes', 'policies({ scopes })');
  // Recovery codes check their settings against the factors and key their hashes with the cipher's pepper.
  const peppers = features.recoveryCodes?.prepare(features.secrets?.cipher, resolved, features);
  const engine = createEngine({ store, clock, maxAttempts, onEvent: options.onEvent });
  const users = userRecordCodec(features);

  /** The record as the lifecycle reads it at `now` (an expired enrolment dropped; nothing written). */
  async function readAt(userId: string, now: number): Promise<MfaRecord> {
    return withoutExpiredPending((await engine.load(userId, users, now, false)).record, now, resolved).record;
  }

  // The scope policies that apply to the user (required, user not exempt): `policies({ scopes })`, else none.
  const scoped = features.list.find((f) => f.scopePolicies !== undefined);
  const scopePolicies = async (userId: string): Promise<readonly StoredPolicy[]> => (scoped === undefined ? [] : scoped.scopePolicies!(host, userId));

  async function execute<C extends MfaCommand>(userId: string, command: C): Promise<MfaResults[C['type']]> {
    checkUserId(userId);
    checkCommandText(command);
    // `disable` is refused while a scope policy applies.
    const required = command.type === 'disable' && (await scopePolicies(userId)).length > 0;
    return engine.run(userId, users, (record, now) => {
      const ctx: TransitionContext =
        peppers === undefined
          ? { now, rng, options: resolved, scopeRequired: required, features }
          : { now, rng, options: resolved, scopeRequired: required, peppers, features };
      return transition(record, command, ctx);
    });
  }

  const host: CoreHost = {
    execute,
    async read(userId) {
      checkUserId(userId);
      return readAt(userId, clock.now());
    },
    options: resolved,
    clock,
    rng,
    engine,
    users,
    readAt,
    store,
    features,
    policies: scopePolicies,
    // Grace terms of policies (enrollBy, graceLogins, exempt) belong to the enforcementDeadlines() feature.
    terms: features.list.find((f) => f.policyTerms !== undefined)?.policyTerms,
  };

  // The methods of the core features, then those of the opt-in ones; one that shares a name with a
  // core method (beginEnrollment with an e-mail/SMS method) takes the calls the core one cannot serve.
  const service: Record<string, unknown> = { options: resolved, execute };
  for (const methods of [...CORE_METHODS.map((m) => m(host)), ...features.list.map((f) => f.methods?.(host))]) {
    for (const [name, method] of Object.entries(methods ?? {})) {
      const core = service[name] as ((...args: unknown[]) => unknown) | undefined;
      service[name] =
        core === undefined
          ? method
          : (userId: string, o: unknown) => (o !== null && typeof o === 'object' && 'method' in o ? method(userId, o) : core(userId, o));
    }
  }
  return service as unknown as Mfa & FeatureMethods<F>;
}

/**
 * Every string field of a command that the application supplies (account, destination, purpose,
 * label, actor, id) is checked before the first read, so a hostile value fails its own call and
 * never reaches a store batch it shares with other users. Fields a user types (`code`, `input`;
 * proofs are objects) are not: a bad code is a result, never an exception.
 */
function checkCommandText(command: MfaCommand): void {
  if (command === null || typeof command !== 'object') return; // transition() refuses it
  for (const [field, value] of Object.entries(command)) {
    if (typeof value === 'string' && field !== 'code' && field !== 'input' && field !== 'secretUrl') checkText(field, value);
  }
}
