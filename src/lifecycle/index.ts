// The MFA lifecycle: records, pure transitions, enforcement policy and the service over a store.
// (store.ts and memory-store.ts are exported from src/index.ts directly.)
export * from './record.js';
export * from './events.js';
export * from './options.js';
export {
  RESERVED_ID_PREFIX,
  policyRecordId,
  isMfaRequired,
  loginRequirementOf,
  type PolicyTarget,
  type EnforcementPolicy,
  type LoginRequirement,
  type ScopePolicyRecord,
} from './policy.js';
export { isLocked, lockDuration } from './throttle.js';
export { isResetPending, pendingExpiresAt } from './pending-expiry.js';
export type { ClientThrottleState } from './client-throttle.js';
export type { UnlockResult } from './unlock.js';
export * from './transition-types.js';
export type { CheckFailure, FactorCheck, MethodCheck } from './verification.js';
export type { Enrollment, BeginEnrollmentResult, ConfirmEnrollmentResult, ResetSecretResult } from './enrollment.js';
export type { VerifyLoginResult } from './login.js';
export type {
  Proof,
  ProofFailure,
  DisableResult,
  RegenerateRecoveryCodesResult,
  AdminResetResult,
} from './management.js';
export * from './transitions.js';
export * from './service.js';
// Issue 8: e-mail/SMS codes, confirmation tokens, API passwords in the lifecycle.
export type {
  OutOfBandChannel,
  OutOfBandMethodState,
  OutOfBandOptions,
  ResolvedOutOfBandOptions,
  IssuedChallenge,
  BeginOutOfBandEnrollmentCommandResult,
  OutOfBandEnrollmentRefused,
  SendChallengeCommandResult,
  SendChallengeFailure,
} from './out-of-band.js';
export type { OutOfBandEvent } from './out-of-band-events.js';
export type { OutOfBandCommand, OutOfBandResults } from './out-of-band-commands.js';
export type { IssueConfirmationTokenResult } from './confirmation.js';
export type {
  LifecycleApiPasswordOptions,
  ResolvedApiPasswordOptions,
  IssueApiPasswordCommandResult,
} from './api-passwords.js';
export type {
  OutOfBandEnrollmentOptions,
  ChallengeSent,
  BeginOutOfBandEnrollmentResult,
  SendChallengeResult,
  OutOfBandMfa,
} from './out-of-band-service.js';
