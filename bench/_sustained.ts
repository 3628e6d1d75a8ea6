// Sustained throughput, printed before the mitata tables: `callers` independent callers, each
// starting its next verify as soon as its last one answered (as `callers` request handlers under
// steady load do), for 2 s after a 0.5 s warm-up (both adjustable), as verifies per wall-clock second and per CPU
// second of this process (user + system). mitata's per-iteration averages of an async function
// also count its own promise bookkeeping and scheduler stalls, and its "16 concurrent" rows run in
// lock-step rounds; this is the figure a server would see.
// (Not a *.bench.ts file: bench/index.ts does not run it on its own.)

/** Time spent on input preparation inside the measured window, to subtract from it. */
export interface Excluded {
  wallMs: number;
  cpuMicros: number;
}

export async function sustained(
  label: string,
  verifyNext: () => Promise<unknown>,
  callers: number,
  seconds = 2,
  warmUpSeconds = 0.5,
  excluded?: Excluded,
): Promise<{ perWall: number; perCpu: number }> {
  // One caller awaits each verify directly, as a request handler would.
  const run = async (until: number): Promise<number> => {
    let n = 0;
    while (performance.now() < until) {
      await verifyNext();
      n++;
    }
    return n;
  };
  const all = async (until: number): Promise<number> =>
    callers === 1 ? run(until) : (await Promise.all(Array.from({ length: callers }, () => run(until)))).reduce((a, b) => a + b, 0);
  await all(performance.now() + warmUpSeconds * 1000);
  const skippedWall = excluded?.wallMs ?? 0;
  const skippedCpu = excluded?.cpuMicros ?? 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const done = await all(start + seconds * 1000);
  const wall = (performance.now() - start - ((excluded?.wallMs ?? 0) - skippedWall)) / 1e3;
  const used = process.cpuUsage(cpu);
  const cpuMicros = used.user + used.system - ((excluded?.cpuMicros ?? 0) - skippedCpu);
  const perWall = Math.round(done / wall);
  const perCpu = Math.round(done / (cpuMicros / 1e6));
  console.log(`${label}: ${perWall} verifies/s (wall), ${perCpu} per CPU-second`);
  return { perWall, perCpu };
}
