// `mfakit/redis`: the Redis store (one hash per record, compare-and-set in a Lua script). The
// client shapes and the driver over ioredis and node-redis live in redis-client.ts.
import { MfaError } from '../errors.js';
import type { MfaLookupStore, StoreListOptions, StoreListPage, StoredRecord } from '../lifecycle/store.js';
import { driverFor, type IORedisLike, type NodeRedisLike } from './redis-client.js';
import { redisLookup } from './redis-lookup.js';
import { batcher, type BatchOutcome, type SingleOps } from './batcher.js';
import { redisBatchEngine, type RedisScript } from './redis-batch.js';
import { redisIndex } from './redis-list.js';
import { checkStoreId, invalidStoreId, isStorableId } from './store-id.js';
import { utf8Decode } from '../_internal/utf8.js';
import { invalidStoredRecord, storeUnavailable } from './store-error.js';

export type { IORedisLike, NodeRedisLike } from './redis-client.js';

/**
 * Options of {@link redisStore}.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'; // a named import works under bundler and node16 resolution
 * import { redisStore, type RedisStoreOptions } from 'mfakit/redis';
 * const options: RedisStoreOptions = { client: new Redis(), prefix: 'acme:mfa:' };
 * const store = redisStore(options);
 * ```
 */
export interface RedisStoreOptions {
  /** A connected ioredis or node-redis (v4+) client; the kind is detected from its methods. */
  readonly client: IORedisLike | NodeRedisLike;
  /**
   * Key prefix; a record lives in the hash `${prefix}${id}`. Default `'mfa:'`. At most 256
   * characters of well-formed Unicode without control characters, spaces or `{`/`}` (a hash tag in
   * the prefix would put every record of a Redis Cluster in one slot); anything else throws
   * `INVALID_OPTION`.
   */
  readonly prefix?: string;
  /**
   * Batch the reads and compare-and-sets started in the same event-loop turn into one Lua script
   * each (many logins at once then cost the client one command per batch, not one per call). Each
   * compare-and-set in a batch is still checked on its own. Default: on, except for a Redis
   * Cluster client (ioredis `Cluster`, node-redis `createCluster`), whose keys live in different
   * slots; `batch: true` with a Cluster client throws `INVALID_OPTION` (a multi-key script would
   * fail with `CROSSSLOT`).
   */
  readonly batch?: boolean;
}

/**
 * The store returned by {@link redisStore}: an {@link MfaLookupStore} plus the prefix it writes
 * under, `list` and `migrate()` (which indexes records written before `list` existed).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { redisStore, type RedisStore } from 'mfakit/redis';
 * const store: RedisStore = redisStore({ client: new Redis(), prefix: 'acme:mfa:' });
 * console.log(store.prefix); // 'acme:mfa:'
 * ```
 */
export interface RedisStore extends MfaLookupStore {
  /** The validated key prefix: a record lives in the hash `${prefix}${id}`. */
  readonly prefix: string;
  /**
   * A page of ids in code point order with their records (see `MfaStore.list`), from the
   * sorted set `${prefix}\u0000ids` the store keeps next to the records: one script for the ids and
   * one for the records (on a Cluster, one read per record, in parallel).
   */
  list(options: StoreListOptions): Promise<StoreListPage>;
  /**
   * Adds the ids of records written by versions before the index to it (SCAN over the prefix, on
   * every master of a Cluster). Idempotent and safe while the store is in use; run it once after
   * upgrading, before relying on `list`.
   */
  migrate(): Promise<void>;
}

// Printable, no whitespace and no braces (a hash tag would pin every key to one cluster slot).
const PREFIX = /^[^\s{}\p{Cc}]{0,256}$/u;

function checkPrefix(prefix: unknown): string {
  if (typeof prefix !== 'string' || !PREFIX.test(prefix) || !isStorableId(prefix)) {
    throw new MfaError(
      'INVALID_OPTION',
      'redisStore: prefix must be at most 256 characters of well-formed Unicode without spaces, control characters or { }',
    );
  }
  return prefix;
}

/**
 * Compare-and-set in one atomic round trip. KEYS[1] the record hash; ARGV: expected version ('' =
 * must not exist), new version, record JSON. Returns 1 if written. Records never expire: PERSIST
 * clears a TTL someone set on the key (or that earlier versions set on pending enrolments).
 */
const CAS_SCRIPT = `local current = redis.call('HGET', KEYS[1], 'version')
if ARGV[1] == '' then
  if current then return 0 end
elseif current ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'record', ARGV[3])
redis.call('PERSIST', KEYS[1])
return 1`;

/**
 * SHA-1 of CAS_SCRIPT, what EVALSHA wants (hard-coded: no hash code in this bundle). Edit the
 * script and this must change: the redis tests fail if EVALSHA keeps missing and falling back.
 */
const CAS: RedisScript = { text: CAS_SCRIPT, sha: '7fc8dba81d6202cd06e9f8e844e1d398ca54a0c0' };

/**
 * What a failed batch script means. An error answer from Redis starts with an upper-case error
 * code (`WRONGTYPE …`, `ERR …`, `OOM …`), which both clients keep as the message; the batch scripts
 * read every key before writing any, so such an error wrote nothing and the batch is retried call
 * by call. Anything else (connection closed, timeout) leaves the outcome unknown.
 */
function batchOutcome(cause: unknown): BatchOutcome {
  const message = (cause as { message?: unknown } | null)?.message;
  return typeof message === 'string' && /^[A-Z][A-Z0-9_]*(?: |$)/.test(message) ? 'refused' : 'unknown';
}


/**
 * An {@link MfaLookupStore} in Redis, for ioredis and node-redis v4+ (detected from the client's
 * methods). Each record is a hash `${prefix}${id}` with fields `version` and `record` (JSON).
 * Compare-and-set is one Lua script (`EVALSHA`, falling back to `EVAL` once on `NOSCRIPT`): one
 * round trip, atomic, single key. Calls started in the same event-loop turn are batched into one
 * multi-key script per 8 keys, each key still checked on its own (`batch`, on by default except
 * for Cluster clients).
 *
 * - Redis Cluster: pass an ioredis `Cluster` (or node-redis `createCluster`) client. A record is
 *   one key, so it never spans slots; ids spread over the slots by their whole key (an id holding
 *   `{tag}` is hashed on `tag`, still one key). Batching is off for Cluster clients.
 *
 * - "Committed" in Redis means applied in memory. For codes to stay spent across a Redis restart,
 *   run Redis with `appendonly yes` and `appendfsync always` (or accept the replay window your
 *   persistence leaves).
 * - Engine errors reject with `MfaError` code `STORE_UNAVAILABLE` and the client's error as
 *   `cause`. Clients queue commands while disconnected by default, so a down server means a
 *   hang, not an error: prefer ioredis `{ enableOfflineQueue: false, maxRetriesPerRequest: 1 }` /
 *   node-redis `{ disableOfflineQueue: true }`.
 *
 * - `list` pages along a sorted set of ids, `${prefix}\u0000ids`, that creates and deletes keep
 *   (see docs/admin-listing-and-key-rotation.md); after upgrading, run `store.migrate()` once to
 *   index records written before it.
 * - Records never expire (each write clears any TTL on the key). Expiry of unconfirmed enrolments
 *   is a lifecycle rule, the same on every store; the former `pendingTtlSeconds` option is refused.
 * - A batch Redis refuses (e.g. `WRONGTYPE` for a key under the prefix that is not a hash) is
 *   retried call by call, so only the call on that key fails.
 * - An id must be well-formed Unicode without U+0000 (`MfaError` `INVALID_INPUT` otherwise): the
 *   client would turn a lone surrogate into U+FFFD, the key of someone else.
 *
 * - Errors are labelled `redisStore.<operation>: …` (`redisStore.get: store unavailable`), like
 *   every built-in store's.
 *
 * @param options `client`, optional `prefix` (default `'mfa:'`) and `batch`.
 * @throws MfaError `INVALID_OPTION` for an unrecognised client, an invalid prefix, `batch: true`
 *   with a Cluster client or the removed `pendingTtlSeconds`.
 *
 * @example With ioredis
 * ```ts
 * import { Redis } from 'ioredis'; // a named import works under bundler and node16 resolution
 * import { createMfa } from 'mfakit';
 * import { redisStore } from 'mfakit/redis';
 *
 * const client = new Redis(process.env.REDIS_URL!, { enableOfflineQueue: false });
 * const store = redisStore({ client, prefix: 'mfa:' });
 * const mfa = createMfa({ store, issuer: 'Acme' });
 * ```
 *
 * @example With node-redis
 * ```ts
 * import { createClient } from 'redis';
 * import { redisStore } from 'mfakit/redis';
 *
 * const client = createClient({ url: process.env.REDIS_URL, disableOfflineQueue: true });
 * await client.connect();
 * const store = redisStore({ client });
 * ```
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  const driver = driverFor(options.client);
  const prefix = checkPrefix(options.prefix ?? 'mfa:');
  const batch = options.batch ?? !driver.cluster;
  if (typeof batch !== 'boolean') throw new MfaError('INVALID_OPTION', 'redisStore: batch must be a boolean');
  if (batch && driver.cluster) {
    throw new MfaError('INVALID_OPTION', 'redisStore: batch is not supported with a Redis Cluster client (keys live in different slots)');
  }
  if ((options as { pendingTtlSeconds?: unknown }).pendingTtlSeconds !== undefined) {
    // It expired the whole hash (policy, counters, API passwords with it) and made the store read
    // record contents. Refused rather than ignored, so an upgrade does not change behaviour silently.
    throw new MfaError(
      'INVALID_OPTION',
      'redisStore: pendingTtlSeconds was removed; unconfirmed enrolments expire through the lifecycle (createMfa pendingTtl) on every store',
    );
  }
  const parse = (value: unknown): StoredRecord => {
    const text = typeof value === 'string' ? value : (utf8Decode(value as Uint8Array) ?? '');
    try {
      return JSON.parse(text) as StoredRecord;
    } catch (err) {
      throw invalidStoredRecord('redisStore', 'get', err);
    }
  };
  const casArgs = (expectedVersion: number | null, record: StoredRecord): string[] => [
    expectedVersion === null ? '' : String(expectedVersion),
    String(record.version),
    JSON.stringify(record),
  ];

  const single: SingleOps = {
    async get(id) {
      let value: unknown;
      try {
        value = await driver.get(prefix + id);
      } catch (err) {
        throw storeUnavailable('redisStore', 'get', err);
      }
      return value === null || value === undefined ? null : parse(value);
    },
    async compareAndSet(id, expectedVersion, record) {
      const args = casArgs(expectedVersion, record);
      let reply: unknown;
      try {
        reply = await driver.script(CAS, [prefix + id], args);
      } catch (err) {
        throw storeUnavailable('redisStore', 'compareAndSet', err);
      }
      return reply === 1 || reply === 1n || reply === '1';
    },
  };
  const index = redisLookup(prefix, driver.script, single.get);
  /** A record with `lookupKeys` writes its index entries too (never batched: see redis-lookup.ts). */
  async function indexedCompareAndSet(id: string, expectedVersion: number | null, record: StoredRecord): Promise<boolean> {
    const args = casArgs(expectedVersion, record);
    try {
      return await index.compareAndSet(id, args, record);
    } catch (err) {
      throw storeUnavailable('redisStore', 'compareAndSet', err);
    }
  }
  const listIndex = redisIndex(prefix, { ...driver, parse }, (operation, err) => storeUnavailable('redisStore', operation, err));
  const ops = batch
      ? batcher(
          single,
          redisBatchEngine(
            prefix,
            { script: driver.script, casArgs, parse },
            { outcome: batchOutcome, error: (operation, err) => storeUnavailable('redisStore', operation, err) },
          ),
        )
      : single;

  return {
    prefix,
    // Checked before the call joins a batch (and without an extra async frame on the hot path).
    get: (id) => (isStorableId(id) ? ops.get(id) : Promise.reject(invalidStoreId('redisStore.get'))),
    compareAndSet: (id, expectedVersion, record) => {
      if (!isStorableId(id)) return Promise.reject(invalidStoreId('redisStore.compareAndSet'));
      const write = (): Promise<boolean> =>
        index.handles(record) ? indexedCompareAndSet(id, expectedVersion, record) : ops.compareAndSet(id, expectedVersion, record);
      // A create also enters the id into the list index (see redis-list.ts).
      return expectedVersion === null ? listIndex.create(id, write) : write();
    },
    async delete(id) {
      checkStoreId('redisStore.delete', id);
      try {
        await listIndex.remove(id); // first: see redis-list.ts
        await index.delete(id);
      } catch (err) {
        throw storeUnavailable('redisStore', 'delete', err);
      }
    },
    list: listIndex.list,
    migrate: listIndex.backfill,
    async lookup(key) {
      if (!isStorableId(key)) return null;
      try {
        return await index.lookup(key);
      } catch (err) {
        throw err instanceof MfaError ? err : storeUnavailable('redisStore', 'lookup', err);
      }
    },
  };
}
