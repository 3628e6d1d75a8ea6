// redisStore on a Redis Cluster (3 masters, 1 replica each, started by test/support/redis-cluster.ts)
// through an ioredis `Cluster` and a node-redis `createCluster` client: the conformance suite, the
// cross-process races, keys spread over every master, and a manual failover (`CLUSTER FAILOVER` on
// a replica) in the middle of a stream of compare-and-sets that loses no acknowledged write.
// A record is one hash key, so it never spans slots; batching is off for Cluster clients.
import { Cluster } from 'ioredis';
import { createCluster } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { isMfaError } from '../../src/errors.js';
import { redisStore } from '../../src/stores/redis.js';
import { runStoreConformance } from '../../src/testing/index.js';
import type { HarnessTarget } from '../support/multiprocess.js';
import { raceSameRecoveryCode, raceSameTotpCode } from '../support/race-checks.js';
import { redisClusterAvailability, startRedisCluster } from '../support/redis-cluster.js';
import { skipUnless, uniqueSuffix } from '../support/services.js';
import { storeGroupsOnly } from '../support/store-groups.js';

const skip = skipUnless('Redis Cluster tests of redisStore', redisClusterAvailability());
const cluster = skip ? null : await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
const startupNodes = cluster ? cluster.nodes.slice(0, 3).map(({ host, port }) => ({ host, port })) : [];
const io = cluster ? new Cluster(startupNodes, { scaleReads: 'master', redisOptions: { maxRetriesPerRequest: 2 } }) : null;
io?.on('error', () => {});
if (io) await new Promise((resolve) => io.once('ready', resolve));
const nr = cluster ? createCluster({ rootNodes: startupNodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })) }) : null;
nr?.on('error', () => {});
await nr?.connect();

afterAll(async () => {
  io?.disconnect();
  await nr?.close().catch(() => {});
  await cluster?.dispose();
});

const freshPrefix = (): string => `mfa_c_${uniqueSuffix()}:`;

/** Master ports and the replicas of each, as the cluster reports them now. */
async function topology(): Promise<{ master: number; replicas: number[] }[]> {
  const out = await cluster!.cli(cluster!.nodes[0]!.port, 'CLUSTER', 'NODES');
  const lines = out.trim().split('\n').map((line) => line.split(' '));
  const port = (address: string): number => Number(address.split('@')[0]!.split(':')[1]);
  // A master that owns no slot (fields after the 8th are its slot ranges) is one a failover has just
  // demoted, still flagged master in this node's gossip view: not a shard.
  const masters = lines.filter((f) => f[2]!.includes('master') && !f[2]!.includes('fail') && f.length > 8);
  return masters.map((m) => ({
    master: port(m[1]!),
    replicas: lines.filter((f) => f[3] === m[0] && !f[2]!.includes('fail')).map((f) => port(f[1]!)),
  }));
}

describe.skipIf(skip)('redisStore on a Redis Cluster (3 masters + 3 replicas)', () => {
  runStoreConformance('redisStore (ioredis Cluster)', () => ({ store: redisStore({ client: io!, prefix: freshPrefix() }) }));
  runStoreConformance(
    'redisStore (node-redis createCluster)',
    () => ({ store: redisStore({ client: nr!, prefix: freshPrefix() }) }),
    storeGroupsOnly('redisStore (ioredis Cluster)'),
  );

  it('records spread over every master (one key per record, hashed on the whole key)', async () => {
    const prefix = freshPrefix();
    const store = redisStore({ client: io!, prefix });
    for (let i = 0; i < 60; i++) expect(await store.compareAndSet(`user-${i}`, null, { version: 1, i })).toBe(true);
    const perMaster: number[] = [];
    for (const { master } of await topology()) {
      // Records only: the list index (`${prefix}\0ids`) is one more key under the prefix.
      const keys = (await cluster!.cli(master, '--scan', '--pattern', `${prefix}user-*`)).trim().split('\n').filter(Boolean);
      perMaster.push(keys.length);
    }
    expect(perMaster).toHaveLength(3);
    expect(perMaster.reduce((a, b) => a + b, 0)).toBe(60);
    for (const n of perMaster) expect(n).toBeGreaterThan(0);
  });

  it('migrate() indexes records written before the index, SCANning every master (ioredis and node-redis)', async () => {
    for (const client of [io!, nr!]) {
      const prefix = freshPrefix();
      const store = redisStore({ client, prefix });
      const ids = Array.from({ length: 40 }, (_, i) => `user-${String(i).padStart(2, '0')}`);
      for (const id of ids) await store.compareAndSet(id, null, { version: 1 });
      await io!.del(`${prefix}\u0000ids`); // as an earlier version left them: no index
      expect((await store.list({ limit: 100 })).entries).toEqual([]);
      await store.migrate();
      const page = await store.list({ limit: 100 });
      expect(page.entries.map((e) => e.id)).toEqual(ids);
      expect(page.next).toBeNull();
    }
  });

  it('a Cluster client does not batch (multi-key scripts would cross slots): 64 racing writes on 64 keys all succeed', async () => {
    const store = redisStore({ client: io!, prefix: freshPrefix() });
    const results = await Promise.all(Array.from({ length: 64 }, (_, i) => store.compareAndSet(`k${i}`, null, { version: 1 })));
    expect(results.every(Boolean)).toBe(true);
  });

  const target = (): HarnessTarget => ({
    adapter: 'redis-cluster',
    conn: { nodes: startupNodes.map(({ host, port }) => `${host}:${port}`).join(','), prefix: freshPrefix() },
  });

  it('8 processes verify the same TOTP code at once through the cluster: exactly one success', async () => {
    await raceSameTotpCode(target(), `rc-race-totp-${uniqueSuffix()}`);
  }, 180_000);

  it('8 processes spend the same recovery code at once through the cluster: exactly one success', async () => {
    await raceSameRecoveryCode(target(), `rc-race-rc-${uniqueSuffix()}`);
  }, 180_000);

  it('CLUSTER FAILOVER on a replica mid-run: no acknowledged compare-and-set is lost', async () => {
    const store = redisStore({ client: io!, prefix: freshPrefix() });
    const ids = Array.from({ length: 24 }, (_, i) => `counter-${i}`);
    for (const id of ids) expect(await store.compareAndSet(id, null, { version: 1, count: 0 })).toBe(true);
    const acked = new Map(ids.map((id) => [id, 0]));
    const unknown = new Map(ids.map((id) => [id, 0]));
    let stop = false;
    let errors = 0;
    // Writers: read-modify-write increments; an increment counts once its compare-and-set said true.
    const writers = ids.map(async (id) => {
      while (!stop) {
        try {
          const current = (await store.get(id)) as { version: number; count: number };
          const ok = await store.compareAndSet(id, current.version, { version: current.version + 1, count: current.count + 1 });
          if (ok) acked.set(id, acked.get(id)! + 1);
        } catch (err) {
          // The outcome of a call that threw is unknown (it may have been applied).
          expect(isMfaError(err, 'STORE_UNAVAILABLE')).toBe(true);
          unknown.set(id, unknown.get(id)! + 1);
          errors++;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = await topology();
    const shard = before.find((s) => s.replicas.length > 0)!;
    const replica = shard.replicas[0]!;
    expect((await cluster!.cli(replica, 'CLUSTER', 'FAILOVER')).trim()).toBe('OK');
    await expect
      .poll(async () => (await topology()).some((s) => s.master === replica), { timeout: 15_000, interval: 100 })
      .toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500)); // writes keep going on the new master
    stop = true;
    await Promise.all(writers);
    const after = await topology();
    expect(after.map((s) => s.master)).toContain(replica);
    expect(after.map((s) => s.master)).not.toContain(shard.master);
    let total = 0;
    for (const id of ids) {
      const { count, version } = (await store.get(id)) as { version: number; count: number };
      expect(count).toBeGreaterThanOrEqual(acked.get(id)!);
      expect(count).toBeLessThanOrEqual(acked.get(id)! + unknown.get(id)!);
      expect(version).toBe(count + 1);
      total += acked.get(id)!;
    }
    console.info('redis cluster failover:', JSON.stringify({ keys: ids.length, acknowledged: total, errors, promoted: replica, demoted: shard.master }));
    expect(total).toBeGreaterThan(ids.length); // the run really wrote, before and after the failover
  }, 60_000);
});
