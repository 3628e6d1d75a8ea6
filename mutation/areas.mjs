// What each mutation-testing area mutates and which unit tests judge it. The core's tests are its
// own mirrored files (running every lifecycle test against each HOTP mutant would cost hours and
// prove nothing more about HOTP); the lifecycle is judged by the lifecycle, scenario and security
// tests; the in-memory store by its own tests, and the SQL and Redis stores (areas with `servers`) by
// their test file against a real server that mutation/servers.ts starts once per test process.
export const AREAS = {
  // The OTP core, in four parts so each run ends (Stryker writes its report at the end) and each
  // mutant reruns only the tests written for its file: a kernel mutant rerunning every HOTP
  // property test would cost seconds and prove nothing the kernel vectors do not.
  'core-otp': {
    target: 90,
    mutate: ['src/hotp.ts', 'src/totp.ts', 'src/base32.ts', 'src/_internal/hmac-otp.ts', 'src/_internal/scan.ts', 'src/_internal/token.ts'],
    tests: ['test/{hotp,totp,base32}*.test.ts', 'test/_internal/{hmac-otp,token,scan}*.test.ts'],
  },
  'core-kernels': {
    target: 90,
    mutate: ['src/_internal/md.ts', 'src/_internal/sha1.ts', 'src/_internal/sha2.ts', 'src/_internal/sha256.ts'],
    tests: ['test/_internal/hmac-otp.kernels.test.ts', 'test/totp.vectors.test.ts', 'test/_internal/sha256.test.ts'],
  },
  'core-recovery': {
    target: 90,
    mutate: [
      'src/recovery-codes.ts',
      'src/recovery-code-set.ts',
      'src/_internal/crockford.ts',
      'src/_internal/recovery-hash.ts',
      'src/_internal/recovery-verify.ts',
    ],
    tests: ['test/recovery-codes*.test.ts', 'test/recovery-code-set*.test.ts'],
  },
  'core-uri': {
    target: 90,
    mutate: ['src/otpauth-uri.ts'],
    tests: ['test/otpauth-uri*.test.ts'],
  },
  // The engine (read → transition → compare-and-set → retry) and the transition table.
  lifecycle: {
    target: 80,
    mutate: ['src/lifecycle/engine.ts', 'src/lifecycle/transitions.ts'],
    tests: ['test/lifecycle/**/*.test.ts', 'test/security/*.test.ts', 'test/fault-injection/*.test.ts'],
  },
  // Login: the verification every sign-in and proof goes through (a slice of the next area that
  // ends in about 20 minutes on two shared cores).
  'lifecycle-login': {
    target: 80,
    mutate: ['src/lifecycle/features/login/*.ts'],
    tests: ['test/lifecycle/**/*.test.ts', 'test/security/*.test.ts', 'test/fault-injection/*.test.ts'],
  },
  // The transitions themselves, feature by feature.
  // The core transitions besides login (which has its own area): enrolment and management.
  'lifecycle-features': {
    target: 80,
    mutate: ['src/lifecycle/features/enrollment/*.ts', 'src/lifecycle/features/management/*.ts'],
    tests: ['test/lifecycle/**/*.test.ts', 'test/security/*.test.ts', 'test/fault-injection/*.test.ts'],
  },
  // Only what runs without a server: the in-memory store under the conformance suite. The SQL and
  // Redis stores are judged by integration tests against real servers, which a per-mutant rerun
  // cannot afford here.
  stores: {
    target: 70,
    mutate: ['src/lifecycle/memory-store.ts'],
    tests: ['test/lifecycle/memory-store*.test.ts'],
  },
  // The compare-and-set and batching code of the PostgreSQL store: in its factory the statements,
  // the single-row get/compareAndSet, the batcher wiring and the returned get/compareAndSet/delete
  // (not the option checks, migration, lookup or list), the batch engine, and the reading of engine
  // errors (a lost race is `false`, anything else STORE_UNAVAILABLE). Judged by
  // test/stores/postgres.test.ts with STORE_VARIANTS=main (the conformance suite on a pg Pool,
  // batched and not, plus the batching, list and dropped-connection tests) against one PostgreSQL
  // per test process; the tests that stop the server skip themselves there.
  'stores-postgres': {
    target: 70,
    mutate: ['src/stores/postgres.ts:170-209', 'src/stores/postgres.ts:229-251', 'src/stores/postgres-batch.ts', 'src/stores/postgres-errors.ts'],
    tests: ['test/stores/postgres.test.ts', 'test/stores/postgres-errors.test.ts'],
    servers: ['postgres'],
  },
  // The same for Redis: the store's factory from the record parsing to the returned methods, and
  // the batch engine (the Lua scripts are module constants: static, see MUTATION_STATIC); the
  // conformance suite on ioredis (STORE_VARIANTS=main).
  'stores-redis': {
    target: 70,
    mutate: ['src/stores/redis.ts:197-285', 'src/stores/redis-batch.ts'],
    tests: ['test/stores/redis.test.ts'],
    servers: ['redis'],
  },
  // The SQLite store's get/compareAndSet/delete and its statements, judged by its own tests and the
  // conformance suite on better-sqlite3 (in-process, no server).
  'stores-sqlite': {
    target: 70,
    mutate: ['src/stores/sqlite.ts:155-290', 'src/stores/sqlite-statements.ts'],
    tests: ['test/stores/sqlite.test.ts', 'test/stores/sqlite.conformance.test.ts', 'test/stores/sqlite.edges.test.ts'],
  },
};
