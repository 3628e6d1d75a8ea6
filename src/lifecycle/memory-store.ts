import { setOwn } from '../_internal/own.js';
import { lookupKeysOf, type MfaLookupStore, type StoredRecord } from './store.js';

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
  /** Lookup key → id, updated in the same synchronous step as the record. */
  readonly #lookup = new Map<string, string>();

  async get(id: string): Promise<StoredRecord | null> {
    return this.#records.get(id) ?? null;
  }

  async compareAndSet(id: string, expectedVersion: number | null, record: StoredRecord): Promise<boolean> {
    const current = this.#records.get(id);
    if ((current?.version ?? null) !== expectedVersion) return false;
    const stored = frozenCopy(record) as StoredRecord;
    this.#records.set(id, stored);
    if (current?.lookupKeys !== undefined || stored.lookupKeys !== undefined) this.#index(id, current, stored);
    return true;
  }

  async delete(id: string): Promise<void> {
    this.#index(id, this.#records.get(id), undefined);
    this.#records.delete(id);
  }

  /** The id of the record whose `lookupKeys` hold `key`, or null (see {@link MfaLookupStore}). */
  async lookup(key: string): Promise<string | null> {
    return this.#lookup.get(key) ?? null;
  }

  #index(id: string, before: StoredRecord | undefined, after: StoredRecord | undefined): void {
    for (const key of lookupKeysOf(before)) if (this.#lookup.get(key) === id) this.#lookup.delete(key);
    for (const key of lookupKeysOf(after)) this.#lookup.set(key, id);
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
