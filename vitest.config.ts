import { defineConfig } from 'vitest/config';

/**
 * Tests that need something outside the test process: a database server (PostgreSQL, Redis), an
 * in-process database driver or worker (SQLite stores), child processes (multi-process races,
 * oathtool, ImageMagick + zbarimg, Node/Bun/Deno/browsers), or the built dist / packed tarball.
 * Everything else is `unit`: pure, in-process, seconds. test/support/services.ts and packed.ts
 * throw when loaded by a unit test, so a test filed in the wrong project fails instead of quietly
 * slowing `npm run test:unit` down.
 */
const integration = [
  'test/stores/**/*.test.ts',
  'test/runtimes/**/*.test.ts',
  'test/examples/**/*.test.ts',
  'test/fault-injection/real-stores-*.test.ts',
  'test/security/batch-poisoning.test.ts',
  'test/security/store-key-collision.test.ts',
  'test/security/input-validation.test.ts',
  'test/**/*.oathtool.test.ts',
  'test/**/*.pyotp.test.ts',
  'test/qr/index.test.ts',
  'test/qr/index.bundle.test.ts',
  'test/package-*.test.ts',
  'test/api-report.test.ts',
  'test/lifecycle/features/key-rotation/reencrypt-crash.test.ts',
  'test/docs-run.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', './scripts/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...integration, '**/node_modules/**'],
          env: { MFAKIT_TEST_PROJECT: 'unit' },
        },
      },
      {
        extends: true,
        test: { name: 'integration', include: integration, exclude: ['**/node_modules/**'] },
      },
    ],
  },
});
