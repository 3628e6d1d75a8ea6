// Opt-in features: e-mail/SMS codes, confirmation tokens and API passwords are modules an app passes
// to `createMfa({ features: [...] })`, so an app that does not use one does not bundle it. A feature
// brings its commands (pure transitions), the validator of its record slice, the hooks the core
// flows call (a verifier for its factor, a proof kind, what an admin reset clears) and its service
// methods. The core only knows this interface.
// The types of that contract are declared in transition-types.ts (they refer to the transition
// context and it to them) and re-exported here.
import { MfaError } from '../errors.js';
import type { FeatureClientThrottle, FeatureFactor, FeatureHandler, FeatureRecoveryCodes, FeatureSet, MfaFeature, SecretSealing } from './transition-types.js';
import type { MfaRecord } from './record.js';

export type {
  FeatureCheck,
  FeatureClientThrottle,
  FeatureFactor,
  FeatureHandler,
  FeatureHost,
  FeatureLoginCheck,
  FeatureMethods,
  FeatureRecoveryCodes,
  FeatureSet,
  MfaFeature,
  PolicyTermsHook,
  SecretSealing,
} from './transition-types.js';


/**
 * Indexes `features` for `TransitionContext.features` (the service does it itself; call it to run a
 * feature's commands through `transition` directly).
 *
 * @throws {@link index!MfaError} `INVALID_OPTION` for a duplicate or something that is not a feature
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
  const slices: FeatureSet['slices'][number][] = [];
  const names = new Set<string>();
  let checkToken: MfaFeature['checkToken'];
  let clientThrottle: FeatureClientThrottle | undefined;
  let recoveryCodes: FeatureRecoveryCodes | undefined;
  let secrets: SecretSealing | undefined;
  const factorSlices: string[] = [];
  for (const f of list) {
    if (f === null || typeof f !== 'object' || typeof f.name !== 'string' || names.has(f.name)) {
      throw new MfaError('INVALID_OPTION', 'features must hold each feature at most once');
    }
    names.add(f.name);
    Object.assign(handlers, f.handlers);
    for (const t of f.factor?.types ?? []) factors[t] = f.factor!;
    if (f.slice) {
      slices.push(f.slice);
      if (f.factorBound) factorSlices.push(f.slice.key);
    }
    checkToken ??= f.checkToken?.bind(f);
    clientThrottle ??= f.clientThrottle;
    recoveryCodes ??= f.recoveryCodes;
    secrets ??= f.secrets;
  }
  // After every factor is known: a feature may wrap another's (authenticators() over e-mail/SMS codes).
  for (const f of list) Object.assign(factors, f.wrapFactors?.(factors));
  for (const f of list) for (const name of f.requires ?? []) if (!names.has(name)) throw featureMissing(`${f.name}()`, `${name}()`);
  return { list, handlers, factors, slices, checkToken, clientThrottle, recoveryCodes, factorSlices, secrets };
}

/** @internal The record without the slices that describe the factor (see `MfaFeature.factorBound`). */
export function withoutFactorSlices(record: MfaRecord, features: FeatureSet | undefined): MfaRecord {
  let out = record;
  for (const key of features?.factorSlices ?? []) out = { ...out, [key]: null };
  return out;
}

/** @internal Thrown when a record or call needs a feature the service was not given. */
export function featureMissing(what: string, factory: string, code: 'INVALID_OPTION' | 'CIPHER_FAILURE' = 'INVALID_OPTION'): MfaError {
  return new MfaError(code, `${what} needs the ${factory} feature: createMfa({ features: [${factory}] })`);
}
