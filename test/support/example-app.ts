// Installs examples/<name> the way a user would: copied out of the repository into a temp dir
// (keeping the examples/ layout, so the REST example still finds ../web), with its `mfakit`
// dependency pointed at the packed tarball (scripts/packed-app.mjs), never at src/.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { packTarball, repoRoot } from '../../scripts/packed-app.mjs';

/** Copies the named examples into `<tmp>/examples/<name>` and runs `npm install` in each. */
export function installExamples(names: readonly string[]): { root: string; dir: (name: string) => string } {
  const root = mkdtempSync(join(tmpdir(), 'mfakit-examples-'));
  const tarball = packTarball(root);
  for (const name of names) {
    const dir = join(root, 'examples', name);
    cpSync(join(repoRoot, 'examples', name), dir, { recursive: true, filter: (src) => !src.includes('node_modules') });
    const pkgFile = join(dir, 'package.json');
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { dependencies?: Record<string, string> };
    if (pkg.dependencies?.mfakit !== undefined) {
      pkg.dependencies.mfakit = `file:${tarball}`;
      writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
      execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--loglevel=error'], {
        cwd: dir,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    }
  }
  return { root, dir: (name) => join(root, 'examples', name) };
}

/** beforeAll/afterAll around {@link installExamples}; `dir(name)` works once beforeAll ran. */
export function useExamples(names: readonly string[]): { dir: (name: string) => string } {
  let installed: ReturnType<typeof installExamples> | undefined;
  beforeAll(() => {
    installed = installExamples(names);
  }, 180_000);
  afterAll(() => {
    if (installed !== undefined) rmSync(installed.root, { recursive: true, force: true });
  });
  return {
    dir: (name) => {
      if (installed === undefined) throw new Error('examples not installed yet');
      return installed.dir(name);
    },
  };
}

/** A running child process whose output is kept, with a helper to wait for a line. */
export interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  output(): string;
  /** Resolves with the output once `pattern` matches it (rejects on exit or after `timeoutMs`). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code. */
  exited(): Promise<number | null>;
  stop(): Promise<void>;
}

export function startChild(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Child {
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env } });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => {
    for (const l of listeners) l();
    resolve(code);
  }));
  let exitCode: number | null | undefined;
  void exit.then((code) => (exitCode = code));
  return {
    process: child,
    output: () => out,
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(out);
          if (m !== null) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(m);
          } else if (exitCode !== undefined || child.exitCode !== null) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(new Error(`process exited before ${pattern}; output:\n${out}`));
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; output:\n${out}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    exited: () => exit,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exit;
    },
  };
}

/** The TOTP code `oathtool` computes for a base32 secret at `time` (ms). */
export function oathtoolCode(secret: string, time: number): string {
  return execFileSync('oathtool', ['--totp', '-b', '-N', `@${Math.floor(time / 1000)}`, secret], { encoding: 'utf8' }).trim();
}
