// A project that tests with jest or node:test has no vitest: FakeClock and seededRandom must work
// from the installed 'mfakit' (ESM and CJS) in a plain Node process without vitest, and
// 'mfakit/testing' (which needs vitest for runStoreConformance) must fail loudly, naming vitest,
// rather than half-load. Runs against the packed tarball in an app without vitest installed.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { usePackedApp } from './support/packed.js';

const app = usePackedApp();

function run(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, args, { cwd: app.dir, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('FakeClock and seededRandom without vitest (packed tarball)', () => {
  it('the app really has no vitest (so the checks below can fail)', () => {
    const r = run(['-e', "require.resolve('vitest')"]);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/Cannot find module 'vitest'/);
  });

  it("ESM: import { FakeClock, seededRandom } from 'mfakit'", () => {
    const code = `import { FakeClock, seededRandom, createMfa, MemoryStore } from 'mfakit';
      const clock = new FakeClock(); clock.advance(30000);
      createMfa({ store: new MemoryStore(), issuer: 'x', clock, rng: seededRandom(1) });
      console.log('ok', clock.now(), seededRandom(1)(4).join(','));`;
    const r = run(['--input-type=module', '-e', code]);
    expect(r.out).toMatch(/^ok 1767225630000 \d+,\d+,\d+,\d+\n$/);
    expect(r.status).toBe(0);
  });

  it("CJS: require('mfakit') gives the same FakeClock and seededRandom", () => {
    const code = `const { FakeClock, seededRandom } = require('mfakit');
      console.log('ok', new FakeClock().now(), seededRandom(1)(4).join(','));`;
    const r = run(['-e', code]);
    expect(r.out).toMatch(/^ok 1767225600000 \d+,\d+,\d+,\d+\n$/);
    expect(r.status).toBe(0);
  });

  it.each([
    ['ESM', ['--input-type=module', '-e', "await import('mfakit/testing')"]],
    ['CJS', ['-e', "require('mfakit/testing')"]],
  ])("%s: 'mfakit/testing' without vitest fails with an error naming vitest", (_, args) => {
    const r = run(args);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/Cannot find (package|module) 'vitest'/);
  });
});
