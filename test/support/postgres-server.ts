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

  const dir = mkdtempSync(join(tmpdir(), 'mfakit-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  if (bin.owner) chownSync(dir, bin.owner.uid, bin.owner.gid);
  run(bin, 'initdb', ['-D', data, '--no-sync', '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-instructions']);

  let port = 0;
  let running = false;
  const serverOptions = (): string =>
    [
      `-p ${port}`,
      `-k ${dir}`, // unix socket in our own dir
      '-c listen_addresses=127.0.0.1',
      '-c max_connections=200',
      '-c shared_buffers=32MB',
      options.durable ? '-c fsync=on' : '-c fsync=off -c full_page_writes=off',
    ].join(' ');

  const start = async (): Promise<void> => {
    let lastError: unknown;
    for (let attempt = 0; attempt < 4; attempt++) {
      if (port === 0 || attempt > 0) port = await freePort();
      try {
        run(bin, 'pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', '30', '-o', serverOptions(), 'start']);
        running = true;
        return;
      } catch (err) {
        lastError = err; // most likely a port taken between freePort() and bind: pick another
      }
    }
    throw lastError;
  };
  const restart = async (): Promise<void> => {
    // Same port, so connection strings held by tests stay valid.
    run(bin, 'pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', '30', '-o', serverOptions(), 'start']);
    running = true;
  };
  const stop = async (): Promise<void> => {
    if (!running) return;
    run(bin, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
    running = false;
  };
  await start();
  let disposed = false;
  // If the test process exits without dispose() (crash, Ctrl-C), do not leave a cluster behind.
  const onExit = (): void => {
    if (disposed) return;
    try {
      if (running) run(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '10', 'stop']);
    } catch {
      // best effort
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  return {
    get url() {
      return `postgres://postgres@127.0.0.1:${port}/postgres`;
    },
    managed: true,
    stop,
    start: restart,
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      process.removeListener('exit', onExit);
      try {
        if (running) run(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']);
      } finally {
        running = false;
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
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
  const dir = mkdtempSync(join(tmpdir(), 'mfakit-pg-standby-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  if (bin.owner) chownSync(dir, bin.owner.uid, bin.owner.gid);
  const primaryPort = new URL(primary.url).port;
  // A hot standby needs max_connections (and the other limits) at least the primary's, 200 here.
  // The initdb default pg_hba.conf lets loopback replication connections in with the chosen auth (trust).
  run(bin, 'pg_basebackup', ['-h', '127.0.0.1', '-p', primaryPort, '-U', 'postgres', '-D', data, '-R', '-X', 'stream', '--no-sync']);
  let port = 0;
  let running = false;
  const start = async (): Promise<void> => {
    let lastError: unknown;
    for (let attempt = 0; attempt < 4; attempt++) {
      port = await freePort();
      const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c hot_standby=on -c fsync=off -c max_connections=200 -c shared_buffers=32MB`;
      try {
        run(bin, 'pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', '60', '-o', opts, 'start']);
        running = true;
        return;
      } catch (err) {
        lastError = new Error(`${(err as Error).message}\n${existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : ''}`);
      }
    }
    throw lastError;
  };
  await start();
  const stopNow = (): void => {
    if (running) run(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']);
    running = false;
  };
  const onExit = (): void => {
    try {
      stopNow();
    } catch {
      // best effort
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  return {
    get url() {
      return `postgres://postgres@127.0.0.1:${port}/postgres`;
    },
    managed: true,
    stop: async () => stopNow(),
    start,
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    dispose: async () => {
      process.removeListener('exit', onExit);
      try {
        stopNow();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
