// npm run fuzz [-- --seed N] [--runs N] [--time-limit SECONDS] [--only TEXT] [--part I/N]
// Runs every parser and round trip of test/fuzz/targets.ts with 10^6 generated inputs each (by
// default) under a time bound per target, then the 1 MB growth check. Prints the seed first, one
// line per target (inputs, time, inputs/s) and exits 1 on any failure or unmet budget.
import { GROWTH_SIZES, runFuzz, runGrowth } from '../test/fuzz/engine.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

const seed = arg('seed') === undefined ? (Math.random() * 2 ** 32) | 0 : Number(arg('seed'));
const runs = Number(arg('runs') ?? 1_000_000);
const timeLimitMs = Number(arg('time-limit') ?? 600) * 1000;
const only = arg('only');
// --part 0/2 and --part 1/2 split the targets over two processes (the growth check runs in part 0).
const partArg = arg('part')?.split('/').map(Number);
const part = partArg === undefined ? undefined : { index: partArg[0]!, of: partArg[1]! };
if (!Number.isInteger(seed) || !Number.isInteger(runs) || runs < 1 || !(timeLimitMs > 0)) {
  console.error('usage: npm run fuzz -- [--seed INT] [--runs INT] [--time-limit SECONDS] [--only TEXT] [--part I/N]');
  process.exit(2);
}

console.log(`fuzz seed ${seed} (replay: npm run fuzz -- --seed ${seed}); ${runs} inputs per target, time bound ${timeLimitMs / 1000} s each`);
let failed = 0;
const started = performance.now();
runFuzz({
  seed,
  runs,
  timeLimitMs,
  only,
  part,
  onResult: (o) => {
    const rate = Math.round(o.inputs / (o.ms / 1000));
    const short = o.failure === null && o.interrupted && o.inputs < runs;
    const status = o.failure !== null ? 'FAIL' : short ? 'SHORT' : 'ok';
    console.log(`${status.padEnd(5)} ${o.kind.padEnd(10)} ${o.name.padEnd(58)} ${String(o.inputs).padStart(9)} inputs ${(o.ms / 1000).toFixed(1).padStart(6)} s ${String(rate).padStart(8)}/s`);
    if (o.failure !== null) console.log(`      ${o.failure}`);
    if (o.failure !== null || short) failed++;
  },
});
console.log(`growth (best of 3 at ${GROWTH_SIZES.join(' / ')} characters):`);
for (const g of part === undefined || part.index === 0 ? runGrowth(only) : []) {
  const times = GROWTH_SIZES.map((s) => g.ms[s]!.toFixed(1)).join(' / ');
  console.log(`${(g.failure === null ? 'ok' : 'FAIL').padEnd(5)} ${g.name.padEnd(40)} ${times} ms  slope ${g.slope.toFixed(2)}${g.failure === null ? '' : '  ' + g.failure}`);
  if (g.failure !== null) failed++;
}
console.log(`${failed === 0 ? 'all passed' : `${failed} failed`} in ${((performance.now() - started) / 1000).toFixed(0)} s (seed ${seed})`);
process.exit(failed === 0 ? 0 : 1);
