// The whole conformance suite with every secret encrypted by aesGcmCipher (issue 8: records with
// encrypted secrets pass the conformance suite). Adapters can do the same with `{ cipher }`.
import { aesGcmCipher, MemoryStore } from '../../src/index.js';
import { runStoreConformance } from '../../src/testing/index.js';

const cipher = aesGcmCipher({
  keys: { old: new Uint8Array(32).fill(7), current: new Uint8Array(32).fill(9) },
  current: 'current',
});

runStoreConformance('MemoryStore + aesGcmCipher', () => ({ store: new MemoryStore() }), {
  cipher,
  skip: { 'write-isolation': 'keeps structured clones in memory, so a BigInt is storable data, not an error' },
});
