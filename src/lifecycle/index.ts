// The MFA lifecycle: records, pure transitions, enforcement policy and the service over a store.
// (store.ts and memory-store.ts are exported from src/index.ts directly.)
export * from './record.js';
export * from './events.js';
export * from './options.js';
export * from './policy.js';
export * from './throttle.js';
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
