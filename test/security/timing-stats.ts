// Statistics of the timing tests (timing.test.ts), dudect-style with pairing: calls of the two input
// classes are timed in pairs, back to back in a random order, so machine noise — other processes,
// frequency changes — falls on both calls of a pair and cancels in their difference. The pairs with
// the largest |difference| are cropped (GC pauses and interrupts), then a t statistic of the mean
// difference, plus a sign-test z (rank-based, no normality assumed) on all pairs. Repeated over
// independent batches: a real leak shows in every batch with the same sign; a burst of noise does not.

/** Deterministic bits for the interleaving order (xorshift32). */
function order(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

export interface Batch {
  /** t statistic of the cropped paired differences (B − A); positive when class B is slower. */
  t: number;
  /** Sign-test z of all paired differences; positive when B is slower more often. */
  z: number;
  /** Median nanoseconds per call of each class. */
  medianA: number;
  medianB: number;
  /** Pairs measured. */
  pairs: number;
}

export interface LeakReport {
  batches: Batch[];
  /** Every batch beyond the threshold with the same sign. */
  leaks: boolean;
  summary: string;
}

export interface LeakTestOptions {
  /** Pairs per batch: each pair times one call of each class, back to back, in a random order. */
  pairs: number;
  batches: number;
  /** |t| or |z| above which a batch counts as showing a difference. */
  threshold: number;
  /** Kept fraction of the pairs (those with the smallest |B − A|). */
  crop?: number;
  seed?: number;
}

/**
 * Times `run` on inputs of class A against inputs of class B and judges whether it differs consistently. Calls come in
 * pairs, one of each class back to back in a random order, and the statistics use the difference
 * within each pair: whatever slows the machine for a while (another process, a frequency step)
 * slows both calls of a pair and cancels, which an unpaired test on a loaded machine cannot do.
 */
export function leakTest<I>(run: (input: I) => unknown, inputA: () => I, inputB: () => I, options: LeakTestOptions): LeakReport {
  const crop = options.crop ?? 0.8;
  const next = order(options.seed ?? 0x1234567);
  // Warm-up: let the JIT settle on both paths before anything is recorded.
  for (let i = 0; i < 2000; i++) {
    run(inputA());
    run(inputB());
  }
  const batches: Batch[] = [];
  let sink: unknown;
  for (let batch = 0; batch < options.batches; batch++) {
    const n = options.pairs;
    const ta = new Float64Array(n);
    const tb = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const bFirst = (next() & 1) === 1;
      // Inputs are made before the clock starts, and one function runs both classes, so the only
      // thing that differs between the two timed calls is the input.
      const x = inputA();
      const y = inputB();
      const first = bFirst ? y : x;
      const second = bFirst ? x : y;
      const t0 = process.hrtime.bigint();
      sink = run(first);
      const t1 = process.hrtime.bigint();
      sink = run(second);
      const t2 = process.hrtime.bigint();
      const d1 = Number(t1 - t0);
      const d2 = Number(t2 - t1);
      ta[i] = bFirst ? d2 : d1;
      tb[i] = bFirst ? d1 : d2;
    }
    batches.push(compare(ta, tb, crop));
  }
  void sink;
  const shows = (x: Batch) => Math.abs(x.t) > options.threshold || Math.abs(x.z) > options.threshold;
  const sign = (x: Batch) => Math.sign(Math.abs(x.t) > options.threshold ? x.t : x.z);
  const leaks = batches.every(shows) && new Set(batches.map(sign)).size === 1;
  const summary = batches
    .map((x) => `t=${x.t.toFixed(2)} z=${x.z.toFixed(2)} median ${x.medianA.toFixed(0)}/${x.medianB.toFixed(0)} ns (${x.pairs} pairs)`)
    .join('; ');
  return { batches, leaks, summary };
}

function compare(a: Float64Array, b: Float64Array, crop: number): Batch {
  const d: number[] = [];
  for (let i = 0; i < a.length; i++) d.push(b[i]! - a[i]!);
  // Symmetric crop on |d|: drops pairs hit by a GC pause or an interrupt without biasing the sign.
  const cut = [...d].map(Math.abs).sort((x, y) => x - y)[Math.floor(d.length * crop)]!;
  const kept = d.filter((x) => Math.abs(x) <= cut);
  const m = mean(kept);
  const se = Math.sqrt(variance(kept, m) / kept.length);
  let above = 0;
  let below = 0;
  for (const x of d) {
    if (x > 0) above++;
    else if (x < 0) below++;
  }
  return {
    t: se === 0 ? 0 : m / se,
    z: above + below === 0 ? 0 : (above - below) / Math.sqrt(above + below),
    medianA: median([...a]),
    medianB: median([...b]),
    pairs: a.length,
  };
}

function mean(x: readonly number[]): number {
  let s = 0;
  for (const v of x) s += v;
  return s / x.length;
}

function variance(x: readonly number[], m: number): number {
  let s = 0;
  for (const v of x) s += (v - m) ** 2;
  return s / (x.length - 1);
}

function median(x: readonly number[]): number {
  const s = [...x].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)]!;
}
