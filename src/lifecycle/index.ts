// The MFA lifecycle: records, pure transitions, enforcement policy, the service over a store and
// the opt-in features.
// (store.ts and memory-store.ts are exported from src/index.ts directly.)
export * from './record.js';
export * from './events.js';
export {
  resolveLifecycleOptions,
  type LifecycleOptions,
  type ResolvedLifecycleOptions,
  type LifecycleTotpOptions,
  type ThrottleOptions,
} from './options.js';
export {
  RESERVED_ID_PREFIX,
  policyRecordId,
  isMfaRequired,
  loginRequirementOf,
  type PolicyTarget,
  type EnforcementPolicy,
  type EnforcementGrace,
  type LoginRequirement,
  type ScopePolicyRecord,
  type SetPolicyResult,
  type StoredPolicy,
} from './features/policy/policy.js';
export type { RecordCodec } from './engine.js';
export { isLocked, lockDuration } from './features/throttle/throttle.js';
export { isResetPending, pendingExpiresAt } from './features/enrollment/pending-expiry.js';
export { clientThrottle, type ClientThrottleState } from './features/throttle/client-throttle.js';
export type { UnlockResult } from './features/management/unlock.js';
export * from './transition-types.js';
export type { CheckFailure, FactorCheck, MethodCheck } from './features/login/verification.js';
export type { Enrollment, BeginEnrollmentResult, ConfirmEnrollmentResult, ResetSecretResult } from './features/enrollment/enrollment.js';
export type { VerifyLoginResult } from './features/login/login.js';
export type {
  Proof,
  ProofFailure,
  DisableResult,
  AdminResetResult,
} from './features/management/management.js';
export * from './transitions.js';
export * from './service.js';
export {
  featureSet,
  type MfaFeature,
  type FeatureMethods,
  type FeatureSet,
  type FeatureHandler,
  type FeatureCheck,
  type FeatureFactor,
  type FeatureClientThrottle,
  type FeatureRecoveryCodes,
  type FeatureHost,
  type PolicyTermsHook,
  type FeatureLoginCheck,
  type SecretSealing,
} from './feature.js';
export {
  recoveryCodes,
  type RecoveryCodesMfa,
  type RecoveryCodesOptions,
  type LifecycleRecoveryCodeOptions,
  type ResolvedRecoveryCodesOptions,
  type RecoveryCodesCommand,
  type RecoveryCodesResults,
  type RegenerateRecoveryCodesResult,
} from './features/recovery-codes/index.js';
// Opt-in features: createMfa({ features: [oneTimeCodes({ sender }), confirmationTokens(), apiPasswords()] }).
export {
  oneTimeCodes,
  type OneTimeCodesFeatureOptions,
  type OneTimeCodesMfa,
  type OneTimeCodeCommand,
  type OneTimeCodeResults,
  type OneTimeCodeOptions,
  type ResolvedOneTimeCodeOptions,
  type OutOfBandEnrollmentOptions,
  type ChallengeSent,
  type BeginOutOfBandEnrollmentResult,
  type SendChallengeResult,
  type IssuedChallenge,
  type BeginOutOfBandEnrollmentCommandResult,
  type OutOfBandEnrollmentRefused,
  type SendChallengeCommandResult,
  type SendChallengeFailure,
  type OneTimeCodesSlice,
  type OutOfBandFactor,
  type OutOfBandCodeCheck,
} from './features/one-time-codes/index.js';
export type { OneTimeCodeEvent } from './features/one-time-codes/events.js';
export {
  confirmationTokens,
  type ConfirmationTokensOptions,
  type ConfirmationTokensMfa,
  type ConfirmationTokenCommand,
  type ConfirmationTokenResults,
  type IssueConfirmationTokenResult,
  type ConfirmationTokensSlice,
} from './features/confirmation-tokens/index.js';
export type { ConfirmationTokenEvent } from './features/confirmation-tokens/events.js';
export {
  apiPasswords,
  type ApiPasswordsMfa,
  type ApiPasswordCommand,
  type ApiPasswordResults,
  type LifecycleApiPasswordOptions,
  type ResolvedApiPasswordOptions,
  type IssueApiPasswordCommandResult,
  type ApiPasswordsSlice,
  type VerifyApiKeyResult,
} from './features/api-passwords/index.js';
export type { ApiPasswordEvent } from './features/api-passwords/events.js';
export {
  enforcementDeadlines,
  type EnforcementDeadlinesMfa,
  type EnforcementEvent,
  type EnforcementGraceCommand,
  type EnforcementSlice,
  type EnforcementState,
  type LoginRequirementAnswer,
} from './features/enforcement-deadlines/index.js';
export { stepUpAuthentication, type StepUpMfa, type StepUpResult, type FreshMfaResult, type StepUpEvent } from './features/step-up/index.js';
export {
  authenticators,
  importInputsFromMigrationUri,
  type AuthenticatorsMfa,
  type AuthenticatorCommand,
  type AuthenticatorResults,
  type AuthenticatorSummary,
  type AuthenticatorsOptions,
  type ResolvedAuthenticatorsOptions,
  type AuthenticatorsSlice,
  type AuthenticatorMeta,
  type StoredAuthenticator,
  type AuthenticatorStatus,
  type AddAuthenticatorResult,
  type ConfirmAuthenticatorResult,
  type RemoveAuthenticatorResult,
  type ResyncHotpResult,
  type AuthenticatorEnrollment,
  type AuthenticatorCodeSent,
  type AddAuthenticatorFailure,
  type AddAuthenticatorCommandResult,
  type AuthenticatorType,
  type SendAuthenticatorChallengeResult,
  type SendAuthenticatorChallengeCommandResult,
  type PreparedImport,
  type ImportAuthenticatorInput,
  type ImportAuthenticatorResult,
  type ImportUserOutcome,
  type SecretEncoding,
  type AuthenticatorEvent,
} from './features/authenticators/index.js';
export {
  trustedDevices,
  type TrustedDevicesMfa,
  type TrustedDevicesOptions,
  type TrustedDeviceCommand,
  type TrustedDeviceResults,
  type TrustDeviceResult,
  type TrustedDeviceSummary,
  type TrustedDevicesSlice,
  type StoredTrustedDevice,
  type TrustedDeviceEvent,
} from './features/trusted-devices/index.js';
export {
  breakGlassRecovery,
  type BreakGlassRecoveryMfa,
  type BreakGlassRecoveryOptions,
  type BreakGlassCommand,
  type BreakGlassResults,
  type RecoveryNotice,
  type RecoveryStatus,
  type RequestRecoveryResult,
  type RemindRecoveryResult,
  type CancelRecoveryResult,
  type CompleteRecoveryResult,
  type BreakGlassSlice,
  type OpenRecovery,
  type BreakGlassEvent,
} from './features/break-glass/index.js';
export { encryptedSecrets, type EncryptedSecretsOptions } from './features/encrypted-secrets/index.js';
export { policies, type PoliciesMfa, type PoliciesOptions } from './features/policy/index.js';
export { userListing, type UserListingMfa, type UserPage, type ListedUser } from './features/user-listing/index.js';
export {
  reencryptAll,
  type ReencryptOptions,
  type ReencryptProgress,
  type ReencryptFailure,
} from './features/key-rotation/reencrypt.js';
