// What the service lends to the methods of its core features (enrolment, login, management) and of
// the first-party policies() feature: the same `FeatureHost` an opt-in feature gets, plus the engine and the user-record codec
// (to read a record with its secret opened, or records of another kind such as scope policies) and
// the scope-policy rule. Internal: opt-in features see only `FeatureHost`.
import type { Engine, RecordCodec } from './engine.js';
import type { MfaRecord } from './record.js';
import type { FeatureHost, FeatureSet, PolicyTermsHook } from './transition-types.js';
import type { MfaCommand, MfaResults } from './transitions.js';

/** @internal The service methods of a core feature, made from the host (what `MfaFeature.methods` is for an opt-in one). */
export type CoreMethods<M> = (host: CoreHost) => M;

/** @internal The host of the core features' methods. */
export interface CoreHost extends FeatureHost {
  /** `FeatureHost.execute`, typed by command. */
  execute<C extends MfaCommand>(userId: string, command: C): Promise<MfaResults[C['type']]>;
  readonly engine: Engine;
  /** The codec of user records (validation of every slice, secret sealing). */
  readonly users: RecordCodec<MfaRecord>;
  /** The user's record as read at `now` (an expired enrolment dropped; nothing written). */
  readAt(userId: string, now: number): Promise<MfaRecord>;
  /** The service's features (the recovery-code count of `getStatus`). */
  readonly features: FeatureSet;
  /** The feature that stores, reads and applies grace terms of policies (`enforcementDeadlines()`), if any. */
  readonly terms: PolicyTermsHook | undefined;
}
