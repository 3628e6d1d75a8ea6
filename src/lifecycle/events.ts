import type { MethodType } from './record.js';

/** The operation a {@link MfaEvent} of type `failed` or `locked` came from. */
export type CheckedOperation =
  | 'confirmEnrollment'
  | 'verifyLogin'
  | 'disable'
  | 'regenerateRecoveryCodes'
  | 'resetSecret'
  | 'stepUp'
  | 'issueApiPassword'
  | 'addAuthenticator'
  | 'confirmAuthenticator'
  | 'removeAuthenticator'
  | 'resyncHotp'
  | 'stepUp'
  | 'issueApiPassword';

/** Fields every audit event carries. */
interface EventBase {
  /** The user the event is about. */
  readonly userId: string;
  /** When it happened (ms since the Unix epoch, from the service clock). */
  readonly at: number;
}

/**
 * Typed audit events, delivered to `onEvent` only after the change they describe is committed to the
 * store. They carry ids, reasons, counts and times — never a secret, code, token or hash, so they can
 * go straight to a log.
 *
 * @example Logging every event
 * ```ts
 * import { createMfa, MemoryStore, type MfaEvent } from 'mfakit';
 * const mfa = createMfa({
 *   store: new MemoryStore(),
 *   issuer: 'Acme',
 *   onEvent: (event: MfaEvent) => console.log(event.type, 'userId' in event ? event.userId : event.scope),
 * });
 * ```
 */
export type MfaEvent =
  /** `beginEnrollment` (or `resetSecret`) stored a new, not yet confirmed secret. */
  | (EventBase & { readonly type: 'enrolled'; readonly method: MethodType; readonly replaced: boolean })
  /** `confirmEnrollment` succeeded: MFA is active. */
  | (EventBase & { readonly type: 'confirmed'; readonly method: MethodType; readonly recoveryCodes: number })
  /** A factor was accepted at login; `authenticator`: which one (with `authenticators()`). */
  | (EventBase & { readonly type: 'verified'; readonly method: MethodType | 'recovery' | 'device'; readonly authenticator?: string })
  /**
   * A check failed. Only `mismatch` counts toward the lockout (`failures` is the count after it);
   * `format`, `replayed` and `expired` (no e-mail/SMS code or confirmation token pending) are
   * reported but reveal nothing to a guesser, so they do not count.
   */
  | (EventBase & {
      readonly type: 'failed';
      readonly operation: CheckedOperation;
      readonly reason: 'mismatch' | 'format' | 'replayed' | 'expired';
      readonly failures: number;
    })
  /**
   * Too many consecutive failures: the account's checks are refused until `until`. Emitted each time
   * a lock starts (also each escalation), so it can become a notice to the user ("someone is trying
   * codes on your account") and a link to `unlock` for support.
   */
  | (EventBase & { readonly type: 'locked'; readonly until: number; readonly failures: number })
  /**
   * The secret was replaced (`by: 'user'`, now pending) or cleared by an administrator (`actor`).
   * `unchanged: true`: an administrator's reset found nothing to clear; audited all the same.
   */
  | (EventBase & { readonly type: 'reset'; readonly by: 'user' | 'admin'; readonly actor?: string; readonly unchanged?: true })
  /** MFA was turned off for the user. */
  | (EventBase & { readonly type: 'disabled'; readonly previous: 'pending' | 'active' })
  /** A recovery code was consumed. */
  | (EventBase & { readonly type: 'recovery_used'; readonly remaining: number })
  /**
   * A recovery code was consumed and `remaining` (at most `recoveryCodes({ lowThreshold })`) are left:
   * tell the user to generate new ones before they run out.
   */
  | (EventBase & { readonly type: 'recovery_codes_low'; readonly remaining: number })
  /** A new set of recovery codes replaced the old one. */
  | (EventBase & { readonly type: 'codes_regenerated'; readonly count: number })
  /**
   * A per-user enforcement policy was set (`required: null` removes it). `unchanged: true`: it already
   * had this value; audited all the same.
   */
  | (EventBase & { readonly type: 'policy_changed'; readonly required: boolean | null; readonly actor?: string; readonly unchanged?: true })
  /** An organisation-wide (scope) enforcement policy changed; it has a scope, not a user. */
  | {
      readonly type: 'scope_policy_changed';
      readonly at: number;
      readonly scope: string;
      readonly required: boolean | null;
      readonly actor?: string;
      /** It already had this value; audited all the same. */
      readonly unchanged?: true;
    }
  /** Events of the features (e-mail/SMS codes, confirmation tokens, API passwords, …): see {@link MfaFeatureEvents}. */
  | MfaFeatureEvents[keyof MfaFeatureEvents]
  /**
   * One client (`verifyLogin(…, { client })`) failed too often: its checks are refused until `until`.
   * `client` is the stored key (a hash), never the id you passed.
   */
  | (EventBase & { readonly type: 'client_locked'; readonly client: string; readonly until: number; readonly failures: number })
  /** `unlock`: an administrator cleared the failure counters and locks (of the account and every client). */
  | (EventBase & { readonly type: 'unlocked'; readonly actor: string; readonly failures: number })
  /**
   * A pending enrolment passed `pendingTtl` and its factor was dropped; `reset` when it replaced an
   * active factor (the user must enrol again and still counts as enrolled until then).
   */
  | (EventBase & { readonly type: 'enrollment_expired'; readonly method: MethodType; readonly reset: boolean });

/**
 * The events each feature adds to {@link MfaEvent}, by feature name. A feature declares its own
 * from its folder by declaration merging, so adding one changes no core file:
 * `declare module '../../events.js' { interface MfaFeatureEvents { myFeature: MyEvent } }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the features
export interface MfaFeatureEvents {}

/** The `type` of every {@link MfaEvent}. */
export type MfaEventType = MfaEvent['type'];
