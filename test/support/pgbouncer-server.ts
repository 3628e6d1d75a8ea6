// A throwaway PgBouncer in front of a test PostgreSQL (test/support/postgres-server.ts): a free
// loopback port, `pool_mode = transaction` unless asked otherwise, config and log in a temp dir;
// `dispose()` stops it and removes the dir. PgBouncer refuses to run as root, so as root it drops
// to the `postgres` user itself (`-u postgres`, so the child process is PgBouncer and a signal
// reaches it directly), like the PostgreSQL binaries.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Availability } from './services.js';
import { freePort, waitFor } from './services.js';

export interface PgBouncerServer {
  /** Connection string through the pooler (postgres://postgres@127.0.0.1:port/postgres). */
  readonly url: string;
  /** `major.minor.patch` of the running PgBouncer. */
  readonly version: readonly [number, number, number];
  /** The pooler's log so far (for failure messages). */
  log(): string;
  /** Stops PgBouncer and removes its directory. Safe to call twice. */
  dispose(): Promise<void>;
}

export interface StartPgBouncerOptions {
  /** `pool_mode`. Default `'transaction'` (the mode that breaks session state). */
  readonly poolMode?: 'session' | 'transaction' | 'statement';
  /** Server connections per database/user pair. Default 4. */
  readonly poolSize?: number;
  /** `max_prepared_statements` (PgBouncer ≥ 1.21 only; refused by older versions). Default unset. */
  readonly maxPreparedStatements?: number;
}

function pgbouncerBinary(): string | null {
  for (const bin of [process.env.MFAKIT_PGBOUNCER, '/usr/sbin/pgbouncer', 'pgbouncer']) {
    if (bin && spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0) return bin;
  }
  return null;
}

/** Whether PgBouncer tests can run here (the Debian package `pgbouncer` installed). */
export function pgbouncerAvailability(): Availability {
  return pgbouncerBinary() === null
    ? { available: false, reason: '`pgbouncer` not found (/usr/sbin/pgbouncer or PATH); install the Debian package `pgbouncer`' }
    : { available: true };
}

/** The installed PgBouncer's version, e.g. [1, 18, 0]. */
export function pgbouncerVersion(): [number, number, number] {
  const bin = pgbouncerBinary();
  if (bin === null) throw new Error('pgbouncer not installed');
  const out = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout;
  const m = /PgBouncer (\d+)\.(\d+)\.(\d+)/.exec(out);
  if (!m) throw new Error(`cannot read the pgbouncer version from: ${out}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Starts PgBouncer in front of `postgresUrl` (a loopback server with trust auth). */
export async function startPgBouncer(postgresUrl: string, options: StartPgBouncerOptions = {}): Promise<PgBouncerServer> {
  const bin = pgbouncerBinary();
  if (bin === null) throw new Error('pgbouncer not installed');
  const version = pgbouncerVersion();
  const target = new URL(postgresUrl);
  const dir = mkdtempSync(join(tmpdir(), 'mfakit-pgbouncer-'));
  const logFile = join(dir, 'pgbouncer.log');
  const asRoot = process.getuid?.() === 0;
  let owner: { uid: number; gid: number } | null = null;
  if (asRoot) {
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (uid.status !== 0 || gid.status !== 0) throw new Error('running as root without a `postgres` user to run pgbouncer as');
    owner = { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
    chownSync(dir, owner.uid, owner.gid);
  }

  let child: ChildProcess | undefined;
  let port = 0;
  let lastError: unknown;
  for (let attempt = 0; attempt < 4 && child === undefined; attempt++) {
    port = await freePort();
    const config = [
      '[databases]',
      `* = host=${target.hostname} port=${target.port} user=${decodeURIComponent(target.username) || 'postgres'}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      // Loopback only, like the PostgreSQL behind it (trust auth): any user name is accepted.
      'auth_type = any',
      `pool_mode = ${options.poolMode ?? 'transaction'}`,
      `default_pool_size = ${options.poolSize ?? 4}`,
      'max_client_conn = 500',
      // Drivers send these at start-up; PgBouncer refuses unknown ones unless told to ignore them.
      'ignore_startup_parameters = extra_float_digits,options,application_name',
      ...(options.maxPreparedStatements === undefined ? [] : [`max_prepared_statements = ${options.maxPreparedStatements}`]),
      `logfile = ${logFile}`,
      'log_connections = 0',
      'log_disconnections = 0',
      '',
    ].join('\n');
    const configFile = join(dir, 'pgbouncer.ini');
    writeFileSync(configFile, config);
    if (owner) chownSync(configFile, owner.uid, owner.gid);
    const started = spawn(bin, asRoot ? ['-u', 'postgres', configFile] : [configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    started.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      await waitFor(
        `pgbouncer on 127.0.0.1:${port}`,
        async () => {
          if (started.exitCode !== null) throw new Error(`pgbouncer exited: ${stderr}`);
          const probe = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
          probe.on('error', () => {});
          try {
            await probe.connect();
            await probe.query('SELECT 1');
            return true;
          } finally {
            await probe.end().catch(() => {});
          }
        },
        10_000,
      );
      child = started;
    } catch (err) {
      lastError = new Error(`${(err as Error).message}\n${stderr}\n${existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''}`);
      started.kill('SIGKILL');
    }
  }
  if (child === undefined) {
    rmSync(dir, { recursive: true, force: true });
    throw lastError;
  }
  const running = child;
  let disposed = false;
  const onExit = (): void => {
    if (!disposed) running.kill('SIGKILL');
  };
  process.once('exit', onExit);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    version,
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      process.removeListener('exit', onExit);
      if (running.exitCode === null) {
        const exited = new Promise((resolve) => running.once('exit', resolve));
        running.kill('SIGTERM'); // immediate shutdown: PgBouncer closes its connections and exits
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        if (running.exitCode === null) running.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
