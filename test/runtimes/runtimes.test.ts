// One smoke suite (smoke.mjs) on every runtime mfakit's users run, always over the packed tarball
// installed in a fresh app: Node 20 (this machine's), 22 and 24, Bun, Deno, headless Chromium, and
// QuickJS as the stand-in for appliance firmware (no TextEncoder, crypto, Buffer, process, timers:
// only an rng passed in). A runtime that is not installed fails the run when CI is set and is
// skipped loudly otherwise; `npm ci --prefix test/runtimes` installs them all.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipUnless } from '../support/services.js';
import {
  ABSENT_IN_BARE_ENGINE,
  binaries,
  createSmokeApp,
  runChromium,
  runQuickJs,
  runServerRuntime,
  type SmokeReport,
} from './harness.js';
import { CORE_CHECKS, NO_WEBCRYPTO_CHECKS, QR_CHECKS, WEBCRYPTO_CHECKS } from './smoke.mjs';

const FULL = [...CORE_CHECKS, ...QR_CHECKS, ...WEBCRYPTO_CHECKS];
const BARE = [...CORE_CHECKS, ...NO_WEBCRYPTO_CHECKS];

let app: { dir: string; remove: () => void } | undefined;
beforeAll(() => {
  app = createSmokeApp();
}, 180_000);
afterAll(() => app?.remove());

function appDir(): string {
  if (app === undefined) throw new Error('the packed app was not created (see the beforeAll error)');
  return app.dir;
}

/** Every expected check ran, in order, and passed; failures are listed with their detail. */
function expectAllPassed(report: SmokeReport, expected: readonly string[]): void {
  const failed = report.results.filter((r) => !r.ok).map((r) => `✗ ${r.name}: ${r.detail}`);
  expect(failed.join('\n\n'), 'failed smoke checks').toBe('');
  expect(report.results.map((r) => r.name)).toEqual(expected);
}

/** 'mfakit' came from the installed tarball (its ESM or CJS build), not from src/ or the repo's dist/. */
function expectInstalledTarball(report: SmokeReport, kind: 'esm' | 'cjs' | 'bundled'): void {
  const installed = join(appDir(), 'node_modules', 'mfakit', 'dist');
  if (kind === 'esm') {
    expect(report.source[0]).toBe(pathToFileURL(join(installed, 'index.js')).href);
  } else if (kind === 'cjs') {
    expect(report.source[0]).toBe(join(installed, 'index.cjs'));
  } else {
    expect(report.source.some((p) => p.startsWith('node_modules/mfakit/dist/'))).toBe(true);
    expect(report.source.filter((p) => p.includes('/src/') && !p.startsWith('node_modules/'))).toEqual([]);
  }
}

interface ServerRuntime {
  name: string;
  locate: () => { available: true; path: string } | { available: false; reason: string };
  /** What the process must say it is: the binary really is that runtime and version. */
  identity: RegExp;
  args: string[];
  env?: (dir: string) => Record<string, string>;
  /** Also run the CommonJS build (Deno runs ESM apps; its CommonJS support is for npm packages). */
  cjs: boolean;
}

const server: ServerRuntime[] = [
  {
    name: `Node ${process.versions.node} (this machine's)`,
    locate: () => ({ available: true, path: process.execPath }),
    identity: new RegExp(`^node ${process.versions.node.replaceAll('.', '\\.')}$`),
    args: [],
    cjs: true,
  },
  { name: 'Node 22', locate: binaries.node22, identity: /^node 22\./, args: [], cjs: true },
  { name: 'Node 24', locate: binaries.node24, identity: /^node 24\./, args: [], cjs: true },
  { name: 'Bun', locate: binaries.bun, identity: /^bun \d/, args: [], cjs: true },
  {
    name: 'Deno',
    locate: binaries.deno,
    identity: /^deno \d/,
    // No permission flags: the suite needs none (no env, file or network access); nothing fetched.
    args: ['run', '--no-prompt', '--quiet', '--no-remote', '--cached-only'],
    env: (dir) => ({ DENO_DIR: join(dir, '.deno'), DENO_NO_UPDATE_CHECK: '1' }),
    cjs: false,
  },
];

describe('smoke suite on every runtime, over the packed tarball', () => {
  for (const runtime of server) {
    for (const format of runtime.cjs ? (['esm', 'cjs'] as const) : (['esm'] as const)) {
      it(`${runtime.name}, ${format === 'esm' ? 'ESM (import)' : 'CommonJS (require)'}`, async (ctx) => {
        const where = runtime.locate();
        if (skipUnless(`${runtime.name} smoke test`, where)) return ctx.skip();
        if (!where.available) return;
        const dir = appDir();
        const entry = format === 'esm' ? 'entry-server.mjs' : 'entry-server.cjs';
        const report = await runServerRuntime(where.path, runtime.args, entry, dir, runtime.env?.(dir) ?? {});
        expect(report.runtime).toMatch(runtime.identity);
        expectAllPassed(report, FULL);
        expectInstalledTarball(report, format);
      });
    }
  }

  it('headless Chromium (page from 127.0.0.1, esbuild bundle of the app)', async (ctx) => {
    const where = binaries.chromium();
    if (skipUnless('Chromium smoke test', where)) return ctx.skip();
    const report = await runChromium(appDir(), where.path);
    expect(report.runtime).toMatch(/HeadlessChrome\/\d+/);
    expectAllPassed(report, FULL);
    expectInstalledTarball(report, 'bundled');
  });

  it('QuickJS (bare ES2020 engine, only an rng passed in: the firmware case)', async (ctx) => {
    const where = binaries.quickjs();
    if (skipUnless('QuickJS smoke test', where)) return ctx.skip();
    const report = await runQuickJs(appDir());
    // The engine really is bare, or this test would prove nothing about firmware.
    expect(report.globals).toEqual(Object.fromEntries(ABSENT_IN_BARE_ENGINE.map((n) => [n, 'undefined'])));
    expectAllPassed(report, BARE);
    expectInstalledTarball(report, 'bundled');
  });
});
