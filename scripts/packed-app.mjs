// Packs mfakit exactly as `npm publish` would and installs the tarball into a fresh app in a temp
// directory, so bundle sizes, runtime tests and examples measure what users install, never src/.
// Needs a built dist/ (`npm run build`); `npm test` builds before it runs vitest.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** `npm pack` into `outDir`; returns the tarball's absolute path. */
export function packTarball(outDir) {
  if (!existsSync(join(repoRoot, 'dist'))) {
    throw new Error('packed-app: dist/ is missing; run `npm run build` first');
  }
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [{ filename }] = JSON.parse(out);
  return join(outDir, filename);
}

/**
 * A fresh app with the packed tarball installed as `mfakit`, plus `dependencies` (name → version
 * range, e.g. the optional peers a test needs). Returns the app directory and the tarball path.
 */
export function packedApp({ dependencies = {}, name = 'mfakit-packed-app' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mfakit-app-'));
  const tarball = packTarball(dir);
  const pkg = { name, private: true, type: 'module', dependencies: { mfakit: `file:${tarball}`, ...dependencies } };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--loglevel=error'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { dir, tarball };
}
