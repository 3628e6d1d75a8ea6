import { defineConfig, type Options } from 'tsup';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * Keeps the module graph: every source module becomes one output module and every relative import
 * stays an import (marked external) instead of being inlined, so a bundler that tree-shakes the
 * package drops whole modules a user never reaches. CJS outputs must require the '.cjs' sibling
 * (a '.js' file is ESM under "type": "module"), so the specifier's extension follows the format.
 * One MfaError module per format also keeps `instanceof MfaError` true across subpaths.
 */
const keepModuleGraph: Plugin = {
  name: 'keep-module-graph',
  setup(build) {
    const ext = build.initialOptions.format === 'cjs' ? '.cjs' : '.js';
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if (!args.path.endsWith('.js')) throw new Error(`relative import without .js: ${args.path} in ${args.importer}`);
      return { path: `${args.path.slice(0, -'.js'.length)}${ext}`, external: true };
    });
  },
};

// JavaScript only; declarations (.d.ts and .d.cts per module) come from `tsc -p tsconfig.build.json`
// and scripts/build-finish.mjs, see package.json "build".
export default defineConfig({
  entry: ['src/**/*.ts'],
  format: ['esm', 'cjs'],
  bundle: true,
  splitting: false,
  treeshake: false,
  dts: false,
  clean: true,
  sourcemap: false,
  target: 'es2022',
  platform: 'neutral',
  // Peers and @noble/hashes stay imports of the user's copy; relative imports are kept by the plugin.
  external: ['@noble/hashes', 'uqr', 'pg', 'better-sqlite3', 'ioredis', 'redis', 'vitest', /^node:/],
  esbuildPlugins: [keepModuleGraph],
});
