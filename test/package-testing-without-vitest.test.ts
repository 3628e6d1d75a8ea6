// A project that tests with jest or node:test has no vitest: FakeClock and seededRandom must work
// from the installed 'mfakit' (ESM and CJS) in a plain Node process without vitest, and from
// require('mfakit/testing') too (vitest cannot be require()d anyway, so the CommonJS entry holds
// the doubles and a runStoreConformance that says to use an ES module). An ES module importing
// 'mfakit/testing' without vitest fails loudly, naming vitest. Runs against the packed tarball in
// an app without vitest installed.
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

  it("CJS: require('mfakit/testing') gives FakeClock and seededRandom; runStoreConformance says to use an ES module", () => {
    const code = `const t = require('mfakit/testing'); const m = require('mfakit');
      let err; try { t.runStoreConformance('x', () => ({ store: new m.MemoryStore() })); } catch (e) { err = e; }
      console.log(JSON.stringify([new t.FakeClock().now(), t.seededRandom(1)(4).join() === m.seededRandom(1)(4).join(),
        t.FakeClock === m.FakeClock, err instanceof m.MfaError, err.code, err.message]));`;
    const r = run(['-e', code]);
    expect(r.status).toBe(0);
    const [now, sameBytes, sameClass, isMfaError, errCode, message] = JSON.parse(r.out) as [number, boolean, boolean, boolean, string, string];
    expect([now, sameBytes, sameClass, isMfaError, errCode]).toEqual([1767225600000, true, true, true, 'UNSUPPORTED_RUNTIME']);
    expect(message).toMatch(/ES module/);
  });

  it("ESM: importing 'mfakit/testing' without vitest fails with an error naming vitest", () => {
    const r = run(['--input-type=module', '-e', "await import('mfakit/testing')"]);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/Cannot find package 'vitest'/);
  });
});
