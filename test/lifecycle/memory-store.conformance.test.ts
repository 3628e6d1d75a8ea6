import { MemoryStore } from '../../src/index.js';
import { runStoreConformance } from '../../src/testing/index.js';

runStoreConformance('MemoryStore', () => ({ store: new MemoryStore() }));
