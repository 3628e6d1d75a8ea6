// Harness adapter 'redis-cluster': redisStore on an ioredis Cluster client. conn: { nodes, prefix },
// nodes as 'host:port,host:port,…' (any subset of the cluster; the client discovers the rest).
import { Cluster } from 'ioredis';
import { redisStore } from '../../../src/stores/redis.js';
import type { HarnessConnection, OpenedStore } from '../mp-common.js';

export async function open(conn: HarnessConnection): Promise<OpenedStore> {
  const startupNodes = conn.nodes!.split(',').map((hostPort) => {
    const [host, port] = hostPort.split(':');
    return { host: host!, port: Number(port) };
  });
  const client = new Cluster(startupNodes, { scaleReads: 'master', redisOptions: { maxRetriesPerRequest: 1 } });
  client.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve());
    client.once('error', reject);
  });
  return { store: redisStore({ client, prefix: conn.prefix! }), close: async () => void client.disconnect() };
}
