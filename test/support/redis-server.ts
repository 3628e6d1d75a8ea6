// A throwaway redis-server for tests and benchmarks: a free loopback port, no persistence (no RDB
// snapshots, no AOF) unless asked for, a temp working dir; `dispose()` kills it and removes the dir. With
// MFAKIT_REDIS_URL set, that server is used instead (`managed` false: no stop/start).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Availability } from './services.js';
import { freePort, waitFor } from './services.js';

export interface RedisServer {
  /** Connection string (redis://127.0.0.1:port). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** False when MFAKIT_REDIS_URL points at a server we do not control. */
  readonly managed: boolean;
  /** Kills the server (SIGKILL; without persistence everything is lost). Managed only. */
  stop(): Promise<void>;
  /** Starts it again on the same port. Managed only. */
  start(): Promise<void>;
  /** Stops the server and removes its directory. Safe to call twice. */
  dispose(): Promise<void>;
}

function redisBinary(): string | null {
  const bin = process.env.MFAKIT_REDIS_SERVER ?? 'redis-server';
  return spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0 ? bin : null;
}

/** Whether Redis tests can run here (MFAKIT_REDIS_URL set, or redis-server installed). */
export function redisAvailability(): Availability {
  if (process.env.MFAKIT_REDIS_URL) return { available: true };
  return redisBinary() === null
    ? { available: false, reason: '`redis-server` not found on PATH; install the Debian package `redis-server` or set MFAKIT_REDIS_URL' }
    : { available: true };
}

/** Whether the tests can stop/restart the server (false with MFAKIT_REDIS_URL). */
export function redisIsManaged(): boolean {
  return !process.env.MFAKIT_REDIS_URL;
}

/** Sends PING over a raw socket; true on +PONG. */
function ping(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    let data = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('data', (chunk) => {
      data += chunk.toString();
      if (data.includes('\r\n')) done(data.startsWith('+PONG'));
    });
    socket.on('connect', () => socket.write('PING\r\n'));
  });
}

export interface StartRedisOptions {
  /**
   * `'none'` (default): no RDB, no AOF — a killed server comes back empty. `'aof-always'`:
   * `appendonly yes` + `appendfsync always`, so every acknowledged write survives a SIGKILL of
   * the server (what the docs recommend when spent codes must stay spent across restarts).
   */
  readonly persistence?: 'none' | 'aof-always';
}

/** Starts a throwaway redis-server (or uses MFAKIT_REDIS_URL). Pair with `dispose()` in `afterAll`. */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const external = process.env.MFAKIT_REDIS_URL;
  if (external) {
    const u = new URL(external);
    const unmanaged = async (): Promise<void> => {
      throw new Error('MFAKIT_REDIS_URL is set: the tests do not control that server');
    };
    return {
      url: external,
      host: u.hostname,
      port: Number(u.port || 6379),
      managed: false,
      stop: unmanaged,
      start: unmanaged,
      dispose: async () => {},
    };
  }
  const bin = redisBinary();
  if (bin === null) throw new Error('redis-server not found');
  const dir = mkdtempSync(join(tmpdir(), 'mfakit-redis-'));
  let port = 0;
  let child: ChildProcess | null = null;

  const launch = async (): Promise<void> => {
    const proc = spawn(
      bin,
      [
        '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--daemonize', 'no', '--loglevel', 'warning',
        ...(options.persistence === 'aof-always' ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let exited = false;
    proc.on('exit', () => {
      exited = true;
    });
    child = proc;
    try {
      await waitFor(`redis-server on port ${port}`, async () => {
        if (exited) throw new Error('redis-server exited');
        return ping(port);
      });
    } catch (err) {
      proc.kill('SIGKILL');
      child = null;
      throw err;
    }
  };
  const kill = async (): Promise<void> => {
    const proc = child;
    if (proc === null) return;
    child = null;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  };

  let lastError: unknown;
  for (let attempt = 0; attempt < 4 && child === null; attempt++) {
    port = await freePort();
    await launch().catch((err: unknown) => {
      lastError = err;
    });
  }
  if (child === null) throw lastError;

  let disposed = false;
  // If the test process exits without dispose() (crash, Ctrl-C), do not leave a server behind.
  const onExit = (): void => {
    if (disposed) return;
    (child as ChildProcess | null)?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  return {
    get url() {
      return `redis://127.0.0.1:${port}`;
    },
    host: '127.0.0.1',
    get port() {
      return port;
    },
    managed: true,
    stop: kill,
    start: launch,
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      process.removeListener('exit', onExit);
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
