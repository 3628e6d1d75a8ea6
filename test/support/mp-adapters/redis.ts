// Harness adapter 'redis': redisStore on ioredis. conn: { url, prefix }.
import { Redis } from 'ioredis';
import { redisStore } from '../../../src/stores/redis.js';
import type { HarnessConnection, OpenedStore } from '../mp-common.js';

export async function open(conn: HarnessConnection): Promise<OpenedStore> {
  const client = new Redis(conn.url!, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  client.on('error', () => {});
  await client.ping();
  return { store: redisStore({ client, prefix: conn.prefix! }), close: async () => void client.disconnect() };
}
