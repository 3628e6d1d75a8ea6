// Runs the fuzz targets of ./targets.ts with fast-check: a seed for the whole run (each target
// derives its own from it, so `--seed` replays every target, or one with `--only`), a number of
// inputs and a time bound per target. Shared by scripts/fuzz.ts (the 10^6 budget) and the short
// slice in fuzz.test.ts.
import fc from 'fast-check';
import { MfaError } from '../../src/index.js';
import { growthTargets, parseTargets, roundTripTargets, type GrowthTarget } from './targets.js';

export interface FuzzOptions {
  seed: number;
  /** Inputs per target. */
  runs: number;
  /** Time bound per target, in milliseconds. */
  timeLimitMs: number;
  /** Only targets whose name contains this text. */
  only?: string | undefined;
  /** Only every `of`-th target from `index` (0-based), to split a run over processes. */
  part?: { index: number; of: number } | undefined;
  /** Called before each target starts. */
  onStart?: ((name: string) => void) | undefined;
  /** Called with each outcome as soon as its target ends. */
  onResult?: ((outcome: FuzzOutcome) => void) | undefined;
}

export interface FuzzOutcome {
  name: string;
  kind: 'parse' | 'round trip';
  seed: number;
  inputs: number;
  ms: number;
  /** The time bound stopped the target before it ran `runs` inputs. */
  interrupted: boolean;
  /** Why it failed, with the counterexample and how to replay it; null when it passed. */
  failure: string | null;
}

/** Runs every selected target and returns one outcome each (never throws on a target failure). */
export function runFuzz(options: FuzzOptions): FuzzOutcome[] {
  const outcomes: FuzzOutcome[] = [];
  let index = 0;
  const selected = (name: string) =>
    (options.only === undefined || name.toLowerCase().includes(options.only.toLowerCase())) &&
    (options.part === undefined || (index - 1) % options.part.of === options.part.index);
  for (const target of parseTargets) {
    const seed = targetSeed(options.seed, index++);
    if (!selected(target.name)) continue;
    const allowed = target.contract === 'never-throws' ? null : target.contract.mfaError;
    const property = fc.property(target.input, (input) => {
      try {
        target.run(input);
      } catch (err) {
        if (allowed !== null && err instanceof MfaError && allowed.includes(err.code)) return;
        throw err;
      }
    });
    outcomes.push(check(target.name, 'parse', property, seed, options));
    options.onResult?.(outcomes[outcomes.length - 1]!);
  }
  for (const target of roundTripTargets) {
    const seed = targetSeed(options.seed, index++);
    if (!selected(target.name)) continue;
    outcomes.push(check(target.name, 'round trip', fc.property(target.input, (x) => target.check(x)), seed, options));
    options.onResult?.(outcomes[outcomes.length - 1]!);
  }
  return outcomes;
}

function check(name: string, kind: FuzzOutcome['kind'], property: fc.IProperty<[unknown]>, seed: number, options: FuzzOptions): FuzzOutcome {
  options.onStart?.(name);
  const started = performance.now();
  let details: fc.RunDetails<[unknown]>;
  try {
    details = fc.check(property, {
      seed,
      numRuns: options.runs,
      interruptAfterTimeLimit: options.timeLimitMs,
      markInterruptAsFailure: false,
    });
  } catch (err) {
    // A generator that throws is a defect of the fuzz target itself: report it, do not stop the run.
    return { name, kind, seed, inputs: 0, ms: performance.now() - started, interrupted: false, failure: `generator threw: ${String(err)}` };
  }
  const ms = performance.now() - started;
  let failure: string | null = null;
  if (details.failed) {
    const error = details.errorInstance;
    const what = error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
    failure = `${what}\n  counterexample: ${preview(details.counterexample)}\n  replay: --seed ${details.seed} --only "${name}" (fast-check path ${details.counterexamplePath})`;
  }
  return { name, kind, seed, inputs: details.numRuns, ms, interrupted: details.interrupted, failure };
}

function preview(value: unknown): string {
  const text = fc.stringify(value);
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} characters)` : text;
}

/** A per-target seed: stable for a given run seed and target position. */
function targetSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + index * 0x6d2b79f5) | 0;
}

export interface GrowthOutcome {
  name: string;
  /** Best-of-`repeats` milliseconds at each size (characters). */
  ms: Record<number, number>;
  /** Slope of log(time) over log(size): about 1 when linear, 2 when quadratic. */
  slope: number;
  failure: string | null;
}

/** Four doublings up to 1 MB: a log-log slope over four points is steadier than one ratio. */
export const GROWTH_SIZES = [125_000, 250_000, 500_000, 1_000_000] as const;
/**
 * A 1 MB input must be handled within this time. Generous for a loaded 2-core CI machine (the
 * slowest parser takes about 1.1 s idle), yet a quadratic loop over 10^6 characters costs minutes.
 */
export const GROWTH_BOUND_MS = 3000;
/**
 * Highest accepted log-log slope. Linear code measures 1.0 to 1.7 here: the 125 kB input fits the
 * caches and the 1 MB one does not, and young-generation GC steps land in between. Quadratic code
 * measures 2.
 */
export const GROWTH_MAX_SLOPE = 1.85;
/** Below this the timer and GC noise dominate, so the slope is not judged. */
const GROWTH_FLOOR_MS = 30;

/** Times each growth target at 125 kB to 1 MB and judges the growth. */
export function runGrowth(only?: string, repeats = 3): GrowthOutcome[] {
  return growthTargets.filter((t) => only === undefined || t.name.toLowerCase().includes(only.toLowerCase())).map((t) => growth(t, repeats));
}

/**
 * Other processes on a shared machine only ever add time, and a GC step can land on one size: a
 * failing measurement is taken again, up to three times, and the target fails only if every attempt
 * does. A super-linear parser fails all three.
 */
function growth(target: GrowthTarget, repeats: number): GrowthOutcome {
  let outcome = measureGrowth(target, repeats);
  for (let attempt = 1; attempt < 3 && outcome.failure !== null && !outcome.failure.startsWith('threw'); attempt++) {
    outcome = measureGrowth(target, repeats);
  }
  return outcome;
}

function measureGrowth(target: GrowthTarget, repeats: number): GrowthOutcome {
  const ms: Record<number, number> = {};
  let failure: string | null = null;
  for (const size of GROWTH_SIZES) {
    const input = target.make(size);
    let best = Infinity;
    for (let i = 0; i < repeats; i++) {
      const t = performance.now();
      try {
        target.run(input);
      } catch (err) {
        failure ??= `threw ${err instanceof Error ? err.constructor.name : typeof err} at ${size} characters`;
      }
      best = Math.min(best, performance.now() - t);
    }
    ms[size] = best;
  }
  const xs = GROWTH_SIZES.map((s) => Math.log(s));
  const ys = GROWTH_SIZES.map((s) => Math.log(Math.max(ms[s]!, 0.01)));
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  const slope = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const largest = ms[GROWTH_SIZES[GROWTH_SIZES.length - 1]!]!;
  if (largest > GROWTH_BOUND_MS) failure ??= `${largest.toFixed(0)} ms for 1 MB (bound ${GROWTH_BOUND_MS} ms)`;
  if (largest > GROWTH_FLOOR_MS && slope > GROWTH_MAX_SLOPE) failure ??= `super-linear: log-log slope ${slope.toFixed(2)}`;
  return { name: target.name, ms, slope, failure };
}
