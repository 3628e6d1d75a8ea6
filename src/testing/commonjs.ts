// mfakit/testing as `require()` sees it. vitest cannot be loaded with require() (its CommonJS entry
// only throws), so the conformance suite, which registers vitest tests, runs from ES modules only;
// the test doubles need nothing and work here too (`mfakit` exports them as well), so a CommonJS
// test (jest, node:test) can `require('mfakit/testing')` for FakeClock and seededRandom.
import { MfaError } from '../errors.js';
import type { runStoreConformance as esmRunStoreConformance } from './conformance.js';

export type { MakeStore, StoreUnderTest, StoreCapability, StoreConformanceOptions } from './conformance.js';
export { FakeClock } from './fake-clock.js';
export { seededRandom } from './seeded-random.js';
export { faultyStore } from './faulty-store.js';
export type { FaultAction, FaultKind, FaultLogEntry, FaultRates, FaultSchedule, FaultyStore, StoreCall } from './faulty-store.js';

/**
 * Throws `UNSUPPORTED_RUNTIME`: the conformance suite needs vitest, which runs test files as ES
 * modules. Import it there: `import { runStoreConformance } from 'mfakit/testing'`.
 */
export const runStoreConformance: typeof esmRunStoreConformance = () => {
  throw new MfaError(
    'UNSUPPORTED_RUNTIME',
    "runStoreConformance needs vitest, which require() cannot load: import it from 'mfakit/testing' in an ES module test file",
  );
};
