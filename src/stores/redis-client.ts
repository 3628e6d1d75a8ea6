// The Redis clients the store takes (ioredis, node-redis v4+, single node or Cluster), typed
// structurally so `mfakit/redis` depends on neither, and one driver over both APIs.
import { MfaError } from '../errors.js';
import type { RedisScript } from './redis-batch.js';

/**
 * The part of an ioredis client (`Redis` or `Cluster`) that `redisStore` uses.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'; // a named import works under bundler and node16 resolution
 * import type { IORedisLike } from 'mfakit/redis';
 * const client: IORedisLike = new Redis(process.env.REDIS_URL!);
 * ```
 */
export interface IORedisLike {
  evalsha(sha: string, numkeys: number, ...args: string[]): Promise<unknown>;
  eval(script: string, numkeys: number, ...args: string[]): Promise<unknown>;
  hget(key: string, field: string): Promise<unknown>;
  del(key: string): Promise<unknown>;
}

/**
 * The part of a node-redis v4+ client (`createClient()` / `createCluster()`) that
 * `redisStore` uses.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import type { NodeRedisLike } from 'mfakit/redis';
 * const client = createClient({ url: process.env.REDIS_URL });
 * await client.connect();
 * const like: NodeRedisLike = client;
 * ```
 */
export interface NodeRedisLike {
  evalSha(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  hGet(key: string, field: string): Promise<unknown>;
  del(key: string): Promise<unknown>;
}

/** @internal One client API over ioredis and node-redis. */
export interface Driver {
  /** EVALSHA, falling back to EVAL once on NOSCRIPT. */
  script(script: RedisScript, keys: string[], args: string[]): Promise<unknown>;
  get(key: string): Promise<unknown>;
  del(key: string): Promise<unknown>;
  /** A Redis Cluster client: multi-key scripts would cross slots. */
  cluster: boolean;
  /** A Cluster client's master nodes, each able to SCAN its own keys; null for a single node. */
  masters(): { scan(cursor: string, ...args: string[]): Promise<unknown> }[] | null;
}

/** node-redis Cluster masters as SCAN-able clients (`nodeClient(master)` of each `masters` entry). */
function nodeRedisMasters(c: Record<string, unknown>): { scan(cursor: string, ...args: string[]): Promise<unknown> }[] {
  const cluster = c as unknown as { masters: unknown[]; nodeClient(node: unknown): { scan(cursor: string, o: object): Promise<{ cursor: unknown; keys: unknown[] }> } };
  return cluster.masters.map((node) => ({
    async scan(cursor: string, ...args: string[]) {
      const client = await cluster.nodeClient(node);
      const reply = await client.scan(cursor, { MATCH: args[1], COUNT: Number(args[3]) });
      return [reply.cursor, reply.keys];
    },
  }));
}

function isNoScript(err: unknown): boolean {
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message.startsWith('NOSCRIPT');
}

/** @internal The driver of an ioredis or node-redis client; INVALID_OPTION for anything else. */
export function driverFor(client: unknown): Driver {
  const c = client as Record<string, unknown> | null;
  if (c !== null && typeof c === 'object') {
    if (typeof c.evalsha === 'function' && typeof c.eval === 'function' && typeof c.hget === 'function' && typeof c.del === 'function') {
      const io = client as IORedisLike;
      return {
        script: (script, keys, args) =>
          io.evalsha(script.sha, keys.length, ...keys, ...args).catch((err: unknown) => {
            if (isNoScript(err)) return io.eval(script.text, keys.length, ...keys, ...args);
            throw err;
          }),
        get: (key) => io.hget(key, 'record'),
        del: (key) => io.del(key),
        cluster: c.isCluster === true,
        masters: () => (c.isCluster === true ? (c as unknown as { nodes(role: string): never[] }).nodes('master') : null),
      };
    }
    if (typeof c.evalSha === 'function' && typeof c.eval === 'function' && typeof c.hGet === 'function' && typeof c.del === 'function') {
      const nr = client as NodeRedisLike;
      return {
        script: (script, keys, args) =>
          nr.evalSha(script.sha, { keys, arguments: args }).catch((err: unknown) => {
            if (isNoScript(err)) return nr.eval(script.text, { keys, arguments: args });
            throw err;
          }),
        get: (key) => nr.hGet(key, 'record'),
        del: (key) => nr.del(key),
        cluster: 'masters' in c,
        masters: () => ('masters' in c ? nodeRedisMasters(c) : null),
      };
    }
  }
  throw new MfaError('INVALID_OPTION', 'redisStore: client must be an ioredis or node-redis (v4+) client');
}
