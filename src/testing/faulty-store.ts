import { MfaError } from '../errors.js';
import type { MfaStore, StoreListOptions, StoredRecord } from '../lifecycle/store.js';
import { seededRandom } from './seeded-random.js';

/**
 * What {@link faultyStore} does to one call:
 * - `pass`: forwards it unchanged;
 * - `fail-before`: rejects with `STORE_UNAVAILABLE` without reaching the store (a refused connection);
 * - `fail-after`: forwards it, lets it complete — a write commits — then rejects with
 *   `STORE_UNAVAILABLE` (a connection cut before the answer arrived);
 * - `delay`: forwards it after `ticks` turns of the event loop's job queue, so concurrent calls
 *   reach the store in another order than they were made;
 * - `duplicate`: forwards it twice in a row and answers the first result (a client retrying a
 *   request whose answer it thought lost).
 */
export type FaultKind = 'pass' | 'fail-before' | 'fail-after' | 'delay' | 'duplicate';

/**
 * One call as the schedule sees it; `index` counts every call made to the wrapper, from 0. `id` is
 * the record's id; for `lookup` the key looked up, for `list` the page's `after` id (`''` for the
 * first page).
 */
export interface StoreCall {
  readonly index: number;
  readonly operation: 'get' | 'compareAndSet' | 'delete' | 'lookup' | 'list';
  readonly id: string;
}

/** A fault for one call; `ticks` (delay only) defaults to 1. */
export interface FaultAction {
  readonly kind: FaultKind;
  readonly ticks?: number;
}

/**
 * Seeded fault rates, each the probability (0 to 1) that a call gets that fault; what is left
 * passes. The same seed gives the same faults for the same sequence of calls.
 */
export interface FaultRates {
  readonly seed: number | string;
  readonly failBefore?: number;
  readonly failAfter?: number;
  readonly delay?: number;
  readonly duplicate?: number;
  /** Most job-queue turns a delayed call waits (drawn from 1 to this). Default 20. */
  readonly maxDelayTicks?: number;
}

/** Either seeded rates, or a function choosing each call's fault (for a scripted scenario). */
export type FaultSchedule = FaultRates | ((call: StoreCall) => FaultAction | FaultKind);

/** A logged call: which fault it got and, for a write that reached the store, whether it committed. */
export interface FaultLogEntry {
  readonly call: StoreCall;
  readonly fault: FaultKind;
  /** compareAndSet that reached the store: what the store answered (true: the write committed). */
  readonly committed?: boolean;
}

/**
 * An {@link MfaStore} that injects faults, with a log of what it did. It has the optional
 * capabilities `lookup` and `list` exactly when the wrapped store has them, faults included.
 */
export interface FaultyStore extends MfaStore {
  /** The wrapped store's `lookup` (see `MfaLookupStore`), under the same schedule; absent when it has none. */
  lookup?(key: string): Promise<string | null>;
  /** Every call so far, in the order they were made. */
  readonly log: readonly FaultLogEntry[];
  /** Calls per fault kind so far. */
  readonly counts: Readonly<Record<FaultKind, number>>;
}

/**
 * Wraps any {@link MfaStore} so that calls fail before reaching it, fail after a write committed,
 * arrive late (reordered) or twice, by a seeded schedule — to test that code on top of a store
 * (the lifecycle service, or yours) never reports a write that did not commit and never loses one
 * that did. Injected failures are `MfaError` `STORE_UNAVAILABLE` with an `Error('injected fault')`
 * cause, as adapters report engine failures. Delays count job-queue turns, not time: no timers.
 * The optional capabilities `lookup` (API keys' `verifyApiKey`) and `list` (`listUsers`,
 * `reencryptAll`) are passed through, with faults, when the wrapped store has them.
 *
 * @throws {@link index!MfaError} `INVALID_OPTION` for a store without `get`/`compareAndSet`/`delete` or a
 * rate outside 0 to 1 (or rates summing over 1)
 * @example A login service over a store that fails one call in ten
 * ```ts
 * import { createMfa, MemoryStore, isMfaError } from 'mfakit';
 * import { faultyStore } from 'mfakit/testing';
 * const store = faultyStore(new MemoryStore(), { seed: 42, failBefore: 0.05, failAfter: 0.05, delay: 0.2 });
 * const mfa = createMfa({ store, issuer: 'Acme' });
 * try {
 *   await mfa.verifyLogin('alice', '123456');
 * } catch (err) {
 *   if (!isMfaError(err, 'STORE_UNAVAILABLE')) throw err; // the only failure a store fault may cause
 * }
 * console.log(store.counts); // { pass: …, 'fail-before': …, … }
 * ```
 */
export function faultyStore(inner: MfaStore, schedule: FaultSchedule): FaultyStore {
  if (inner === null || typeof inner !== 'object' || typeof inner.get !== 'function' || typeof inner.compareAndSet !== 'function' || typeof inner.delete !== 'function') {
    throw new MfaError('INVALID_OPTION', 'faultyStore needs an MfaStore to wrap');
  }
  const choose = typeof schedule === 'function' ? scripted(schedule) : seeded(schedule);
  const log: FaultLogEntry[] = [];
  const counts: Record<FaultKind, number> = { pass: 0, 'fail-before': 0, 'fail-after': 0, delay: 0, duplicate: 0 };
  let index = 0;

  async function run<T>(operation: StoreCall['operation'], id: string, call: () => Promise<T>): Promise<T> {
    const c: StoreCall = { index: index++, operation, id };
    const action = choose(c);
    counts[action.kind]++;
    const entry: { call: StoreCall; fault: FaultKind; committed?: boolean } = { call: c, fault: action.kind };
    log.push(entry);
    if (action.kind === 'fail-before') throw injected(operation);
    if (action.kind === 'delay') for (let i = 0; i < (action.ticks ?? 1); i++) await null;
    const result = await call();
    if (operation === 'compareAndSet') entry.committed = result === true;
    if (action.kind === 'duplicate') await call();
    if (action.kind === 'fail-after') throw injected(operation);
    return result;
  }

  const store: FaultyStore = {
    log,
    counts,
    get: (id: string) => run('get', id, () => inner.get(id)),
    compareAndSet: (id: string, expectedVersion: number | null, record: StoredRecord) =>
      run('compareAndSet', id, () => inner.compareAndSet(id, expectedVersion, record)),
    delete: (id: string) => run('delete', id, () => inner.delete(id)),
  };
  // Only the capabilities the wrapped store has: features test for them by presence.
  const { lookup, list } = inner as FaultyStore;
  if (typeof lookup === 'function') store.lookup = (key: string) => run('lookup', key, () => lookup.call(inner, key));
  if (typeof list === 'function') store.list = (options: StoreListOptions) => run('list', options?.after ?? '', () => list.call(inner, options));
  return store;
}

function injected(operation: string): MfaError {
  return new MfaError('STORE_UNAVAILABLE', `store ${operation} failed`, { cause: new Error('injected fault') });
}

const KINDS: readonly FaultKind[] = ['pass', 'fail-before', 'fail-after', 'delay', 'duplicate'];

function scripted(f: (call: StoreCall) => FaultAction | FaultKind): (call: StoreCall) => FaultAction {
  return (call) => {
    const a = f(call);
    const action = typeof a === 'string' ? { kind: a } : a;
    if (action === null || typeof action !== 'object' || !KINDS.includes(action.kind)) {
      throw new MfaError('INVALID_OPTION', 'a fault schedule must answer a FaultKind or a FaultAction');
    }
    return action;
  };
}

function seeded(rates: FaultRates): (call: StoreCall) => FaultAction {
  if (rates === null || typeof rates !== 'object') throw new MfaError('INVALID_OPTION', 'schedule must be fault rates or a function');
  const p = [rates.failBefore ?? 0, rates.failAfter ?? 0, rates.delay ?? 0, rates.duplicate ?? 0];
  if (p.some((x) => typeof x !== 'number' || !(x >= 0 && x <= 1)) || p.reduce((a, b) => a + b) > 1 + 1e-9) {
    throw new MfaError('INVALID_OPTION', 'fault rates must be numbers from 0 to 1 that sum to at most 1');
  }
  const maxTicks = rates.maxDelayTicks ?? 20;
  if (!Number.isInteger(maxTicks) || maxTicks < 1 || maxTicks > 10_000) {
    throw new MfaError('INVALID_OPTION', 'maxDelayTicks must be an integer from 1 to 10000');
  }
  const random = seededRandom(rates.seed);
  const uniform = () => {
    const b = random(4);
    return ((b[0]! | (b[1]! << 8) | (b[2]! << 16)) >>> 0) / 0x1000000 + b[3]! / 0x100000000;
  };
  const kinds: FaultKind[] = ['fail-before', 'fail-after', 'delay', 'duplicate'];
  return () => {
    let u = uniform();
    for (let i = 0; i < kinds.length; i++) {
      if (u < p[i]!) return kinds[i] === 'delay' ? { kind: 'delay', ticks: 1 + Math.floor(uniform() * maxTicks) } : { kind: kinds[i]! };
      u -= p[i]!;
    }
    return { kind: 'pass' };
  };
}
