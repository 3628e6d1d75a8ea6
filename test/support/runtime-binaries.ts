// Where the other runtimes' binaries are: npm packages installed by `npm ci --prefix test/runtimes`
// (test/runtimes/package.json). A missing binary is an error, never a skip: CI must install them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const modules = join(import.meta.dirname, '..', 'runtimes', 'node_modules');

const BINARIES = {
  node22: join(modules, 'node22', 'bin', 'node'),
  node24: join(modules, 'node24', 'bin', 'node'),
  // The platform packages hold the binaries themselves (the wrappers' postinstall is not run).
  bun: join(modules, '@oven', 'bun-linux-x64', 'bin', 'bun'),
  deno: join(modules, '@deno', 'linux-x64-glibc', 'deno'),
} as const;

export type Runtime = keyof typeof BINARIES;

/** The path of a runtime's binary; throws (with the install command) when it is not installed. */
export function runtimeBinary(runtime: Runtime): string {
  const path = BINARIES[runtime];
  if (!existsSync(path)) {
    throw new Error(`${runtime} is not installed at ${path}: run \`npm ci --prefix test/runtimes\``);
  }
  return path;
}
