// The types shared by the engine, the transitions and the features: the transition context, what a
// transition returns, and the feature contract (`MfaFeature` and what it plugs into). One module
// because they refer to each other; types only, and it imports no lifecycle logic, so every
// transition and feature can depend on it without a cycle.
import type { Clock, RandomSource } from '../random.js';
import type { CheckedOperation, MfaEvent } from './events.js';
import type { ResolvedLifecycleOptions } from './options.js';
import type { MethodType, MfaRecord } from './record.js';
import type { MfaStore } from './store.js';
import type { PepperSource } from './features/recovery-codes/pepper-source.js';
import type { EnforcementGrace, EnforcementPolicy, LoginRequirement, PolicyTarget, StoredPolicy } from './features/policy/policy.js';
import type { RecordCodec } from './engine.js';
import type { SecretCipher } from '../secret-cipher.js';
import type { StoredRecoveryCodeSet } from '../recovery-code-set.js';

/** Everything a pure transition may use besides the record and the command. No I/O in here. */
export interface TransitionContext {
  /** The time, ms since the Unix epoch (the service reads its clock once per attempt). */
  readonly now: number;
  /** Randomness for new secrets and recovery codes. */
  readonly rng: RandomSource;
  readonly options: ResolvedLifecycleOptions;
  /** True when an organisation-wide policy (a scope the user belongs to) requires MFA. */
  readonly scopeRequired: boolean;
  /** Peppers derived from the service's cipher, keying recovery-code hashes (absent: none). */
  readonly peppers?: PepperSource;
  /** The service's opt-in features (their commands, factor verifiers and hooks); absent: none. */
  readonly features?: FeatureSet;
}

/**
 * What a transition returns. `record` is the record to store; when it is the very object passed in
 * nothing changed and the service writes nothing. `events` describe the change and are emitted only
 * once it is committed (or at once when nothing is written).
 */
export interface Transition<R> {
  readonly record: MfaRecord;
  readonly result: R;
  readonly events: readonly MfaEvent[];
}

/**
 * Why a code check failed. `replayed` covers a TOTP step already used and a used recovery code;
 * `expired`: no e-mail/SMS code (or confirmation token) for this purpose is pending, or it expired —
 * send a new one.
 */
export type CheckFailure = 'format' | 'mismatch' | 'replayed' | 'expired';

/** A pure command handler of a feature. */
export type FeatureHandler = (record: MfaRecord, command: never, ctx: TransitionContext) => Transition<unknown>;

/** What a factor verifier or a proof check answers; `record` is the record to store either way. */
export type FeatureCheck =
  | {
      ok: true;
      record: MfaRecord;
      /** The id of the authenticator that matched. */
      matched?: string;
      /** The type of the factor that matched, when not the primary's (another authenticator's). */
      method?: MethodType;
      /** Audit events of the check itself (e.g. a learned clock drift). */
      events?: readonly MfaEvent[];
    }
  | {
      ok: false;
      record: MfaRecord;
      reason: CheckFailure | 'locked';
      retryAt?: number;
      /** Failures a mismatch counts for (default 1): several secrets checked at once are several guesses. */
      weight?: number;
    };

/** What a feature's `loginInput` answers; `record` is the record to store either way. */
export type FeatureLoginCheck =
  | { ok: true; record: MfaRecord; method: 'device' }
  | { ok: false; record: MfaRecord; reason: CheckFailure | 'locked'; retryAt?: number };

/** A factor type a feature verifies (e.g. `email`, `sms`). */
export interface FeatureFactor {
  readonly types: readonly string[];
  /** Checks a typed code; `format` lets the caller try a recovery code instead. */
  check(record: MfaRecord, input: string, operation: CheckedOperation, ctx: TransitionContext): FeatureCheck;
  /** Issue recovery codes when this factor is confirmed. */
  readonly recoveryCodes: boolean;
  /** Length of its codes: a recovery code of digits only and this length would be read as one. */
  readonly digits: number;
}

/**
 * Per-client throttling, brought by `clientThrottle()`: what `verifyLogin(…, { client })` runs. `key`
 * validates the client id and turns it into the stored key; the others read and update the record.
 */
export interface FeatureClientThrottle {
  key(userId: string, client: unknown): string;
  blockedUntil(record: MfaRecord, key: string, now: number): number | null;
  succeeded(record: MfaRecord, key: string, now: number, options: ResolvedLifecycleOptions): MfaRecord;
  countFailure(
    record: MfaRecord,
    key: string,
    operation: CheckedOperation,
    now: number,
    options: ResolvedLifecycleOptions,
    events: MfaEvent[],
    /** Failures this one counts for (default 1; see `FeatureCheck.weight`). */
    weight?: number,
  ): MfaRecord;
}

/**
 * Recovery codes, brought by `recoveryCodes()`: what enrolment, login, status and the other
 * features (an import that turns MFA on) call. Without it no codes are issued, a stored set is kept
 * as it is but never read, and a recovery code at login is `format`.
 */
export interface FeatureRecoveryCodes {
  /**
   * Checks the service's configuration once, in `createMfa` (`INVALID_OPTION`), and returns the pepper
   * source of its cipher for `TransitionContext.peppers` (undefined: none).
   */
  prepare(cipher: SecretCipher | undefined, options: ResolvedLifecycleOptions, features: FeatureSet): PepperSource | undefined;
  /** A new set: the codes to show once and the set to store (none when `count` is 0). */
  issue(ctx: TransitionContext): { codes: string[]; set: StoredRecoveryCodeSet | null };
  /**
   * Checks `input` against the record's set (not null) in constant time: the set with that code
   * marked used and the codes left (pushing `recovery_used`, `recovery_codes_low`), or why not.
   */
  check(
    record: MfaRecord,
    input: string,
    ctx: TransitionContext,
    events: MfaEvent[],
  ): { readonly ok: true; readonly set: StoredRecoveryCodeSet; readonly remaining: number } | { readonly ok: false; readonly reason: CheckFailure };
  /** Unused codes in the record's set. */
  remaining(record: MfaRecord): number;
}

/** What a service lends to a feature's methods. */
export interface FeatureHost {
  /** Runs a command through the engine (validate, transition, compare-and-set, emit). */
  execute(userId: string, command: { readonly type: string; readonly [field: string]: unknown }): Promise<unknown>;
  /** The user's record as read now (expiry applied; nothing written; secret not opened). */
  read(userId: string): Promise<MfaRecord>;
  readonly options: ResolvedLifecycleOptions;
  readonly clock: Clock;
  readonly rng: RandomSource;
  /** The service's store (for a capability such as `lookup` or `list`; records go through `execute`/`read`). */
  readonly store?: MfaStore;
  /** The scope policies that apply to the user (required, user not exempt), as stored. */
  policies(userId: string): Promise<readonly StoredPolicy[]>;
}

/** The grace terms of enforcement policies (`enforcementDeadlines()`): stored with a policy, read back, applied at login. */
export interface PolicyTermsHook {
  /** Checks `policy` with its terms beyond `required` and returns it as stored (throws `INVALID_OPTION`). */
  store(policy: EnforcementPolicy, target: PolicyTarget): StoredPolicy;
  /** A stored policy as the app set it. */
  view(stored: StoredPolicy): EnforcementPolicy;
  /** What a user the core would ask to `enroll` is asked, given the scope policies that apply to them. */
  requirement(host: FeatureHost, userId: string, scopes: readonly StoredPolicy[]): Promise<{ loginRequirement: LoginRequirement; grace?: EnforcementGrace }>;
}

/**
 * Secrets at rest, brought by `encryptedSecrets(cipher)`: the cipher (also lent to the features that
 * seal secrets of their own, `wrapCodec`) and the wrapper of the user-record codec that opens the
 * factor's secret after a load and seals it before a write.
 */
export interface SecretSealing {
  readonly cipher: SecretCipher;
  /** A secret found unencrypted is `INVALID_RECORD`. */
  readonly requireSealed: boolean;
  wrap(codec: RecordCodec<MfaRecord>): RecordCodec<MfaRecord>;
}

/**
 * A lifecycle feature for `createMfa({ features })`: `oneTimeCodes(…)`, `confirmationTokens(…)`,
 * `apiPasswords(…)`. `M` is the service methods it adds to `Mfa`.
 */
export interface MfaFeature<M extends object = object> {
  readonly name: string;
  /** Commands it adds, by type. */
  readonly handlers?: Readonly<Record<string, FeatureHandler>>;
  /**
   * Its record field and the validator of that slice (a problem name, or null); `read`, when present,
   * turns a valid stored value into its working form (e.g. an older layout converted).
   */
  readonly slice?: { readonly key: string; problem(value: unknown): string | null; read?(value: unknown): unknown };
  /** A factor it verifies. */
  readonly factor?: FeatureFactor;
  /** Checks a `{ token }` proof. */
  checkToken?(record: MfaRecord, token: unknown, operation: CheckedOperation, ctx: TransitionContext, events: MfaEvent[]): FeatureCheck;
  /** Per-client throttling for `verifyLogin(…, { client })`. */
  readonly clientThrottle?: FeatureClientThrottle;
  /** What `adminReset` clears of its slice (with the events), or null when nothing. */
  adminReset?(record: MfaRecord, ctx: TransitionContext): { readonly patch: Partial<MfaRecord>; readonly events: readonly MfaEvent[] } | null;
  /** Secrets at rest: the cipher that seals them (`encryptedSecrets(cipher)`; at most one feature brings it). */
  readonly secrets?: SecretSealing;
  /** The scope policies that apply to a user (`policies({ scopes })`): required, and the user not exempt. */
  scopePolicies?(host: FeatureHost, userId: string): Promise<readonly StoredPolicy[]>;
  /** Names of the features it needs in the same service (`INVALID_OPTION` naming the missing one). */
  readonly requires?: readonly string[];
  /** Grace terms of enforcement policies (at most one feature brings them). */
  readonly policyTerms?: PolicyTermsHook;
  /** Recovery codes (at most one feature brings them: `recoveryCodes()`). */
  readonly recoveryCodes?: FeatureRecoveryCodes;
  /** Its slice describes the factor: `disable`, `resetSecret` and `adminReset` drop it with the factor. */
  readonly factorBound?: true;
  /**
   * Wraps the user-record codec: a feature whose slice holds secrets opens them after a load and
   * seals them before a write with the service's cipher, like the primary factor's.
   */
  wrapCodec?(codec: RecordCodec<MfaRecord>, cipher: SecretCipher | undefined, requireSealed: boolean): RecordCodec<MfaRecord>;
  /**
   * The ciphertexts its slice holds in a stored record (the ones `wrapCodec` seals), so that
   * `reencryptAll` finds records whose only old-key secret is in this slice.
   */
  sealedSecrets?(data: { readonly [field: string]: unknown }): readonly string[];
  /**
   * Claims a `verifyLogin` input of its own kind (a trusted-device token) before the factor sees
   * it: undefined when the input is not its kind. `client` is the stored client key, if any.
   */
  loginInput?(record: MfaRecord, input: string, ctx: TransitionContext, events: MfaEvent[], client: string | undefined): FeatureLoginCheck | undefined;
  /**
   * Runs after every successful factor login (a code or a recovery code, not a `loginInput`) in the
   * same write: e.g. a recovery-code login revokes trusted devices, any login cancels a pending
   * recovery. Returns the record to store.
   */
  afterLogin?(record: MfaRecord, method: MethodType | 'recovery', ctx: TransitionContext, events: MfaEvent[]): MfaRecord;
  /**
   * What it drops when the MFA epoch is bumped (reset, disable, administrator reset, finished
   * recovery), with the events; `record` already holds the new epoch. Null when nothing.
   */
  epochBumped?(record: MfaRecord, ctx: TransitionContext): { readonly patch: Partial<MfaRecord>; readonly events: readonly MfaEvent[] } | null;
  /**
   * Sees the factors of every feature once they are known (`createMfa` calls it before `methods`)
   * and answers the ones it replaces, e.g. a check over several factors wrapping another feature's;
   * it may throw `INVALID_OPTION` when a factor it needs is missing.
   */
  wrapFactors?(factors: Readonly<Record<string, FeatureFactor>>): Readonly<Record<string, FeatureFactor>>;
  /** Its service methods. */
  methods?(host: FeatureHost): M;
  /** Type-only: the methods it adds. */
  readonly __methods?: M;
}

/** The service methods the features in `F` add. */
export type FeatureMethods<F extends readonly MfaFeature[]> = UnionToIntersection<MethodsOf<F[number]>>;

// Distributed over the union of features, so one without methods (`{}`) does not absorb the others'.
type MethodsOf<T> = T extends MfaFeature<infer M> ? (M extends object ? M : never) : never;

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** The features of one service, indexed for the transitions (`TransitionContext.features`). */
export interface FeatureSet {
  readonly list: readonly MfaFeature[];
  readonly handlers: Readonly<Record<string, FeatureHandler>>;
  readonly factors: Readonly<Record<string, FeatureFactor>>;
  readonly slices: readonly { readonly key: string; problem(value: unknown): string | null; read?(value: unknown): unknown }[];
  readonly checkToken: MfaFeature['checkToken'];
  readonly clientThrottle?: FeatureClientThrottle | undefined;
  /** Recovery codes (`recoveryCodes()`), if given. */
  readonly recoveryCodes?: FeatureRecoveryCodes | undefined;
  /** Slices dropped with the factor (`factorBound`). */
  readonly factorSlices?: readonly string[];
  /** The secret sealing of `encryptedSecrets(cipher)`, if given. */
  readonly secrets?: SecretSealing | undefined;
}
