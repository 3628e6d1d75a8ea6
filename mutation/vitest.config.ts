import { defineConfig } from 'vitest/config';

// The vitest `unit` tests that Stryker runs against each mutant of one area (MUTATION_AREA, see
// mutation/areas.mjs). Only pure, in-process tests: no database, no child process, no dist. The
// timing proofs are left out (statistical, seconds per run, and they judge time, not results), as
// is the fuzz slice (its budget is `npm run fuzz`), and so are the integration tests the globs match.
// A store area (`servers` in areas.mjs) runs its store's integration test file instead, against
// servers mutation/servers.ts starts once per test process.
import { AREAS } from './areas.mjs';

const area = AREAS[process.env.MUTATION_AREA ?? 'core-otp'];
if (area === undefined) throw new Error(`unknown MUTATION_AREA ${process.env.MUTATION_AREA}`);

const servers: readonly string[] = area.servers ?? [];

export default defineConfig({
  test: {
    name: servers.length > 0 ? 'integration' : 'unit',
    globalSetup: servers.length > 0 ? ['mutation/servers.ts'] : [],
    include: area.tests,
    exclude: [
      '**/node_modules/**',
      'test/security/timing.test.ts',
      'test/fuzz/**',
      // integration tests (servers, processes) that the area globs would otherwise pick up
      'test/fault-injection/real-stores-*.test.ts',
      '**/*.oathtool.test.ts',
      'test/security/batch-poisoning.test.ts',
      'test/security/store-key-collision.test.ts',
      'test/security/input-validation.test.ts',
    ],
    // The fault-injection property with fewer schedules: each mutant reruns it.
    // A store area runs the main conformance run of its store only (STORE_VARIANTS, see the store's test file).
    env: servers.length > 0 ? { MFAKIT_TEST_PROJECT: 'integration', STORE_VARIANTS: 'main' } : { MFAKIT_TEST_PROJECT: 'unit', FAULT_RUNS: '25' },
    testTimeout: 60_000,
    // As the integration project: a store file's afterAll drops its tables and closes its pools.
    hookTimeout: 120_000,
  },
});
