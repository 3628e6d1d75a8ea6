// A throwaway PostgreSQL cluster for tests and benchmarks: initdb + pg_ctl in a temp dir, on a free
// loopback port, stopped and removed by `dispose()`. With MFAKIT_PG_URL set, that server is used
// instead (and the server-control methods are unavailable: `managed` is false).
//
// Start-up is ~1 s: `initdb --no-sync`, trust auth on loopback only, and `fsync=off` unless
// `durable: true`. Why fsync=off is safe for almost all tests, and why the crash test still asks
// for `durable`: fsync only protects against an OS crash or power loss. A killed *process* (client
// or server backend) loses nothing the server has already written to the OS, and with
// synchronous_commit left ON (we never turn it off) every acknowledged commit has been written to
// the WAL before the client hears "COMMIT". So a SIGKILL crash test would pass with fsync=off too;
// it asks for `durable` anyway so that what it proves does not rest on that argument.
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Availability } from './services.js';
import { freePort } from './services.js';

export interface PostgresServer {
  /** Connection string (postgres://user@127.0.0.1:port/db). */
  readonly url: string;
  /** False when MFAKIT_PG_URL points at a server we do not control. */
  readonly managed: boolean;
  /** Stops the server (fast shutdown); `start()` brings it back on the same port. Managed only. */
  stop(): Promise<void>;
  /** Starts a stopped server again. Managed only. */
  start(): Promise<void>;
  /** Server log so far (for failure messages). Managed only, '' otherwise. */
  log(): string;
  /** Stops the server and removes its directory. Safe to call twice. */
  dispose(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Keep fsync on (see the file header). Default false. */
  readonly durable?: boolean;
}

interface Binaries {
  readonly bindir: string;
  /** Prefix to run a binary as the `postgres` user when we are root (initdb refuses root). */
  readonly asUser: readonly string[];
  readonly owner: { uid: number; gid: number } | null;
}

let binaries: Binaries | string | undefined;

function findBinaries(): Binaries | string {
  if (binaries !== undefined) return binaries;
  binaries = locate();
  return binaries;
}

function locate(): Binaries | string {
  const candidates: string[] = [];
  if (process.env.MFAKIT_PG_BINDIR) candidates.push(process.env.MFAKIT_PG_BINDIR);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(join(debian, v, 'bin'));
  }
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (pgConfig.status === 0) candidates.push(pgConfig.stdout.trim());
  const bindir = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (bindir === undefined) {
    return 'PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or via pg_config; install the Debian package `postgresql` or set MFAKIT_PG_URL';
  }
  if (process.getuid?.() !== 0) return { bindir, asUser: [], owner: null };
  // initdb refuses to run as root: run the server binaries as the `postgres` system user.
  const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (id.status !== 0 || gid.status !== 0) {
    return 'running as root and there is no `postgres` user to run initdb/pg_ctl as (initdb refuses root)';
  }
  if (spawnSync('runuser', ['--help'], { stdio: 'ignore' }).status !== 0) {
    return 'running as root and `runuser` is missing (needed to run initdb/pg_ctl as `postgres`)';
  }
  return {
    bindir,
    asUser: ['runuser', '-u', 'postgres', '--'],
    owner: { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) },
  };
}

/** Whether PostgreSQL tests can run here (MFAKIT_PG_URL set, or server binaries installed). */
export function postgresAvailability(): Availability {
  if (process.env.MFAKIT_PG_URL) return { available: true };
  const found = findBinaries();
  return typeof found === 'string' ? { available: false, reason: found } : { available: true };
}

/** Whether the tests can stop/crash the server (false with MFAKIT_PG_URL). */
export function postgresIsManaged(): boolean {
  return !process.env.MFAKIT_PG_URL;
}

function run(bin: Binaries, tool: string, args: string[]): string {
  const [cmd, ...prefix] = [...bin.asUser, join(bin.bindir, tool)];
  try {
    return execFileSync(cmd!, [...prefix, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${tool} failed: ${e.stderr || e.stdout || e.message}`);
  }
}

/**
 * Starts a throwaway cluster (or connects to MFAKIT_PG_URL). Always pair with `dispose()` in an
 * `afterAll`.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const external = process.env.MFAKIT_PG_URL;
  if (external) {
    const unmanaged = async (): Promise<void> => {
      throw new Error('MFAKIT_PG_URL is set: the tests do not control that server');
    };
    return { url: external, managed: false, stop: unmanaged, start: unmanaged, log: () => '', dispose: async () => {} };
  }
  const bin = findBinaries();
  if (typeof bin === 'string') throw new Error(bin);
  const dir = tempDir(bin, 'mfakit-pg-');
  const data = join(dir, 'data');
  run(bin, 'initdb', ['-D', data, '--no-sync', '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-instructions']);
  return runCluster(bin, dir, options.durable ? ['-c fsync=on'] : ['-c fsync=off -c full_page_writes=off'], 30);
}

/**
 * A hot standby of a managed `primary`: `pg_basebackup -R` (streaming replication, the standby
 * settings written by pg_basebackup) into a temp dir, started on its own free port. Reads work on
 * it; every write is refused by the server (SQLSTATE 25006, read-only transaction).
 */
export async function startStandby(primary: PostgresServer): Promise<PostgresServer> {
  if (!primary.managed) throw new Error('a standby needs a primary the tests started (MFAKIT_PG_URL is set)');
  const bin = findBinaries();
  if (typeof bin === 'string') throw new Error(bin);
  const dir = tempDir(bin, 'mfakit-pg-standby-');
  const primaryPort = new URL(primary.url).port;
  // A hot standby needs max_connections (and the other limits) at least the primary's, 200 here.
  // The initdb default pg_hba.conf lets loopback replication connections in with the chosen auth (trust).
  run(bin, 'pg_basebackup', ['-h', '127.0.0.1', '-p', primaryPort, '-U', 'postgres', '-D', join(dir, 'data'), '-R', '-X', 'stream', '--no-sync']);
  // Catching up with the primary can take longer than a fresh start.
  return runCluster(bin, dir, ['-c hot_standby=on -c fsync=off'], 60);
}

/** A temp dir the server binaries may write to (owned by `postgres` when we run as root). */
function tempDir(bin: Binaries, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (bin.owner) chownSync(dir, bin.owner.uid, bin.owner.gid);
  return dir;
}

/**
 * Runs the cluster in `dir`/data on a free loopback port, with its socket and log in `dir`: the
 * first `start` picks the port (another one when it was taken meanwhile), a later one restarts on
 * the same port so connection strings held by tests stay valid. `stop` is a fast shutdown; a
 * process exit without `dispose()` (crash, Ctrl-C) still stops the server and removes `dir`.
 */
async function runCluster(bin: Binaries, dir: string, settings: readonly string[], startTimeout: number): Promise<PostgresServer> {
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const log = (): string => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  let port = 0;
  let running = false;
  let disposed = false;
  const pgCtlStart = (): void => {
    const options = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', '-c max_connections=200', '-c shared_buffers=32MB', ...settings].join(' ');
    try {
      run(bin, 'pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', String(startTimeout), '-o', options, 'start']);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${log().slice(-2000)}`);
    }
    running = true;
  };
  const stopNow = (mode: 'fast' | 'immediate'): void => {
    if (running) run(bin, 'pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '30', 'stop']);
    running = false;
  };
  let lastError: unknown;
  for (let attempt = 0; attempt < 4 && !running; attempt++) {
    port = await freePort();
    try {
      pgCtlStart();
    } catch (err) {
      lastError = err; // most likely a port taken between freePort() and bind: pick another
    }
  }
  if (!running) {
    rmSync(dir, { recursive: true, force: true });
    throw lastError;
  }
  const remove = (): void => {
    if (disposed) return;
    disposed = true;
    process.removeListener('exit', onExit);
    try {
      stopNow('immediate');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const onExit = (): void => {
    try {
      remove();
    } catch {
      // best effort
    }
  };
  process.once('exit', onExit);
  return {
    get url() {
      return `postgres://postgres@127.0.0.1:${port}/postgres`;
    },
    managed: true,
    stop: async () => stopNow('fast'),
    start: async () => pgCtlStart(),
    log,
    dispose: async () => remove(),
  };
}
