// mfakit: the public surface of the core entry, listed name by name so that nothing reaches users
// by accident (an `@internal` helper, a record parser) and api/mfakit.api.md shows every change.
// Subpaths hold the rest: mfakit/lifecycle (pure transitions, record parsing, for tools and custom
// services), mfakit/qr, mfakit/testing, mfakit/postgres, mfakit/sqlite, mfakit/redis (each needs an
// optional peer or is for tooling).

// Errors, clock and randomness.
export { MfaError, isMfaError, type MfaErrorCode } from './errors.js';
export { cryptoRandom, systemClock, type Clock, type RandomSource } from './random.js';

// Secrets and their encodings.
export { decodeBase32, encodeBase32, type DecodeBase32Options } from './base32.js';
export { MIN_SECRET_BYTES, generateSecret, type GenerateSecretOptions, type SecretInput } from './secret.js';
export { formatManualKey, type FormatManualKeyOptions } from './manual-key.js';

// HOTP and TOTP.
export {
  hotp,
  verifyHotp,
  type HotpVerifyResult,
  type OtpAlgorithm,
  type OtpOptions,
  type VerifyHotpOptions,
} from './hotp.js';
export {
  remainingSeconds,
  timeStep,
  totp,
  verifyTotp,
  type TotpOptions,
  type TotpTimeOptions,
  type TotpVerifyResult,
  type VerifyTotpOptions,
} from './totp.js';
export { otpSha256, otpSha512, type OtpHash } from './otp-hash.js';

// otpauth:// and otpauth-migration:// URIs.
export {
  buildOtpauthUri,
  parseOtpauthUri,
  type OtpauthParseError,
  type OtpauthParseErrorCode,
  type OtpauthUri,
  type OtpauthUriInput,
  type OtpauthWarning,
  type OtpauthWarningCode,
  type ParseOtpauthUriResult,
} from './otpauth-uri.js';
export {
  buildMigrationUri,
  buildMigrationUris,
  migrationAccountToOtpauth,
  parseMigrationUri,
  type BuildMigrationUriOptions,
  type MigrationAccount,
  type MigrationAccountInput,
  type MigrationParseErrorCode,
  type MigrationPayload,
  type MigrationWarning,
  type MigrationWarningCode,
  type ParseMigrationUriResult,
} from './migration-uri.js';

// Recovery codes.
export {
  RECOVERY_CODE_MIN_BITS_FAST,
  RECOVERY_CODE_MIN_BITS_KDF,
  generateRecoveryCodes,
  isRecoveryCodeSetLow,
  markRecoveryCodeUsed,
  remainingRecoveryCodes,
  verifyRecoveryCode,
  type GenerateRecoveryCodesOptions,
  type GeneratedRecoveryCodes,
  type RecoveryCodeAlgorithm,
  type RecoveryCodeHashing,
  type RecoveryCodeKdfParams,
  type StoredRecoveryCode,
  type VerifyRecoveryCodeOptions,
  type VerifyRecoveryCodeResult,
} from './recovery-codes.js';
export { pbkdf2Kdf, scryptKdf, type RecoveryCodeKdf } from './recovery-kdfs.js';
export { packRecoveryCodes, unpackRecoveryCodes, type StoredRecoveryCodeSet } from './recovery-code-set.js';
export {
  recoveryCodesToCsv,
  recoveryCodesToText,
  type RecoveryCodesCsvOptions,
  type RecoveryCodesExportMeta,
  type RecoveryCodesTextOptions,
} from './recovery-codes-export.js';

// Sealing secrets at rest.
export type { CipherContext, CipherPepper, SecretCipher } from './secret-cipher.js';
export { aesGcmCipher, type AesGcmCipher, type AesGcmCipherOptions } from './aes-gcm-cipher.js';

// API passwords, Basic auth, e-mail/SMS codes and confirmation tokens without the lifecycle.
export {
  checkApiPassword,
  createApiPassword,
  generateApiPassword,
  isApiPasswordFormat,
  removeApiPassword,
  summarizeApiPasswords,
  type ApiPasswordSummary,
  type CreateApiPasswordOptions,
  type CreateApiPasswordResult,
  type GenerateApiPasswordOptions,
  type StoredApiPassword,
  type VerifyApiPasswordResult,
} from './api-credentials.js';
export { apiKeyPattern, parseApiKey, type ParsedApiKey } from './api-keys.js';
export { passwordAuthAllowedFor, type PasswordAuthInput, type PasswordChannel } from './password-auth.js';
export {
  basicAuthUserIdAllowed,
  formatBasicAuth,
  parseBasicAuth,
  type BasicAuthFailure,
  type BasicAuthResult,
  type ParseBasicAuthOptions,
} from './basic-auth.js';
export {
  emptyOneTimeCodeState,
  issueOneTimeCode,
  resendStatus,
  verifyOneTimeCode,
  type IssueOneTimeCodeOptions,
  type IssueOneTimeCodeResult,
  type OneTimeCodeChallenge,
  type OneTimeCodeFailure,
  type OneTimeCodePurpose,
  type OneTimeCodeState,
  type ResendLimit,
  type VerifyOneTimeCodeOptions,
  type VerifyOneTimeCodeResult,
} from './one-time-codes.js';
export { maskDestination } from './mask-destination.js';
export type { OneTimeCodeMessage, Sender } from './sender.js';
export {
  consumeConfirmationToken,
  createConfirmationToken,
  type ConfirmationTokenFailure,
  type ConsumeConfirmationTokenResult,
  type CreateConfirmationTokenOptions,
  type IssuedConfirmationToken,
  type StoredConfirmationToken,
} from './confirmation-tokens.js';

// The lifecycle service over a store: what an application calls, the options it passes, the events
// it receives and the results it gets back. The pure pieces (transition, commands, record parsing)
// are in mfakit/lifecycle.
export { storeUnavailable, type MfaLookupStore, type MfaStore, type StoredRecord, type StoreListOptions, type StoreListPage } from './lifecycle/store.js';
export { MemoryStore } from './lifecycle/memory-store.js';
export {
  RESERVED_ID_PREFIX,
  encryptedSecrets,
  type EncryptedSecretsOptions,
  policies,
  type PoliciesMfa,
  type PoliciesOptions,
  reencryptAll,
  userListing,
  type ListedUser,
  type ReencryptFailure,
  type ReencryptOptions,
  type ReencryptProgress,
  type UserListingMfa,
  type UserPage,
  apiPasswords,
  authenticators,
  clientThrottle,
  confirmationTokens,
  createMfa,
  enforcementDeadlines,
  importInputsFromMigrationUri,
  type AuthenticatorEvent,
  type AuthenticatorsMfa,
  type AuthenticatorsOptions,
  type AuthenticatorSummary,
  type AuthenticatorCodeSent,
  type AddAuthenticatorFailure,
  type AuthenticatorType,
  type SendAuthenticatorChallengeResult,
  type ImportAuthenticatorInput,
  type ImportUserOutcome,
  type SecretEncoding,
  type AuthenticatorStatus,
  type RecordCodec,
  type FeatureLoginCheck,
  oneTimeCodes,
  recoveryCodes,
  type RecoveryCodesMfa,
  type RecoveryCodesOptions,
  stepUpAuthentication,
  trustedDevices,
  breakGlassRecovery,
  type BreakGlassEvent,
  type BreakGlassRecoveryMfa,
  type BreakGlassRecoveryOptions,
  type CancelRecoveryResult,
  type CompleteRecoveryResult,
  type RecoveryNotice,
  type RecoveryStatus,
  type RemindRecoveryResult,
  type RequestRecoveryResult,
  type TrustDeviceResult,
  type TrustedDeviceEvent,
  type TrustedDeviceSummary,
  type TrustedDevicesMfa,
  type TrustedDevicesOptions,
  type ApiPasswordEvent,
  type ApiPasswordsMfa,
  type ConfirmationTokenEvent,
  type ConfirmationTokensMfa,
  type ConfirmationTokensOptions,
  type MfaFeature,
  type OneTimeCodeEvent,
  type OneTimeCodeOptions,
  type OneTimeCodesFeatureOptions,
  type OneTimeCodesMfa,
  type AdminResetResult,
  type BeginEnrollmentResult,
  type BeginOutOfBandEnrollmentResult,
  type ChallengeSent,
  type CheckFailure,
  type CheckedOperation,
  type ConfirmEnrollmentResult,
  type CreateMfaOptions,
  type DisableResult,
  type EnforcementPolicy,
  type EnforcementDeadlinesMfa,
  type EnforcementEvent,
  type EnforcementGrace,
  type Enrollment,
  type FreshMfaResult,
  type LoginRequirementAnswer,
  type SetPolicyResult,
  type StepUpEvent,
  type StepUpMfa,
  type StepUpResult,
  type IssueApiPasswordCommandResult,
  type VerifyApiKeyResult,
  type IssueConfirmationTokenResult,
  type IssuedChallenge,
  type LifecycleApiPasswordOptions,
  type LifecycleOptions,
  type LifecycleRecoveryCodeOptions,
  type LifecycleTotpOptions,
  type LoginRequirement,
  type MethodType,
  type Mfa,
  type MfaEvent,
  type MfaEventType,
  type MfaFeatureEvents,
  type MfaStatus,
  type MfaStatusView,
  type OutOfBandChannel,
  type OutOfBandEnrollmentOptions,
  type OutOfBandEnrollmentRefused,
  type PolicyTarget,
  type Proof,
  type ProofFailure,
  type RegenerateRecoveryCodesResult,
  type ResetSecretResult,
  type SendChallengeFailure,
  type SendChallengeResult,
  type ThrottleOptions,
  type UnlockResult,
  type UserPolicy,
  type VerifyLoginResult,
} from './lifecycle/index.js';

// Test doubles for the Clock and RandomSource above, importable without vitest (any test runner);
// mfakit/testing re-exports them next to runStoreConformance. Tree-shaken away when unused.
export { FakeClock } from './testing/fake-clock.js';
export { seededRandom } from './testing/seeded-random.js';
