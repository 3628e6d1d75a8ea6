// The lifecycle engine: load → validate → pure transition → seal → compare-and-set (reload and retry
// on conflict, bounded) → emit events once the write is committed. It knows no store type and no
// record meaning: a `RecordCodec` says how one kind of record is validated, opened and sealed, and
// the caller's pure `step` says what changes. User records and scope-policy records both go through
// it, so there is one compare-and-set loop in the library.
import { MfaError } from '../errors.js';
import type { Clock } from '../random.js';
import type { MfaEvent } from './events.js';
import { storeUnavailable, type MfaStore, type StoredRecord } from './store.js';

/** How the engine reads and writes one kind of record; a feature that seals secrets of its own wraps the user-record codec (`MfaFeature.wrapCodec`). */
export interface RecordCodec<R extends { readonly version: number }, L = unknown> {
  /** The record when the store holds none (version 0, never written as is). */
  empty(id: string, now: number): R;
  /** Validates what the store returned (throws `INVALID_RECORD`). */
  parse(data: StoredRecord, id: string): R;
  /**
   * Turns a stored record into its working form (e.g. decrypts a secret); `memo` goes to `seal`.
   * Null when there is nothing to open: the common case costs no promise.
   */
  open?(id: string, record: R): Promise<{ record: R; memo: L }> | null;
  /** Turns a changed working record into its stored form (e.g. encrypts a secret). */
  seal?(id: string, record: R, memo: L | undefined): Promise<R>;
}

/** @internal What a step returns: the record to store (the same object: nothing to write; null: delete). */
export interface Step<R, T> {
  readonly record: R | null;
  readonly result: T;
  readonly events: readonly MfaEvent[];
}

/** @internal A loaded record: its working form, and whether the store held it. */
export interface Loaded<R, L = unknown> {
  readonly record: R;
  readonly exists: boolean;
  readonly memo: L | undefined;
}

/** @internal The engine of one service. */
export interface Engine {
  /** Loads, validates and (with `open`) opens a record; an empty one when the store has none. */
  load<R extends { readonly version: number }, L>(id: string, codec: RecordCodec<R, L>, now: number, open: boolean): Promise<Loaded<R, L>>;
  /** Runs `step` on the current record until its write wins the compare-and-set; emits its events. */
  run<R extends { readonly version: number }, L, T>(id: string, codec: RecordCodec<R, L>, step: (record: R, now: number) => Step<R, T>): Promise<T>;
  /** Deletes a record (no compare-and-set: deletion wins over any concurrent write). */
  remove(id: string): Promise<void>;
  /** Delivers events (after a commit, or at once when nothing was written). */
  emit(events: readonly MfaEvent[]): void;
}

/** @internal Options of {@link createEngine}. */
export interface EngineOptions {
  readonly store: MfaStore;
  readonly clock: Clock;
  readonly maxAttempts: number;
  readonly onEvent: ((event: MfaEvent) => void) | undefined;
}

/** @internal Creates the engine over `store`. */
export function createEngine({ store, clock, maxAttempts, onEvent }: EngineOptions): Engine {
  function wrap(operation: string, err: unknown): never {
    throw err instanceof MfaError ? err : storeUnavailable(operation, err);
  }

  async function load<R extends { readonly version: number }, L>(id: string, codec: RecordCodec<R, L>, now: number, open: boolean): Promise<Loaded<R, L>> {
    let data: StoredRecord | null;
    try {
      data = await store.get(id);
    } catch (err) {
      wrap('get', err);
    }
    if (data === null) return { record: codec.empty(id, now), exists: false, memo: undefined };
    const record = codec.parse(data, id);
    const opening = open ? (codec.open?.(id, record) ?? null) : null;
    if (opening === null) return { record, exists: true, memo: undefined };
    const opened = await opening;
    return { record: opened.record, exists: true, memo: opened.memo };
  }

  function emit(events: readonly MfaEvent[]): void {
    if (onEvent === undefined || events.length === 0) return;
    let failure: unknown;
    let failed = false;
    for (const event of events) {
      try {
        onEvent(event);
      } catch (err) {
        // Every event is delivered; the first error reaches the caller (after the write).
        if (!failed) {
          failed = true;
          failure = err;
        }
      }
    }
    if (failed) throw failure;
  }

  async function remove(id: string): Promise<void> {
    try {
      await store.delete(id);
    } catch (err) {
      wrap('delete', err);
    }
  }

  async function run<R extends { readonly version: number }, L, T>(
    id: string,
    codec: RecordCodec<R, L>,
    step: (record: R, now: number) => Step<R, T>,
  ): Promise<T> {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const now = clock.now();
      const loaded = await load(id, codec, now, true);
      const out = step(loaded.record, now);
      if (out.record === null) {
        if (loaded.exists) await remove(id);
      } else if (out.record !== loaded.record) {
        const sealed = codec.seal === undefined ? out.record : await codec.seal(id, out.record, loaded.memo);
        const expected = loaded.exists ? loaded.record.version : null;
        const next = { ...sealed, version: (expected ?? 0) + 1 } as unknown as StoredRecord;
        let written: boolean;
        try {
          written = await store.compareAndSet(id, expected, next);
        } catch (err) {
          wrap('compareAndSet', err);
        }
        if (!written) continue;
      }
      emit(out.events);
      return out.result;
    }
    throw new MfaError('CONFLICT', `gave up after ${maxAttempts} conflicting concurrent updates`);
  }

  return { load, run, remove, emit };
}
