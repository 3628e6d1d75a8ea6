// Statistics of the timing tests (timing.test.ts), dudect-style: two input classes measured in a
// random interleaved order (so machine noise — other processes, frequency changes, GC — falls on
// both classes alike), samples above a pooled percentile cropped (GC pauses and interrupts are the
// heavy right tail, not the signal), then Welch's t on what is left, plus a rank-based Mann-Whitney
// z as a second opinion that does not assume normality. Repeated over independent batches: a real
// leak shows in every batch with the same sign; a burst of noise does not.

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
  /** Welch t on the cropped samples; positive when class B is slower. */
  t: number;
  /** Mann-Whitney z on all samples; positive when class B tends to be slower. */
  z: number;
  /** Median nanoseconds per call of each class. */
  medianA: number;
  medianB: number;
  samples: number;
}

export interface LeakReport {
  batches: Batch[];
  /** Every batch beyond the threshold with the same sign. */
  leaks: boolean;
  summary: string;
}

export interface LeakTestOptions {
  /** Samples per batch (both classes together). */
  samples: number;
  batches: number;
  /** |t| above which a batch counts as showing a difference. */
  threshold: number;
  /** Calls per sample: more calls per timer read lowers the timer's share of the noise. */
  callsPerSample?: number;
  /** Kept fraction of the pooled samples (the fastest ones). */
  crop?: number;
  seed?: number;
}

/** Measures `a` against `b` and judges whether their timing differs consistently. */
export function leakTest(a: () => unknown, b: () => unknown, options: LeakTestOptions): LeakReport {
  const calls = options.callsPerSample ?? 1;
  const crop = options.crop ?? 0.8;
  const next = order(options.seed ?? 0x1234567);
  // Warm-up: let the JIT settle on both paths before anything is recorded.
  for (let i = 0; i < 2000; i++) {
    a();
    b();
  }
  const batches: Batch[] = [];
  let sink: unknown;
  for (let batch = 0; batch < options.batches; batch++) {
    const n = options.samples;
    const times = new Float64Array(n);
    const classes = new Uint8Array(n);
    for (let i = 0; i < n; i++) classes[i] = next() & 1;
    for (let i = 0; i < n; i++) {
      const f = classes[i] === 0 ? a : b;
      const start = process.hrtime.bigint();
      for (let k = 0; k < calls; k++) sink = f();
      times[i] = Number(process.hrtime.bigint() - start) / calls;
    }
    const xa: number[] = [];
    const xb: number[] = [];
    for (let i = 0; i < n; i++) (classes[i] === 0 ? xa : xb).push(times[i]!);
    batches.push(compare(xa, xb, crop));
  }
  void sink;
  const beyond = batches.filter((x) => Math.abs(x.t) > options.threshold);
  const leaks = beyond.length === batches.length && (beyond.every((x) => x.t > 0) || beyond.every((x) => x.t < 0));
  const summary = batches
    .map((x) => `t=${x.t.toFixed(2)} z=${x.z.toFixed(2)} median ${x.medianA.toFixed(0)}/${x.medianB.toFixed(0)} ns (n=${x.samples})`)
    .join('; ');
  return { batches, leaks, summary };
}

function compare(a: number[], b: number[], crop: number): Batch {
  const pooled = [...a, ...b].sort((x, y) => x - y);
  const cut = pooled[Math.floor(pooled.length * crop)]!;
  return {
    t: welchT(
      a.filter((x) => x <= cut),
      b.filter((x) => x <= cut),
    ),
    z: mannWhitneyZ(a, b),
    medianA: median(a),
    medianB: median(b),
    samples: a.length + b.length,
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

/** Welch's t statistic of mean(b) - mean(a). */
export function welchT(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  const se = Math.sqrt(variance(a, ma) / a.length + variance(b, mb) / b.length);
  return se === 0 ? 0 : (mb - ma) / se;
}

/** Mann-Whitney U as a z score (normal approximation, ties ranked by their mean rank); > 0 when b ranks higher. */
export function mannWhitneyZ(a: readonly number[], b: readonly number[]): number {
  const all = [...a.map((v) => [v, 0] as const), ...b.map((v) => [v, 1] as const)].sort((p, q) => p[0] - q[0]);
  let rankSumB = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]![0] === all[i]![0]) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (all[k]![1] === 1) rankSumB += rank;
    i = j;
  }
  const na = a.length;
  const nb = b.length;
  const u = rankSumB - (nb * (nb + 1)) / 2;
  const mu = (na * nb) / 2;
  const sigma = Math.sqrt((na * nb * (na + nb + 1)) / 12);
  return (u - mu) / sigma;
}
