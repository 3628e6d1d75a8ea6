import { defineConfig } from 'tsup';

// One entry per subpath export. Splitting keeps shared code (MfaError, core) in one chunk,
// so `instanceof MfaError` holds across subpaths in both ESM and CJS.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    qr: 'src/qr/index.ts',
    testing: 'src/testing/index.ts',
    postgres: 'src/stores/postgres.ts',
    sqlite: 'src/stores/sqlite.ts',
    redis: 'src/stores/redis.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  splitting: true,
  treeshake: true,
  clean: true,
  sourcemap: false,
  target: 'node20',
  platform: 'neutral',
  external: ['uqr', 'pg', 'better-sqlite3', 'ioredis', 'redis', 'vitest', /^node:/],
});
