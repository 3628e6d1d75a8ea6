// The public shape of the lifecycle service (`Mfa`, what `createMfa` returns without the opt-in
// features) and of its status view. Types only: the methods are implemented by the core features
// (features/enrollment, login, management) and assembled by service.ts.
import type { BeginEnrollmentResult, ConfirmEnrollmentResult, Enrollment, ResetSecretResult } from './features/enrollment/enrollment.js';
import type { VerifyLoginResult } from './features/login/login.js';
import type { AdminResetResult, DisableResult, Proof } from './features/management/management.js';
import type { UnlockResult } from './features/management/unlock.js';
import type { EnforcementGrace, LoginRequirement } from './features/policy/policy.js';
import type { ResolvedLifecycleOptions } from './options.js';
import type { MethodType, MfaStatus } from './record.js';
import type { MfaCommand, MfaResults } from './transitions.js';

/** What a settings page shows; no secret in it. */
export interface MfaStatusView {
  readonly status: MfaStatus;
  readonly method: MethodType | null;
  /** A policy (per-user or scope) makes MFA mandatory. */
  readonly required: boolean;
  readonly loginRequirement: LoginRequirement;
  /** With `loginRequirement: 'enroll-optional'`: when the grace ends (`enforcementDeadlines()`). */
  readonly grace?: EnforcementGrace;
  /** Unused recovery codes (0 without the `recoveryCodes()` feature). */
  readonly remainingRecoveryCodes: number;
  readonly failures: number;
  /** When the current lockout ends; null when not locked out (now). */
  readonly lockedUntil: number | null;
  readonly activatedAt: number | null;
  /** The MFA epoch (see `isSessionCurrent`). */
  readonly epoch: number;
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
  /**
   * pending → active with a current code; returns the recovery codes exactly once (with the
   * `recoveryCodes()` feature; without it `recoveryCodes` is empty). With `secretUrl`
   * (the otpauth URI the client was shown), answers `uri_mismatch` unless it holds the pending secret.
   */
  confirmEnrollment(userId: string, code: string, options?: { secretUrl?: string }): Promise<ConfirmEnrollmentResult>;
  /**
   * Checks a TOTP or recovery code at login. Pass `client` (an IP address or a device id) so that
   * failures lock that client before they lock the account: an attacker with the password cannot
   * then keep the owner out from elsewhere (see `throttle.accountMaxFailures`). `client` needs the
   * `clientThrottle()` feature (`INVALID_OPTION` without it).
   */
  verifyLogin(userId: string, input: string, options?: { client?: string }): Promise<VerifyLoginResult>;
  /** What the login flow must ask for next. */
  loginRequirement(userId: string): Promise<LoginRequirement>;
  /** Status for a settings page. */
  getStatus(userId: string): Promise<MfaStatusView>;
  /**
   * True while `epoch` (from `verifyLogin` or `getStatus`, kept with the session) is the user's
   * current MFA epoch. A reset, disable, administrator reset, finished recovery or revoking every
   * trusted device moves the epoch on, so sessions bound to the old one end. Reads only.
   */
  isSessionCurrent(userId: string, epoch: number): Promise<boolean>;
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
  /** Deletes a user's MFA record (account deletion). */
  removeUser(userId: string): Promise<void>;
  /**
   * Low-level door: runs any {@link MfaCommand} through load → transition → compare-and-set →
   * events. The methods above are thin wrappers over it; extensions use it for their own commands.
   */
  execute<C extends MfaCommand>(userId: string, command: C): Promise<MfaResults[C['type']]>;
}
