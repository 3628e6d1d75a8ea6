// runStoreConformance: the MfaStore conformance suite, run by every adapter. This module holds the
// runner and its options; the store groups are in conformance-store.ts, the lifecycle groups in
// conformance-lifecycle.ts.
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { MfaStore } from '../lifecycle/store.js';
import type { SecretCipher } from '../secret-cipher.js';
import { lifecycleConformance } from './conformance-lifecycle.js';
import { authenticatorsConformance } from './conformance-authenticators.js';
import { listConformance } from './conformance-list.js';
import { compareAndSet, concurrencyGroup, deletion, roundTrip, writeIsolation, type ConformanceContext } from './conformance-store.js';
import { devicesAndRecoveryConformance } from './conformance-devices.js';
import { lookupConformance } from './conformance-lookup.js';

export type { ConformanceContext } from './conformance-store.js';
import { enforcementConformance } from './conformance-enforcement.js';

/** What `makeStore` returns: a store, and how to dispose of it. */
export interface StoreUnderTest {
  readonly store: MfaStore;
  readonly cleanup?: () => void | Promise<void>;
}

/** Makes a fresh store for one capability group (called once per group, before its tests). */
export type MakeStore = () => StoreUnderTest | Promise<StoreUnderTest>;

/**
 * Capability groups of the conformance suite. An adapter that cannot support one skips it and says
 * why (the reason appears in the test name).
 */
export type StoreCapability =
  | 'round-trip'
  | 'compare-and-set'
  | 'delete'
  | 'concurrency'
  | 'write-isolation'
  | 'lookup'
  | 'lifecycle'
  | 'lifecycle-concurrency'
  | 'encrypted-secrets'
  | 'list'
  | 'key-rotation';

/** Options of {@link runStoreConformance}. */
export interface StoreConformanceOptions {
  /** Capability groups to skip, each with the reason (shown in the report). */
  skip?: Partial<Record<StoreCapability, string>>;
  /** Concurrent callers in the race tests. Default 64 (what the contract promises). */
  concurrency?: number;
  /**
   * Runs the `lifecycle` and `lifecycle-concurrency` groups with this cipher, so every record they
   * write holds an encrypted secret (e.g. `aesGcmCipher`). The `encrypted-secrets` group always runs
   * with its own ciphers.
   */
  cipher?: SecretCipher;
}

/**
 * Registers the MfaStore conformance suite with vitest: every adapter — the built-in ones and
 * yours — runs the same tests, grouped by capability. Tests use ids unique to the run, so a store
 * with leftover data from earlier runs is fine.
 *
 * Groups: `round-trip` (JSON values and odd ids survive; an id the store cannot keep exactly, such
 * as one with a lone surrogate, is refused with `INVALID_INPUT`, never aliased), `compare-and-set` (create-only, version
 * checks, a lost race never overwrites), `delete`, `concurrency` (N racing creates/updates, no lost
 * increments), `write-isolation` (a record that is not JSON data is refused by its own call only,
 * while concurrent calls, batched or not, succeed; a store that keeps live objects opts out),
 * `lookup` (the `MfaLookupStore` index follows every write and delete; a key a write dropped never
 * resolves after it; `verifyApiKey` through the lifecycle), `lifecycle` (the whole MFA flow through `createMfa` on this store),
 * `lifecycle-concurrency` (64 concurrent `verifyLogin` with one valid code → exactly one success;
 * one recovery code used concurrently → used once; concurrent reset/verify/enrol leave a consistent
 * record; a trusted-device token is never accepted after `revokeAllDevices`; a login during a
 * break-glass cooling-off cancels it whatever the interleaving; 64 concurrent password logins with 10
 * grace logins → exactly 10 `enroll-optional`), `encrypted-secrets` (records sealed
 * by a `SecretCipher`), `list` (the optional `list` capability: pages cover every
 * id exactly once, in code point order, while another task writes; limits; `listUsers` never lists
 * scope policies), `key-rotation` (`reencryptAll` moves every secret to the new key while logins
 * race it, none lost).
 *
 * @example An adapter's test file
 * ```ts
 * import { runStoreConformance } from 'mfakit/testing';
 * import { MemoryStore } from 'mfakit';
 * runStoreConformance('MemoryStore', () => ({ store: new MemoryStore() }));
 * ```
 */
export function runStoreConformance(name: string, makeStore: MakeStore, options: StoreConformanceOptions = {}): void {
  const concurrency = options.concurrency ?? 64;
  const run = Math.random().toString(36).slice(2, 10);
  let counter = 0;
  const id = (label: string): string => `conformance-${run}-${label}-${++counter}`;

  describe(`${name}: MfaStore conformance`, () => {
    const group = (capability: StoreCapability, body: (ctx: ConformanceContext) => void): void => {
      const reason = options.skip?.[capability];
      if (reason !== undefined) {
        describe.skip(`${capability} (skipped: ${reason})`, () => {
          it('skipped', () => {});
        });
        return;
      }
      describe(capability, () => {
        let current: StoreUnderTest | undefined;
        beforeAll(async () => {
          current = await makeStore();
        });
        afterAll(async () => {
          await current?.cleanup?.();
        });
        body({
          store: () => {
            if (current === undefined) throw new Error('makeStore did not return a store');
            return current.store;
          },
          id,
          concurrency,
        });
      });
    };

    group('round-trip', roundTrip);
    group('compare-and-set', compareAndSet);
    group('delete', deletion);
    group('concurrency', concurrencyGroup);
    group('write-isolation', writeIsolation);
    lookupConformance(group);
    lifecycleConformance(group, options.cipher);
    enforcementConformance(group, options.cipher);
    devicesAndRecoveryConformance(group, options.cipher);
    authenticatorsConformance(group, options.cipher);
    listConformance(group);
  });
}
