/** Audit events of break-glass recovery; part of `MfaEvent`. They carry ids, times and the requester's stated reason, never a code. */
export type BreakGlassEvent =
  /** `requestRecovery`: the cooling-off period started; MFA can be reset from `availableAt` on. */
  | {
      readonly type: 'recovery_requested';
      readonly userId: string;
      readonly at: number;
      readonly requestId: string;
      readonly reason: string;
      readonly availableAt: number;
    }
  /**
   * `requestRecovery` was refused: `not_enrolled` (no MFA to recover), `already_open` (one request
   * at a time), `too_many_requests` (`maxRequests` per `period`). Repeated refusals are worth a look.
   */
  | {
      readonly type: 'recovery_refused';
      readonly userId: string;
      readonly at: number;
      readonly reason: 'not_enrolled' | 'already_open' | 'too_many_requests';
    }
  /** The final notice before completion was sent; the reset is possible from `completesAt` on. */
  | {
      readonly type: 'recovery_reminded';
      readonly userId: string;
      readonly at: number;
      readonly requestId: string;
      readonly completesAt: number;
    }
  /**
   * The request ended without a reset: `user` (`cancelRecovery`, or `admin` with its `actor`), `login`
   * (a successful login with a code or recovery code: the owner still has a factor), or
   * `security_change` (MFA was reset, disabled or reset by an administrator meanwhile).
   */
  | {
      readonly type: 'recovery_cancelled';
      readonly userId: string;
      readonly at: number;
      readonly requestId: string;
      readonly by: 'user' | 'admin' | 'login' | 'security_change';
      readonly actor?: string;
    }
  /** `completeRecovery`: MFA was reset after the cooling-off period (a `reset` event by `actor` comes with it). */
  | {
      readonly type: 'recovery_completed';
      readonly userId: string;
      readonly at: number;
      readonly requestId: string;
      readonly actor: string;
    };

// The events join `MfaEvent` from here, so the events module never imports a feature.
declare module '../../events.js' {
  interface MfaFeatureEvents {
    breakGlassRecovery: BreakGlassEvent;
  }
}
