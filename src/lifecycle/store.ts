import { MfaError } from '../errors.js';

/**
 * What a store keeps under one id: a plain JSON object with a `version` number. Stores treat it
 * as opaque data; the lifecycle validates its shape when it reads it.
 */
export interface StoredRecord {
  /** Incremented by one on every write; 1 for the first. */
  readonly version: number;
  readonly [field: string]: unknown;
}

/**
 * Storage contract of the MFA lifecycle. A store adds no logic: it fetches, compare-and-sets and
 * deletes JSON records. Every rule lives in the pure transitions, so all stores behave alike and
 * `runStoreConformance` from `mfakit/testing` proves it.
 *
 * Contract:
 * - `compareAndSet(id, expected, record)` writes `record` only if the stored version equals
 *   `expected` (`null`: only if no record exists) and does so atomically. It resolves `true` when it
 *   wrote and `false` when it lost a race; it never overwrites a record it did not expect.
 * - A store never returns `true` unless the write is durable in its engine (committed).
 * - Engine failures reject with {@link MfaError} code `STORE_UNAVAILABLE` and the original `cause`.
 *
 * @example A store in memory (the default)
 * ```ts
 * import { MemoryStore } from 'mfakit';
 * const store = new MemoryStore();
 * await store.compareAndSet('alice', null, { version: 1 }); // true
 * await store.compareAndSet('alice', null, { version: 1 }); // false: it exists already
 * ```
 */
export interface MfaStore {
  get(id: string): Promise<StoredRecord | null>;
  compareAndSet(id: string, expectedVersion: number | null, record: StoredRecord): Promise<boolean>;
  delete(id: string): Promise<void>;
  /**
   * Optional capability: one page of a scan over every id, in Unicode code point order (the byte
   * order of UTF-8), with the records. Keyset pagination: pass the page's `next` as `after` for the
   * following page. An id that exists for the whole scan appears exactly once, whatever is written
   * meanwhile; ids created or deleted during the scan may or may not appear. Every built-in store
   * has it; `runStoreConformance` checks it (group `list`).
   */
  list?(options: StoreListOptions): Promise<StoreListPage>;
}

/** What {@link MfaStore.list} takes: the last id of the previous page (none: from the start) and a page size. */
export interface StoreListOptions {
  /** Only ids after this one (code point order); `null`/absent: from the first id. */
  readonly after?: string | null;
  /** Most entries in the page: an integer from 1 to 1000. */
  readonly limit: number;
}

/** One page of {@link MfaStore.list}. */
export interface StoreListPage {
  /** Ids in ascending code point order, each with its record as `get` would return it. */
  readonly entries: readonly { readonly id: string; readonly record: StoredRecord }[];
  /**
   * Pass as `after` for the next page; `null` when the scan reached the end. A page may hold fewer
   * than `limit` entries (even none) and still have a `next`.
   */
  readonly next: string | null;
}

/**
 * The lookup capability of a store: `lookup(key)` answers the id of the record whose top-level
 * `lookupKeys` field (an array of strings) holds `key`, or null. The store keeps that index with
 * every write and delete, so a key a write removed no longer resolves once the write returned and a
 * deleted record resolves nothing. It is how `verifyApiKey` finds the owner of an API key from the
 * key id alone. Keys are unique: two records must not hold the same key. Every store in mfakit has
 * it (`MemoryStore`, `postgresStore`, `sqliteStore`, `redisStore`); `runStoreConformance` checks it
 * when the store has a `lookup` method.
 *
 * @example
 * ```ts
 * import { MemoryStore } from 'mfakit';
 * const store = new MemoryStore();
 * await store.compareAndSet('alice', null, { version: 1, lookupKeys: ['api:k1'] });
 * await store.lookup('api:k1'); // 'alice'
 * ```
 */
export interface MfaLookupStore extends MfaStore {
  lookup(key: string): Promise<string | null>;
}

/** @internal The lookup keys of a record to store: its `lookupKeys` strings (none when absent or malformed). */
export function lookupKeysOf(record: StoredRecord | null | undefined): string[] {
  const keys = record?.lookupKeys;
  return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
}

/**
 * Wraps an engine error as `STORE_UNAVAILABLE`, keeping the original as `cause`: for your own
 * {@link MfaStore}, so the lifecycle answers engine failures the same way for every store.
 *
 * @example In a store of your own
 * ```ts
 * import { storeUnavailable, type StoredRecord } from 'mfakit';
 * declare const db: { read(id: string): Promise<StoredRecord | null> };
 * async function get(id: string): Promise<StoredRecord | null> {
 *   try {
 *     return await db.read(id);
 *   } catch (err) {
 *     throw storeUnavailable('get', err); // MfaError STORE_UNAVAILABLE, err as cause
 *   }
 * }
 * ```
 */
export function storeUnavailable(operation: string, cause: unknown): MfaError {
  return new MfaError('STORE_UNAVAILABLE', `store ${operation} failed`, { cause });
}
