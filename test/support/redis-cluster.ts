// A throwaway Redis Cluster for tests: `masters` masters with `replicasPerMaster` replicas each
// (`redis-server --cluster-enabled yes`), every node on its own free loopback port (and cluster bus
// port, `cluster-port`), no persistence, a temp dir per node; created with
// `redis-cli --cluster create … --cluster-replicas N --cluster-yes` and ready once every node
// reports `cluster_state:ok`. `dispose()` kills the nodes and removes the dir.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Availability } from './services.js';
import { freePort, waitFor } from './services.js';

const execFileAsync = promisify(execFile);

export interface ClusterNode {
  readonly host: '127.0.0.1';
  readonly port: number;
}

export interface RedisCluster {
  /** Every node (masters and replicas) as created; roles change after a failover. */
  readonly nodes: readonly ClusterNode[];
  /** Runs a command on one node through redis-cli; resolves its text output. */
  cli(port: number, ...args: string[]): Promise<string>;
  /** Kills every node and removes the directory. Safe to call twice. */
  dispose(): Promise<void>;
}

export interface StartRedisClusterOptions {
  /** Default 3 (the smallest cluster `redis-cli --cluster create` accepts). */
  readonly masters?: number;
  /** Default 1. */
  readonly replicasPerMaster?: number;
}

function binaries(): { server: string; cli: string } | null {
  const server = process.env.MFAKIT_REDIS_SERVER ?? 'redis-server';
  const cli = process.env.MFAKIT_REDIS_CLI ?? 'redis-cli';
  const ok = (bin: string): boolean => spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0;
  return ok(server) && ok(cli) ? { server, cli } : null;
}

/** Whether Redis Cluster tests can run here (redis-server and redis-cli installed). */
export function redisClusterAvailability(): Availability {
  return binaries() === null
    ? { available: false, reason: '`redis-server` / `redis-cli` not found on PATH; install the Debian package `redis-server`' }
    : { available: true };
}

/** Starts the nodes, creates the cluster and waits until it serves every slot. */
export async function startRedisCluster(options: StartRedisClusterOptions = {}): Promise<RedisCluster> {
  const bins = binaries();
  if (bins === null) throw new Error('redis-server / redis-cli not found');
  const masters = options.masters ?? 3;
  const replicas = options.replicasPerMaster ?? 1;
  const dir = mkdtempSync(join(tmpdir(), 'mfakit-redis-cluster-'));
  const children: ChildProcess[] = [];
  const nodes: ClusterNode[] = [];
  let disposed = false;

  const cli = async (port: number, ...args: string[]): Promise<string> =>
    (await execFileAsync(bins.cli, ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8' })).stdout;

  const killAll = async (): Promise<void> => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
  };
  const onExit = (): void => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const dispose = async (): Promise<void> => {
    if (disposed) return;
    disposed = true;
    process.removeListener('exit', onExit);
    await killAll();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    for (let i = 0; i < masters * (1 + replicas); i++) {
      const nodeDir = join(dir, `node${i}`);
      mkdirSync(nodeDir);
      let started: ChildProcess | undefined;
      for (let attempt = 0; attempt < 4 && started === undefined; attempt++) {
        const port = await freePort();
        const bus = await freePort();
        const child = spawn(
          bins.server,
          [
            '--port', String(port), '--cluster-port', String(bus), '--bind', '127.0.0.1',
            '--cluster-enabled', 'yes', '--cluster-config-file', join(nodeDir, 'nodes.conf'),
            '--cluster-node-timeout', '2000', '--save', '', '--appendonly', 'no',
            '--dir', nodeDir, '--daemonize', 'no', '--loglevel', 'warning',
          ],
          { stdio: ['ignore', 'ignore', 'pipe'] },
        );
        try {
          await waitFor(`redis cluster node on ${port}`, async () => {
            if (child.exitCode !== null) throw new Error('redis-server exited');
            return (await cli(port, 'PING')).trim() === 'PONG';
          }, 10_000);
          started = child;
          children.push(child);
          nodes.push({ host: '127.0.0.1', port });
        } catch {
          child.kill('SIGKILL'); // most likely a port taken between freePort() and bind
        }
      }
      if (started === undefined) throw new Error('could not start a redis cluster node');
    }
    await execFileAsync(
      bins.cli,
      ['--cluster', 'create', ...nodes.map((n) => `${n.host}:${n.port}`), '--cluster-replicas', String(replicas), '--cluster-yes'],
      { encoding: 'utf8' },
    );
    await waitFor(
      'redis cluster_state:ok on every node',
      async () => {
        for (const node of nodes) if (!(await cli(node.port, 'CLUSTER', 'INFO')).includes('cluster_state:ok')) return false;
        return true;
      },
      30_000,
    );
  } catch (err) {
    await dispose();
    throw err;
  }
  return { nodes, cli, dispose };
}
