// mfakit/testing: what adapter authors and application tests need. Imports vitest (optional peer).
export { runStoreConformance } from './conformance.js';
export type { MakeStore, StoreUnderTest, StoreCapability, StoreConformanceOptions } from './conformance.js';
export { FakeClock } from './fake-clock.js';
export { seededRandom } from './seeded-random.js';
