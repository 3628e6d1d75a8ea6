// mfakit: the public surface of the core entry. Subpaths (mfakit/qr, mfakit/testing,
// mfakit/postgres, mfakit/sqlite, mfakit/redis) hold everything that needs an optional peer.
export * from './errors.js';
export * from './random.js';
export * from './base32.js';
export * from './secret.js';
export * from './hotp.js';
export * from './totp.js';
export * from './otpauth-uri.js';
export * from './migration-uri.js';
export * from './manual-key.js';
export * from './recovery-codes.js';
export { pbkdf2Kdf, scryptKdf, type RecoveryCodeKdf } from './recovery-kdfs.js';
export { packRecoveryCodes, unpackRecoveryCodes, type StoredRecoveryCodeSet } from './recovery-code-set.js';
export * from './recovery-codes-export.js';
export * from './secret-cipher.js';
export * from './aes-gcm-cipher.js';
export * from './api-credentials.js';
export * from './basic-auth.js';
export * from './one-time-codes.js';
export * from './confirmation-tokens.js';
export * from './lifecycle/store.js';
export * from './lifecycle/memory-store.js';
export * from './lifecycle/index.js';
// Test doubles for the Clock and RandomSource above, importable without vitest (any test runner);
// mfakit/testing re-exports them next to runStoreConformance. Tree-shaken away when unused.
export { FakeClock } from './testing/fake-clock.js';
export { seededRandom } from './testing/seeded-random.js';
