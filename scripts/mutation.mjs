// `npm run mutation [-- area...]`: StrykerJS over each area (core, lifecycle, stores by default),
// one after the other, each bounded in time (MUTATION_MINUTES per area, default 60). Incremental:
// reports/mutation/<area>.incremental.json keeps the results of mutants whose code and tests did
// not change, so a rerun only tests what changed. Prints each area's score beside its target and
// exits non-zero when an area is below target or ran out of time.
import { spawn } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { AREAS } from '../mutation/areas.mjs';

const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(AREAS);
const minutes = Number(process.env.MUTATION_MINUTES ?? 60);

function score(name) {
  const file = `reports/mutation/${name}.json`;
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const counts = {};
  for (const f of Object.values(report.files)) {
    for (const m of f.mutants) counts[m.status] = (counts[m.status] ?? 0) + 1;
  }
  const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
  const undetected = (counts.Survived ?? 0) + (counts.NoCoverage ?? 0);
  return { counts, score: (100 * detected) / Math.max(1, detected + undetected) };
}

let failed = false;
for (const name of names) {
  if (!AREAS[name]) throw new Error(`unknown area ${name}; known: ${Object.keys(AREAS).join(', ')}`);
  const started = Date.now();
  const child = spawn('npx', ['stryker', 'run', 'stryker.config.mjs'], {
    stdio: 'inherit',
    env: { ...process.env, MUTATION_AREA: name },
    detached: true,
  });
  const timer = setTimeout(() => {
    console.error(`mutation ${name}: over ${minutes} min, stopping`);
    process.kill(-child.pid, 'SIGTERM');
  }, minutes * 60_000);
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  clearTimeout(timer);
  const result = score(name);
  const target = AREAS[name].target;
  const s = result ? result.score.toFixed(2) : 'n/a';
  console.log(
    `mutation ${name}: score ${s} % (target ${target} %), ${JSON.stringify(result?.counts ?? {})}, ` +
      `${((Date.now() - started) / 60_000).toFixed(1)} min, exit ${code}`,
  );
  if (code !== 0 || !result || result.score < target) failed = true;
}
process.exit(failed ? 1 : 0);
