// The lookup index of redisStore (see MfaLookupStore): one hash `${prefix}\0lookup` mapping each
// lookup key to the id of its record. A record key is `${prefix}${id}` and no id holds U+0000, so
// the index key can never be a record's. Redis Cluster cannot write two slots in one script, so
// the index is written beside the record, in this order: new keys before the record's
// compare-and-set, keys the write dropped after it. What makes that safe is that `lookup` answers
// an id only when that record, read after the index, lists the key itself: the record is the truth
// and the index only says where to look. A key a write removed therefore stops resolving the moment
// the record write commits, on a single node and on a Cluster alike; an index entry left behind by
// a crash between two steps points at a record that does not list it and resolves nothing.
import { lookupKeysOf, type StoredRecord } from '../lifecycle/store.js';
import type { RedisScript } from './redis-batch.js';

/**
 * Compare-and-set that also keeps the record's lookup keys in the hash field `lookup` (ARGV[4], a
 * JSON array) and answers the previous one: `'w' .. previous` when it wrote, 0 when it lost.
 */
export const CAS_LOOKUP: RedisScript = {
  text: `local current = redis.call('HGET', KEYS[1], 'version')
if ARGV[1] == '' then
  if current then return 0 end
elseif current ~= ARGV[1] then
  return 0
end
local previous = redis.call('HGET', KEYS[1], 'lookup')
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'record', ARGV[3], 'lookup', ARGV[4])
redis.call('PERSIST', KEYS[1])
return 'w' .. (previous or '')`,
  sha: '0fc924def8cbfdaed919a8c04beef5b2bc486050',
};

/** Deletes a record and answers its `lookup` field ('' when none). */
export const DELETE_LOOKUP: RedisScript = {
  text: `local previous = redis.call('HGET', KEYS[1], 'lookup')
redis.call('DEL', KEYS[1])
return previous or ''`,
  sha: '769fdcf6d27a2b0589681b8664a80e1210cf83d3',
};

/** KEYS[1] the index; ARGV[1] the id, ARGV[2..] keys to point at it. */
export const INDEX_ADD: RedisScript = {
  text: `for i = 2, #ARGV do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[1])
end
return 1`,
  sha: '6f420f074fce784887baf3c8c59561d73ca488fd',
};

/** KEYS[1] the index; ARGV[1] the id, ARGV[2..] keys to drop if they still point at it. */
export const INDEX_DROP: RedisScript = {
  text: `for i = 2, #ARGV do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[1] then redis.call('HDEL', KEYS[1], ARGV[i]) end
end
return 1`,
  sha: 'c48051f36092b185cb2f2c16f87b5473d151f74d',
};

/** KEYS[1] the index; ARGV[1] a key: the id it points at, or false. */
export const INDEX_GET: RedisScript = {
  text: `return redis.call('HGET', KEYS[1], ARGV[1])`,
  sha: '4688a0f6e1e971a14e2d596031751f0590d37a92',
};

type Script = (script: RedisScript, keys: string[], args: string[]) => Promise<unknown>;

/** The lookup part of redisStore over its script runner and its single-record reader. */
export function redisLookup(prefix: string, script: Script, read: (id: string) => Promise<StoredRecord | null>) {
  const index = `${prefix}\u0000lookup`;
  const textOf = (reply: unknown): string =>
    typeof reply === 'string' ? reply : reply instanceof Uint8Array ? new TextDecoder().decode(reply) : '';
  const keysOfField = (field: string): string[] => {
    try {
      return lookupKeysOf({ version: 0, lookupKeys: JSON.parse(field) as unknown });
    } catch {
      return [];
    }
  };
  const drop = async (id: string, keys: readonly string[]): Promise<void> => {
    if (keys.length > 0) await script(INDEX_DROP, [index], [id, ...keys]);
  };
  return {
    /** Whether a write goes through {@link compareAndSet} here: the record carries `lookupKeys`. */
    handles: (record: StoredRecord): boolean => record?.lookupKeys !== undefined,

    async compareAndSet(id: string, casArgs: string[], record: StoredRecord): Promise<boolean> {
      const keys = lookupKeysOf(record);
      if (keys.length > 0) await script(INDEX_ADD, [index], [id, ...keys]);
      const reply = textOf(await script(CAS_LOOKUP, [prefix + id], [...casArgs, JSON.stringify(keys)]));
      if (!reply.startsWith('w')) return false;
      await drop(id, keysOfField(reply.slice(1)).filter((k) => !keys.includes(k)));
      return true;
    },

    async delete(id: string): Promise<void> {
      await drop(id, keysOfField(textOf(await script(DELETE_LOOKUP, [prefix + id], []))));
    },

    async lookup(key: string): Promise<string | null> {
      const id = textOf(await script(INDEX_GET, [index], [key]));
      if (id === '') return null;
      // The record, read after the index, decides: it must list the key itself.
      const record = await read(id);
      return record !== null && lookupKeysOf(record).includes(key) ? id : null;
    },
  };
}
