// StrykerJS mutation testing, one area at a time (MUTATION_AREA=core|lifecycle|stores; see
// mutation/areas.mjs and scripts/mutation.mjs, which `npm run mutation` runs). Not part of
// `npm test`: it reruns tests once per mutant and takes many minutes.
import { AREAS } from './mutation/areas.mjs';

const name = process.env.MUTATION_AREA ?? 'core-otp';
const area = AREAS[name];
if (area === undefined) throw new Error(`unknown MUTATION_AREA ${name}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'mutation/vitest.config.ts', related: false },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: area.mutate,
  coverageAnalysis: 'perTest',
  // Two cores shared with other work: one or two test processes at most.
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
  // A static mutant (one that only acts at module load: a constant table, an alphabet, a regex
  // built once) needs every test rerun in a fresh process: in the core that is a quarter of the
  // mutants and 70 % of the time (5 h on two cores). They are left out by default and reported as
  // Ignored; MUTATION_STATIC=1 includes them.
  ignoreStatic: process.env.MUTATION_STATIC !== '1',
  incremental: true,
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  timeoutMS: 20_000,
  timeoutFactor: 2,
  thresholds: { high: area.target, low: area.target - 10, break: null },
  reporters: ['clear-text', 'progress-append-only', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: true },
  tempDirName: `.stryker-tmp/${name}`,
  cleanTempDir: true,
  // docs/ stays: a store test checks docs/storage.md shows the shipped schema.
  ignorePatterns: ['dist', 'reports', 'examples', 'bench', 'api', '.stryker-tmp', 'coverage'],
};
