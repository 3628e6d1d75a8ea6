// Harness adapter 'node-redis': redisStore on node-redis. conn: { url, prefix }.
import { createClient } from 'redis';
import { redisStore } from '../../../src/stores/redis.js';
import type { HarnessConnection, OpenedStore } from '../mp-common.js';

export async function open(conn: HarnessConnection): Promise<OpenedStore> {
  const client = createClient({ url: conn.url!, socket: { reconnectStrategy: () => 50 } });
  client.on('error', () => {});
  await client.connect();
  return {
    store: redisStore({ client, prefix: conn.prefix! }),
    close: async () => void (await client.quit().catch(() => client.destroy())),
  };
}
