import { setOwn } from '../_internal/own.js';
import type { MfaStore, StoredRecord } from './store.js';

/** @internal A MemoryStore's records without defensive copies, for the lifecycle service alone. */
export interface DirectMemory {
  read(id: string): StoredRecord | null;
  write(id: string, expectedVersion: number | null, record: StoredRecord): boolean;
}

/**
 * @internal The copy-free path into a plain `MemoryStore`, or null for any other store — including
 * a subclass, a proxy, or an instance whose `get`/`compareAndSet` were replaced (spies, fault
 * injection), so such wrappers always see every call.
 */
export let directMemory: (store: MfaStore) => DirectMemory | null;

/**
 * {@link MfaStore} in process memory: the default for demos and for unit tests of your own code.
 *
 * Callers can never change stored state: `compareAndSet` keeps a deep-frozen copy, and `get`
 * returns a deep-frozen record (mutating it throws in strict mode). Frozen sub-objects are shared,
 * not copied, so a record derived from a read one costs only what changed.
 *
 * The lifecycle service takes a shorter path: it never mutates a record it reads or writes, so it
 * hands records over without copies and without a promise hop. V8 spreads and freezes such
 * records several times slower once frozen, and that was a fifth of a login.
 *
 * @example
 * ```ts
 * import { createMfa, MemoryStore } from 'mfakit';
 * const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme' });
 * ```
 */
export class MemoryStore implements MfaStore {
  readonly #records = new Map<string, StoredRecord>();
  readonly #direct: DirectMemory = {
    read: (id) => this.#records.get(id) ?? null,
    write: (id, expectedVersion, record) => {
      if ((this.#records.get(id)?.version ?? null) !== expectedVersion) return false;
      this.#records.set(id, record);
      return true;
    },
  };

  static {
    directMemory = (store) =>
      Object.getPrototypeOf(store) === MemoryStore.prototype &&
      #records in store &&
      store.get === MemoryStore.prototype.get &&
      store.compareAndSet === MemoryStore.prototype.compareAndSet
        ? (store as MemoryStore).#direct
        : null;
  }

  async get(id: string): Promise<StoredRecord | null> {
    const record = this.#records.get(id);
    // Records the service wrote are kept unfrozen: hand out a frozen copy (frozen parts are shared).
    return record === undefined ? null : (frozenCopy(record) as StoredRecord);
  }

  async compareAndSet(id: string, expectedVersion: number | null, record: StoredRecord): Promise<boolean> {
    return this.#direct.write(id, expectedVersion, frozenCopy(record) as StoredRecord);
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
