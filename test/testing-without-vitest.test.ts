// A project that tests with jest or node:test has no vitest: FakeClock and seededRandom must be
// importable from the built 'mfakit' entry (ESM and CJS) in a plain Node process, without vitest.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function run(args: string[]): { status: number | null; out: string } {
  // NODE_PATH cannot help here: a loader hook that refuses 'vitest' proves the entry never asks for it.
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const BLOCK_VITEST = `data:text/javascript,${encodeURIComponent(
  "export async function resolve(s, c, n) { if (s === 'vitest' || s.startsWith('vitest/')) throw new Error('vitest was imported'); return n(s, c); }",
)}`;

describe('FakeClock and seededRandom without vitest', () => {
  it('ESM: import from the built mfakit entry', () => {
    const code = `import { FakeClock, seededRandom, createMfa, MemoryStore } from './dist/index.js';
      const clock = new FakeClock(); clock.advance(30000);
      createMfa({ store: new MemoryStore(), issuer: 'x', clock, rng: seededRandom(1) });
      console.log('ok', clock.now(), seededRandom(1)(4).join(','));`;
    const r = run(['--import', `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(BLOCK_VITEST)});`)}`, '--input-type=module', '-e', code]);
    expect(r.out).toContain('ok ');
    expect(r.status).toBe(0);
  });

  it('CJS: require the built mfakit entry', () => {
    const code = `const Module = require('node:module'); const load = Module._load;
      Module._load = function (id, ...rest) { if (id === 'vitest' || id.startsWith('vitest/')) throw new Error('vitest was required'); return load.call(this, id, ...rest); };
      const { FakeClock, seededRandom } = require('./dist/index.cjs');
      console.log('ok', new FakeClock().now(), seededRandom('a')(2).length);`;
    const r = run(['-e', code]);
    expect(r.out).toContain('ok ');
    expect(r.status).toBe(0);
  });
});
