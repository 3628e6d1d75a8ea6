import type { MfaStore, StoredRecord } from './store.js';

/**
 * {@link MfaStore} in process memory: the default for demos and for unit tests of your own code.
 *
 * Records are immutable once stored: `compareAndSet` keeps a deep-frozen copy and `get` returns
 * that frozen record itself (mutating it throws in strict mode), so callers can never change stored
 * state. The copy shares sub-objects that are already frozen — such as the recovery-code list a
 * login leaves untouched — so writing a record derived from a read one copies only what changed.
 *
 * @example
 * ```ts
 * import { createMfa, MemoryStore } from 'mfakit';
 * const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme' });
 * ```
 */
export class MemoryStore implements MfaStore {
  readonly #records = new Map<string, StoredRecord>();

  async get(id: string): Promise<StoredRecord | null> {
    return this.#records.get(id) ?? null;
  }

  async compareAndSet(id: string, expectedVersion: number | null, record: StoredRecord): Promise<boolean> {
    const current = this.#records.get(id);
    if ((current?.version ?? null) !== expectedVersion) return false;
    this.#records.set(id, frozenCopy(record) as StoredRecord);
    return true;
  }

  async delete(id: string): Promise<void> {
    this.#records.delete(id);
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
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const src = value as Record<string, unknown>;
  const keys = Object.keys(src);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const v = src[key];
    out[key] = typeof v === 'object' && v !== null ? frozenCopy(v) : v;
  }
  return Object.freeze(out);
}
