// mfakit/testing: what adapter authors and application tests need. Imports vitest (optional peer).
// FakeClock and seededRandom are also exported by 'mfakit' itself, for projects without vitest.
export { runStoreConformance } from './conformance.js';
export type { MakeStore, StoreUnderTest, StoreCapability, StoreConformanceOptions } from './conformance.js';
export { FakeClock } from './fake-clock.js';
export { seededRandom } from './seeded-random.js';
export { faultyStore } from './faulty-store.js';
export type { FaultAction, FaultKind, FaultLogEntry, FaultRates, FaultSchedule, FaultyStore, StoreCall } from './faulty-store.js';
