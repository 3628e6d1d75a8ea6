import { setOwn } from '../_internal/own.js';
import { compareCodePoints, listOptions } from '../_internal/list-page.js';
import type { MfaLookupStore, StoreListOptions, StoreListPage, StoredRecord } from './store.js';

/**
 * {@link MfaStore} in process memory: the default for demos and for unit tests of your own code.
 *
 * Callers can never change stored state: `compareAndSet` keeps a deep-frozen copy, and `get`
 * returns that frozen record itself (mutating it throws in strict mode). Frozen sub-objects are
 * shared, not copied, so storing a record derived from a read one costs only what changed, and a
 * read costs nothing. The lifecycle goes through `get` and `compareAndSet` like with any store.
 *
 * @example
 * ```ts
 * import { createMfa, MemoryStore } from 'mfakit';
 * const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme' });
 * ```
 */
export class MemoryStore implements MfaLookupStore {
  readonly #records = new Map<string, StoredRecord>();

  async get(id: string): Promise<StoredRecord | null> {
    return this.#records.get(id) ?? null;
  }

  async compareAndSet(id: string, expectedVersion: number | null, record: StoredRecord): Promise<boolean> {
    if ((this.#records.get(id)?.version ?? null) !== expectedVersion) return false;
    this.#records.set(id, frozenCopy(record) as StoredRecord);
    return true;
  }

  async delete(id: string): Promise<void> {
    this.#records.delete(id);
  }

  /** A page of ids after `after` in code point order, with their records (see {@link MfaStore.list}). */
  async list(options: StoreListOptions): Promise<StoreListPage> {
    const { after, limit } = listOptions('MemoryStore.list', options);
    const ids = [...this.#records.keys()].filter((id) => after === null || compareCodePoints(id, after) > 0).sort(compareCodePoints);
    return { entries: ids.slice(0, limit).map((id) => ({ id, record: this.#records.get(id)! })), next: ids.length > limit ? ids[limit - 1]! : null };
  }

  /**
   * The id of the record whose `lookupKeys` hold `key`, or null (see {@link MfaLookupStore}). It
   * scans the records, so it always agrees with them; fine for demos and tests, which is what this
   * store is for, and it costs the default bundle no index upkeep.
   */
  async lookup(key: string): Promise<string | null> {
    for (const [id, record] of this.#records) if (Array.isArray(record.lookupKeys) && record.lookupKeys.includes(key)) return id;
    return null;
  }

  /** Number of records held (for tests and benchmarks). */
  get size(): number {
    return this.#records.size;
  }
}

/** A deep, frozen copy of JSON-like data; frozen sub-objects are immutable already and are shared. */
function frozenCopy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = frozenCopy(value[i]);
    return Object.freeze(out);
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  // Not JSON data (a Date, bytes…): stores persist JSON, so just keep a private copy.
  if (proto !== Object.prototype && proto !== null) return privateCopy(value);
  const src = value as Record<string, unknown>;
  const keys = Object.keys(src);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const v = src[key];
    setOwn(out, key, typeof v === 'object' && v !== null ? frozenCopy(v) : v);
  }
  return Object.freeze(out);
}

/** structuredClone where the runtime has it (ES2020 engines may not), else a JSON round trip. */
function privateCopy(value: unknown): unknown {
  return typeof structuredClone === 'function' ? structuredClone(value) : JSON.parse(JSON.stringify(value));
}
