import { MemoryStore } from '../../src/index.js';
import { runStoreConformance } from '../../src/testing/index.js';

runStoreConformance('MemoryStore', () => ({ store: new MemoryStore() }), {
  skip: { 'write-isolation': 'keeps structured clones in memory, so a BigInt is storable data, not an error' },
});
