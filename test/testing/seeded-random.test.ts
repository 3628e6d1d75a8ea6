// mfakit/testing: seededRandom.
import { describe, expect, it } from 'vitest';
import { generateSecret } from '../../src/index.js';
import { seededRandom } from '../../src/testing/index.js';

describe('seededRandom', () => {
  it('is deterministic per seed and differs between seeds', () => {
    expect(seededRandom(42)(32)).toEqual(seededRandom(42)(32));
    expect(seededRandom('a')(32)).toEqual(seededRandom('a')(32));
    expect(seededRandom(1)(32)).not.toEqual(seededRandom(2)(32));
    expect(seededRandom('a')(32)).not.toEqual(seededRandom('b')(32));
  });
  it('returns exactly the requested length and keeps going (no repeats of the first block)', () => {
    const rng = seededRandom(7);
    for (const n of [0, 1, 3, 4, 5, 20, 1000]) expect(rng(n)).toHaveLength(n);
    const r2 = seededRandom(7);
    expect(r2(16)).not.toEqual(r2(16));
  });
  it('looks uniform enough for tests (every byte value appears, mean near 127.5)', () => {
    const bytes = seededRandom(3)(1 << 16);
    expect(new Set(bytes).size).toBe(256);
    const mean = bytes.reduce((a, b) => a + b, 0) / bytes.length;
    expect(Math.abs(mean - 127.5)).toBeLessThan(2);
  });
  it('plugs into generateSecret', () => {
    expect(generateSecret({ rng: seededRandom(9) })).toEqual(generateSecret({ rng: seededRandom(9) }));
  });
});
