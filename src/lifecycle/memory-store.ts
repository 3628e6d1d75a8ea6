import type { MfaStore, StoredRecord } from './store.js';

/**
 * {@link MfaStore} in process memory: the default for demos and for unit tests of your own code.
 * Records are copied in and out (structured clone), so callers cannot mutate stored state.
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
    const record = this.#records.get(id);
    return record === undefined ? null : structuredClone(record);
  }

  async compareAndSet(id: string, expectedVersion: number | null, record: StoredRecord): Promise<boolean> {
    const current = this.#records.get(id);
    if ((current?.version ?? null) !== expectedVersion) return false;
    this.#records.set(id, structuredClone(record));
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
