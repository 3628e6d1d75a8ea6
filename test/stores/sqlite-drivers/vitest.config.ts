// vitest config for running the node:sqlite conformance file on other runtimes (Node 22/24, Deno);
// see sqlite-drivers.test.ts.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: {
    include: ['test/stores/sqlite-drivers/*.conformance.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
