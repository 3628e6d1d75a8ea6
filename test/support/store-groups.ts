// For variant runs of an adapter (another driver, isolation level or option): the store groups of
// runStoreConformance (round-trip, compare-and-set, delete, concurrency, write-isolation) without
// the lifecycle groups, which the adapter's main run already covers on the same engine.
import type { StoreConformanceOptions } from '../../src/testing/conformance.js';

export function storeGroupsOnly(mainRun: string, extra: StoreConformanceOptions = {}): StoreConformanceOptions {
  const reason = `the lifecycle runs once per engine, in ${mainRun}`;
  return {
    ...extra,
    skip: { lifecycle: reason, 'lifecycle-concurrency': reason, 'encrypted-secrets': reason, ...extra.skip },
  };
}
