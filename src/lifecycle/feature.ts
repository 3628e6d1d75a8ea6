// Opt-in features: e-mail/SMS codes, confirmation tokens and API passwords are modules an app passes
// to `createMfa({ features: [...] })`, so an app that does not use one does not bundle it. A feature
// brings its commands (pure transitions), the validator of its record slice, the hooks the core
// flows call (a verifier for its factor, a proof kind, what an admin reset clears) and its service
// methods. The core only knows this interface.
import { MfaError } from '../errors.js';
import type { Clock, RandomSource } from '../random.js';
import type { CheckedOperation, MfaEvent } from './events.js';
import type { ResolvedLifecycleOptions } from './options.js';
import type { MfaRecord } from './record.js';
import type { MfaStore, StoredRecord } from './store.js';
import type { Transition, TransitionContext } from './transition-types.js';
import type { CheckFailure } from './features/login/verification.js';

/** A pure command handler of a feature. */
export type FeatureHandler = (record: MfaRecord, command: never, ctx: TransitionContext) => Transition<unknown>;

/** What a factor verifier or a proof check answers; `record` is the record to store either way. */
export type FeatureCheck =
  | { ok: true; record: MfaRecord }
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

/** What a service lends to a feature's methods. */
export interface FeatureHost {
  /** Runs a command through the engine (validate, transition, compare-and-set, emit). */
  execute(userId: string, command: { readonly type: string; readonly [field: string]: unknown }): Promise<unknown>;
  /** The user's record as read now (expiry applied; nothing written; secret not opened). */
  read(userId: string): Promise<MfaRecord>;
  readonly options: ResolvedLifecycleOptions;
  readonly clock: Clock;
  readonly rng: RandomSource;
  /** The service's store (for features that scan it with `list`). */
  readonly store?: MfaStore;
  /**
   * What `getStatus` answers for a record read from the store (validated, never opened; throws
   * `INVALID_RECORD`); `seen` shares the scope policies read across calls.
   */
  statusOf?(userId: string, data: StoredRecord, seen: Map<string, Promise<unknown>>): Promise<unknown>;
}

/**
 * A lifecycle feature for `createMfa({ features })`: `oneTimeCodes(…)`, `confirmationTokens(…)`,
 * `apiPasswords(…)`. `M` is the service methods it adds to `Mfa`.
 */
export interface MfaFeature<M extends object = object> {
  readonly name: string;
  /** Commands it adds, by type. */
  readonly handlers?: Readonly<Record<string, FeatureHandler>>;
  /** Its record field and the validator of that slice (a problem name, or null). */
  readonly slice?: { readonly key: string; problem(value: unknown): string | null };
  /** A factor it verifies. */
  readonly factor?: FeatureFactor;
  /** Checks a `{ token }` proof. */
  checkToken?(record: MfaRecord, token: unknown, operation: CheckedOperation, ctx: TransitionContext, events: MfaEvent[]): FeatureCheck;
  /** What `adminReset` clears of its slice (with the events), or null when nothing. */
  adminReset?(record: MfaRecord, ctx: TransitionContext): { readonly patch: Partial<MfaRecord>; readonly events: readonly MfaEvent[] } | null;
  /** Its service methods. */
  methods?(host: FeatureHost): M;
  /** Type-only: the methods it adds. */
  readonly __methods?: M;
}

/** The service methods the features in `F` add. */
export type FeatureMethods<F extends readonly MfaFeature[]> = UnionToIntersection<
  F[number] extends MfaFeature<infer M> ? (M extends object ? M : never) : never
>;

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** The features of one service, indexed for the transitions (`TransitionContext.features`). */
export interface FeatureSet {
  readonly list: readonly MfaFeature[];
  readonly handlers: Readonly<Record<string, FeatureHandler>>;
  readonly factors: Readonly<Record<string, FeatureFactor>>;
  readonly slices: readonly { readonly key: string; problem(value: unknown): string | null }[];
  readonly checkToken: MfaFeature['checkToken'];
}

/**
 * Indexes `features` for `TransitionContext.features` (the service does it itself; call it to run a
 * feature's commands through `transition` directly).
 *
 * @throws {@link MfaError} `INVALID_OPTION` for a duplicate or something that is not a feature
 * @example
 * ```ts
 * import { apiPasswords, cryptoRandom } from 'mfakit';
 * import { emptyRecord, featureSet, resolveLifecycleOptions, transition } from 'mfakit/lifecycle';
 * const ctx = { now: Date.now(), rng: cryptoRandom, options: resolveLifecycleOptions({ issuer: 'Acme' }), scopeRequired: false, features: featureSet([apiPasswords()]) };
 * transition(emptyRecord('alice', ctx.now), { type: 'issueApiPassword' }, ctx).result.ok; // true
 * ```
 */
export function featureSet(features: readonly MfaFeature[] | undefined): FeatureSet {
  const list = features ?? [];
  if (!Array.isArray(list)) throw new MfaError('INVALID_OPTION', 'features must be an array');
  const handlers: Record<string, FeatureHandler> = {};
  const factors: Record<string, FeatureFactor> = {};
  const slices: { key: string; problem(value: unknown): string | null }[] = [];
  const names = new Set<string>();
  let checkToken: MfaFeature['checkToken'];
  for (const f of list) {
    if (f === null || typeof f !== 'object' || typeof f.name !== 'string' || names.has(f.name)) {
      throw new MfaError('INVALID_OPTION', 'features must hold each feature (oneTimeCodes(), apiPasswords(), …) at most once');
    }
    names.add(f.name);
    Object.assign(handlers, f.handlers);
    if (f.factor !== undefined) for (const t of f.factor.types) factors[t] = f.factor;
    if (f.slice !== undefined) slices.push(f.slice);
    checkToken ??= f.checkToken?.bind(f);
  }
  return { list, handlers, factors, slices, checkToken };
}

/** @internal Thrown when a record or call needs a feature the service was not given. */
export function featureMissing(what: string, factory: string): MfaError {
  return new MfaError('INVALID_OPTION', `${what} needs the ${factory} feature: createMfa({ features: [${factory}] })`);
}
