// What each mutation-testing area mutates and which unit tests judge it. The core's tests are its
// own mirrored files (running every lifecycle test against each HOTP mutant would cost hours and
// prove nothing more about HOTP); the lifecycle is judged by the lifecycle, scenario and security
// tests; the stores only by what runs without a server (MemoryStore, the batcher, the id check).
export const AREAS = {
  core: {
    target: 90,
    mutate: [
      'src/hotp.ts',
      'src/totp.ts',
      'src/base32.ts',
      'src/otpauth-uri.ts',
      'src/recovery-codes.ts',
      'src/recovery-code-set.ts',
      'src/_internal/hmac-otp.ts',
      'src/_internal/md.ts',
      'src/_internal/sha1.ts',
      'src/_internal/sha2.ts',
      'src/_internal/sha256.ts',
      'src/_internal/scan.ts',
      'src/_internal/token.ts',
      'src/_internal/crockford.ts',
      'src/_internal/recovery-hash.ts',
      'src/_internal/recovery-verify.ts',
    ],
    tests: [
      'test/core/**/*.test.ts',
      'test/otpauth-uri.test.ts',
      'test/recovery-codes*.test.ts',
      'test/recovery-code-set.test.ts',
      'test/sha256.test.ts',
    ],
  },
  lifecycle: {
    target: 80,
    mutate: [
      'src/lifecycle/engine.ts',
      'src/lifecycle/transitions.ts',
      'src/lifecycle/service.ts',
      'src/lifecycle/record.ts',
      'src/lifecycle/features/enrollment/*.ts',
      'src/lifecycle/features/login/*.ts',
      'src/lifecycle/features/management/*.ts',
      'src/lifecycle/features/throttle/*.ts',
      'src/lifecycle/features/policy/*.ts',
    ],
    tests: ['test/lifecycle/**/*.test.ts', 'test/scenarios/**/*.test.ts', 'test/security/*.test.ts', 'test/fault-injection/*.test.ts'],
  },
  stores: {
    target: 70,
    mutate: ['src/lifecycle/memory-store.ts', 'src/stores/batcher.ts', 'src/stores/store-id.ts', 'src/stores/store-error.ts'],
    tests: ['test/lifecycle/memory-store*.test.ts', 'test/stores/**/*.unit.test.ts', 'test/lifecycle/testing-utils.test.ts'],
  },
};
