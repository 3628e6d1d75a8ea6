import type { RandomSource } from '../random.js';
import type { MfaEvent } from './events.js';
import type { ResolvedLifecycleOptions } from './options.js';
import type { MfaRecord } from './record.js';
import type { PepperSource } from './features/recovery-codes/recovery-pepper.js';
import type { FeatureSet } from './feature.js';

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
