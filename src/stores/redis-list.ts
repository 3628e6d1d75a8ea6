// redisStore's `list`: an index of ids in one sorted set, `${prefix}\0ids` (no record key can have
// that name: ids never hold U+0000), every member at score 0, so ZRANGEBYLEX pages through it in
// byte order — the UTF-8 bytes of the ids, which is code point order. SCAN would not do: it has no
// order, so no keyset cursor, and may return a key twice.
//
// The index is written next to the record, not in the same script: in a Redis Cluster the record
// key and the index key live in different slots (a hash tag putting them together would put every
// record in one slot), so one script cannot write both. Instead the order of the steps keeps the
// invariant "every record's id is in the index":
// - a create adds the id, then compare-and-sets the record, then (if it wrote) adds the id again;
// - a delete removes the id, then deletes the record.
// A removal can then only leave out a record that a delete removes right after it; the second add
// repairs the one interleaving (delete's removal between a create's add and its write) where a
// created record could miss its entry. What is left is an entry whose record is gone (a crash
// between the steps, or a delete racing a create): `list` skips it. Reads per page: one script for
// the ids, one for the records (one read per record in parallel on a Cluster, whose keys cross slots).
import type { StoreListOptions, StoreListPage, StoredRecord } from '../lifecycle/store.js';
import { listOptions } from '../_internal/list-page.js';
import { utf8Decode } from '../_internal/utf8.js';
import { READ_MANY, type RedisScript } from './redis-batch.js';

/** ZADD of the ids in ARGV (one call per event-loop turn's creates). */
export const INDEX_ADD: RedisScript = {
  text: `for i = 1, #ARGV do redis.call('ZADD', KEYS[1], 0, ARGV[i]) end
return #ARGV`,
  sha: '5140f59a7bb29413c83b0749cfc85e57e2b53023',
};
/** ZREM of one id. */
export const INDEX_REMOVE: RedisScript = { text: `return redis.call('ZREM', KEYS[1], ARGV[1])`, sha: '1e47337cf850e18b1d7c020b36c73226b97592de' };
/** ARGV: exclusive lower bound (`(id` or `-`), count. */
export const INDEX_PAGE: RedisScript = {
  text: `return redis.call('ZRANGEBYLEX', KEYS[1], ARGV[1], '+', 'LIMIT', 0, tonumber(ARGV[2]))`,
  sha: '1b9efe6f66512e7246b726114a1aaf0648829e1d',
};
/**
 * One SCAN step over this node's keys under the prefix (ARGV: cursor, MATCH pattern, prefix length),
 * adding the id of every record hash to the index; returns the next cursor. For records written
 * before the index existed (standalone Redis: every key is on this node).
 */
export const INDEX_BACKFILL: RedisScript = {
  text: `local r = redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', 500)
for _, key in ipairs(r[2]) do
  if key ~= KEYS[1] and redis.call('TYPE', key).ok == 'hash' and redis.call('HEXISTS', key, 'record') == 1 then
    redis.call('ZADD', KEYS[1], 0, string.sub(key, tonumber(ARGV[3]) + 1))
  end
end
return r[1]`,
  sha: '765115bb2f06d92624c8716a27288f1a11f5b36c',
};

/** What the index needs from the store's driver. */
export interface IndexIo {
  script(script: RedisScript, keys: string[], args: string[]): Promise<unknown>;
  get(key: string): Promise<unknown>;
  parse(value: unknown): StoredRecord;
  cluster: boolean;
  /** Master nodes of a Cluster client, each able to SCAN its own keys (ioredis `nodes('master')`). */
  masters(): { scan(cursor: string, ...args: string[]): Promise<unknown> }[] | null;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : (utf8Decode(value as Uint8Array) ?? ''));

/** A glob pattern matching exactly the keys that start with `prefix`. */
function matchPrefix(prefix: string): string {
  return `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
}

/** The index of one store: `add`/`remove` around writes, `list`, and `backfill` for old records. */
export function redisIndex(prefix: string, io: IndexIo, fail: (operation: string, err: unknown) => Error) {
  const key = `${prefix}\u0000ids`;
  let pending: { ids: string[]; done: Promise<unknown> } | null = null;
  /** Adds `id`; the adds of one turn share one script. */
  function add(id: string): Promise<unknown> {
    if (pending === null) {
      const batch: { ids: string[]; done: Promise<unknown> } = { ids: [], done: Promise.resolve() };
      batch.done = Promise.resolve().then(() => {
        pending = null;
        return io.script(INDEX_ADD, [key], batch.ids);
      });
      pending = batch;
    }
    pending.ids.push(id);
    return pending.done;
  }

  return {
    key,
    /** Runs a create with the index steps around it (see the file header). */
    async create(id: string, write: () => Promise<boolean>): Promise<boolean> {
      try {
        await add(id);
      } catch (err) {
        throw fail('compareAndSet', err);
      }
      const written = await write();
      if (written) {
        try {
          await add(id);
        } catch (err) {
          throw fail('compareAndSet', err);
        }
      }
      return written;
    },
    async remove(id: string): Promise<void> {
      await io.script(INDEX_REMOVE, [key], [id]);
    },
    async list(options: StoreListOptions): Promise<StoreListPage> {
      const o = listOptions('redisStore.list', options);
      let ids: string[];
      let values: ArrayLike<unknown>;
      try {
        const reply = (await io.script(INDEX_PAGE, [key], [o.after === null ? '-' : `(${o.after}`, String(o.limit + 1)])) as unknown[];
        ids = reply.map(text);
        const page = ids.slice(0, o.limit);
        const keys = page.map((id) => prefix + id);
        values =
          keys.length === 0 ? [] : io.cluster ? await Promise.all(keys.map((k) => io.get(k))) : ((await io.script(READ_MANY, keys, [])) as ArrayLike<unknown>);
      } catch (err) {
        throw fail('list', err);
      }
      const entries: { id: string; record: StoredRecord }[] = [];
      const n = Math.min(ids.length, o.limit);
      for (let i = 0; i < n; i++) {
        const value = values[i];
        // An entry whose record is gone (see the file header) is skipped.
        if (value !== null && value !== undefined) entries.push({ id: ids[i]!, record: io.parse(value) });
      }
      return { entries, next: ids.length > o.limit ? ids[o.limit - 1]! : null };
    },
    /** Indexes the records written before the index existed. Idempotent; safe while the store is in use. */
    async backfill(): Promise<void> {
      const pattern = matchPrefix(prefix);
      try {
        const masters = io.masters();
        if (masters === null) {
          let cursor = '0';
          do cursor = text(await io.script(INDEX_BACKFILL, [key], [cursor, pattern, String(prefix.length)]));
          while (cursor !== '0');
          return;
        }
        // A Cluster: SCAN each master; the ids go to the index through the cluster client. A record
        // deleted between the SCAN and the add leaves an entry `list` skips.
        for (const node of masters) {
          let cursor = '0';
          do {
            const [next, keys] = (await node.scan(cursor, 'MATCH', pattern, 'COUNT', '500')) as [unknown, unknown[]];
            cursor = text(next);
            const ids = keys.map(text).filter((k) => k !== key).map((k) => k.slice(prefix.length));
            if (ids.length > 0) await io.script(INDEX_ADD, [key], ids);
          } while (cursor !== '0');
        }
      } catch (err) {
        throw fail('migrate', err);
      }
    },
  };
}
