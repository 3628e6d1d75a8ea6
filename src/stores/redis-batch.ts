// redisStore's batch engine (see batcher.ts): a batch of reads is one Lua script that HGETs every
// key, a batch of compare-and-sets one script that checks and writes each key on its own. Redis
// runs a script atomically, so the whole batch is one step for every other client; what it saves
// is the client's per-command work (encoding, one reply each), which is most of a login's CPU.
// Multi-key scripts need all keys in one hash slot, so Redis Cluster clients do not batch.
import type { StoredRecord } from '../lifecycle/store.js';
import type { BatchEngine } from './batcher.js';

/** A Lua script and its SHA-1 (what EVALSHA wants; the tests check the pair). */
export interface RedisScript {
  readonly text: string;
  readonly sha: string;
}

export const READ_MANY: RedisScript = {
  text: `local out = {}
for i = 1, #KEYS do
  out[i] = redis.call('HGET', KEYS[i], 'record')
end
return out`,
  sha: 'c6665ef5b94fda79ea1b520431b634e9acbb94e2',
};

/**
 * ARGV holds three values per key: expected version ('' = must not exist), version, JSON. Every
 * key is read before any is written: an error (a key of the wrong type) then stops the script
 * before it wrote anything, so the batch can be retried call by call (Redis does not roll back a
 * script's earlier writes). PERSIST: a stored record never expires, even if a key had a TTL.
 */
export const CAS_MANY: RedisScript = {
  text: `local current = {}
for i = 1, #KEYS do
  current[i] = redis.call('HGET', KEYS[i], 'version')
end
local out = {}
for i = 1, #KEYS do
  local a = (i - 1) * 3
  local ok
  if ARGV[a + 1] == '' then ok = not current[i] else ok = current[i] == ARGV[a + 1] end
  if ok then
    redis.call('HSET', KEYS[i], 'version', ARGV[a + 2], 'record', ARGV[a + 3])
    redis.call('PERSIST', KEYS[i])
    out[i] = 1
  else
    out[i] = 0
  end
end
return out`,
  sha: 'a66ddd34c3beb809bee85ae4617ca9faaf909cfd',
};

/** Keys per script. Smaller batches let Redis run one script while the client prepares the next (16 callers: 8 beat 4, 16 and 32). */
const MAX_BATCH = 8;

export interface RedisBatchIo {
  /** Runs a script (EVALSHA, falling back to EVAL on NOSCRIPT). */
  script(script: RedisScript, keys: string[], args: string[]): Promise<unknown>;
  /** The arguments of one record's compare-and-set: expected, version, JSON. */
  casArgs(expected: number | null, record: StoredRecord): string[];
  /** A stored record's JSON as returned by the client (string or bytes), parsed. */
  parse(value: unknown): StoredRecord;
}

export function redisBatchEngine(prefix: string, io: RedisBatchIo, errors: Pick<BatchEngine, 'outcome' | 'error'>): BatchEngine {
  return {
    maxBatch: MAX_BATCH,
    outcome: errors.outcome,
    error: errors.error,
    async readMany(ids) {
      const reply = await io.script(READ_MANY, ids.map((id) => prefix + id), []);
      const values = reply as ArrayLike<unknown>;
      const found = new Map<string, () => StoredRecord>();
      for (let i = 0; i < ids.length; i++) {
        const value = values[i];
        if (value !== null && value !== undefined) found.set(ids[i]!, () => io.parse(value));
      }
      return found;
    },
    prepare: (_id, expected, record) => io.casArgs(expected, record),
    async writeMany(writes) {
      const args = writes.flatMap((w) => w.prepared as string[]);
      const reply = (await io.script(CAS_MANY, writes.map((w) => prefix + w.id), args)) as ArrayLike<unknown>;
      const written = new Set<string>();
      for (let i = 0; i < writes.length; i++) {
        const r = reply[i];
        if (r === 1 || r === 1n || r === '1') written.add(writes[i]!.id);
      }
      return written;
    },
  };
}
