// sqliteStore on the SQLite drivers built into other runtimes, each running the exported
// conformance suite (test/support/sqlite-conformance-runs.ts, the same runs better-sqlite3 gets
// in sqlite.conformance.test.ts) on that runtime:
//   node:sqlite (DatabaseSync) — Node 22 and 24 running vitest; Deno running vitest;
//   bun:sqlite                 — `bun test`, which serves the suite's vitest imports from bun:test.
// Each run's report must show the suite passed in full on the runtime it names (a test titled
// `runs on <runtime> <version>` is registered by the conformance file itself).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runtimeBinary, type Runtime } from '../support/runtime-binaries.js';

const root = join(import.meta.dirname, '..', '..');
const drivers = join('test', 'stores', 'sqlite-drivers');
const out = mkdtempSync(join(tmpdir(), 'mfakit-sqlite-drivers-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Report {
  readonly passed: string[];
  readonly failed: string[];
  readonly skipped: number;
  readonly output: string;
}

/** Runs vitest (on Node or Deno) over the node:sqlite conformance file; reads its JSON report. */
function vitestOn(runtime: Runtime): Report {
  const report = join(out, `${runtime}.json`);
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const args = ['run', '--config', join(drivers, 'vitest.config.ts'), '--reporter=json', `--outputFile=${report}`, join(drivers, 'node-sqlite.conformance.ts')];
  const run = spawnSync(runtimeBinary(runtime), runtime === 'deno' ? ['run', '-A', vitest, ...args] : [vitest, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const output = `${run.stdout}\n${run.stderr}`;
  if (run.status !== 0) return { passed: [], failed: [`exit ${run.status}`], skipped: 0, output };
  const json = JSON.parse(readFileSync(report, 'utf8')) as {
    testResults: { assertionResults: { fullName: string; status: string }[] }[];
  };
  const results = json.testResults.flatMap((f) => f.assertionResults);
  return {
    passed: results.filter((r) => r.status === 'passed').map((r) => r.fullName),
    failed: results.filter((r) => r.status === 'failed').map((r) => r.fullName),
    skipped: results.filter((r) => r.status !== 'passed' && r.status !== 'failed').length,
    output,
  };
}

/** Runs `bun test` over the bun:sqlite conformance file; reads its JUnit report. */
function bunTest(): Report {
  const report = join(out, 'bun.xml');
  const run = spawnSync(runtimeBinary('bun'), ['test', '--reporter=junit', `--reporter-outfile=${report}`, `./${join(drivers, 'bun-sqlite.conformance.ts')}`], {
    cwd: root,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const output = `${run.stdout}\n${run.stderr}`;
  if (run.status !== 0) return { passed: [], failed: [`exit ${run.status}`], skipped: 0, output };
  const xml = readFileSync(report, 'utf8');
  const cases = xml.split('<testcase ').slice(1).map((chunk) => {
    const name = (/^name="([^"]*)"/.exec(chunk)?.[1] ?? '').replaceAll('&gt;', '>').replaceAll('&lt;', '<').replaceAll('&quot;', '"').replaceAll('&apos;', "'").replaceAll('&amp;', '&');
    const body = chunk.split('</testsuite>')[0]!;
    return { name, failed: body.includes('<failure'), skipped: body.includes('<skipped') };
  });
  return {
    passed: cases.filter((c) => !c.failed && !c.skipped).map((c) => c.name),
    failed: cases.filter((c) => c.failed).map((c) => c.name),
    skipped: cases.filter((c) => c.skipped).length,
    output,
  };
}

function expectFullPass(report: Report, runtime: RegExp): void {
  if (report.failed.length > 0) console.error(report.output.slice(-4000));
  expect(report.failed).toEqual([]);
  expect(report.skipped).toBe(0);
  // Both runs (one connection, four) of every group: well over 50 tests.
  expect(report.passed.length).toBeGreaterThan(50);
  expect(report.passed.filter((name) => runtime.test(name))).toHaveLength(1);
  // The races, the authenticators() ones included (one code of one of three, HOTP counter, e-mail
  // code) and import-then-replay: in both runs, so none was filtered or skipped on this runtime.
  const races = [
    '64 concurrent creates of one id: exactly one wins',
    '64 concurrent verifyLogin with the same valid code: exactly one success',
    '64 concurrent logins with one code of one of three authenticators: exactly one success',
    '64 concurrent logins with one HOTP code: the counter moves once',
    '64 concurrent logins with one e-mail code: exactly one success',
    'an imported lastStep is kept: a replay of that step is refused',
  ];
  for (const race of races) {
    expect(report.passed.filter((name) => name.includes(race))).toHaveLength(2);
  }
}

describe('sqliteStore on the SQLite drivers of other runtimes: the full conformance suite', () => {
  it.each([
    ['node22', /runs on node 22\.\d+\.\d+ with node:sqlite/],
    ['node24', /runs on node 24\.\d+\.\d+ with node:sqlite/],
    ['deno', /runs on deno \d+\.\d+\.\d+ with node:sqlite/],
  ] as const)('node:sqlite on %s (vitest)', (runtime, title) => {
    expectFullPass(vitestOn(runtime), title);
  }, 300_000);

  it('bun:sqlite on Bun (bun test)', () => {
    expectFullPass(bunTest(), /runs on bun \d+\.\d+\.\d+ with bun:sqlite/);
  }, 300_000);
});
