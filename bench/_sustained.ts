// Sustained throughput, printed before the mitata tables: `callers` verifies in flight at once,
// repeated for 2 s after a 0.5 s warm-up, as verifies per wall-clock second and per CPU second of
// this process (user + system). mitata's per-iteration averages of an async function also count
// its own promise bookkeeping and scheduler stalls; this is the figure a server would see.
// (Not a *.bench.ts file: bench/index.ts does not run it on its own.)

export async function sustained(
  label: string,
  verifyNext: () => Promise<unknown>,
  callers: number,
  seconds = 2,
): Promise<{ perWall: number; perCpu: number }> {
  // One caller awaits each verify directly, as a request handler would (no Promise.all around it).
  const round = callers === 1 ? verifyNext : () => Promise.all(Array.from({ length: callers }, verifyNext));
  const warm = performance.now();
  while (performance.now() - warm < 500) await round();
  const cpu = process.cpuUsage();
  const start = performance.now();
  let done = 0;
  while (performance.now() - start < seconds * 1000) {
    await round();
    done += callers;
  }
  const wall = (performance.now() - start) / 1e3;
  const used = process.cpuUsage(cpu);
  const perWall = Math.round(done / wall);
  const perCpu = Math.round(done / ((used.user + used.system) / 1e6));
  console.log(`${label}: ${perWall} verifies/s (wall), ${perCpu} per CPU-second`);
  return { perWall, perCpu };
}
