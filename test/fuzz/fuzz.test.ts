// The short slice of `npm run fuzz`: 2,000 inputs per parser and round trip, a fresh seed each run
// (printed, and in the failure message: replay with `npm run fuzz -- --seed N --only NAME`), and
// the 1 MB growth check. The full 10^6 budget runs from scripts/fuzz.ts.
import { describe, expect, it } from 'vitest';
import { runFuzz, runGrowth } from './engine.js';
import { growthTargets, parseTargets, roundTripTargets } from './targets.js';

const seed = process.env.FUZZ_SEED === undefined ? (Math.random() * 2 ** 32) | 0 : Number(process.env.FUZZ_SEED);
const RUNS = 2000;

describe(`fuzz slice (seed ${seed})`, () => {
  it.each([...parseTargets, ...roundTripTargets].map((t) => t.name))('%s', (name) => {
    const [outcome] = runFuzz({ seed, runs: RUNS, timeLimitMs: 30_000, only: name }).filter((o) => o.name === name);
    expect(outcome!.failure, `seed ${seed}`).toBeNull();
    expect(outcome!.inputs).toBe(RUNS);
  });

  it.each(growthTargets.map((t) => t.name))('%s: linear up to 1 MB', (name) => {
    const [outcome] = runGrowth(name, 3).filter((o) => o.name === name);
    expect(outcome!.failure, JSON.stringify(outcome!.ms)).toBeNull();
  });
});
