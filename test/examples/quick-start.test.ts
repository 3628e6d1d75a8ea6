// examples/quick-start: the README's quick start is this file's region, byte for byte (one source),
// and the file runs on Node 22 against the packed package, printing what its comments promise.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/packed-app.mjs';
import { useExamples } from '../support/example-app.js';
import { runtimeBinary } from '../support/runtime-binaries.js';

const examples = useExamples(['quick-start']);

/** The text between `// #region quick-start` and `// #endregion`. */
function region(source: string): string {
  const m = /\/\/ #region quick-start\n([\s\S]*?)\/\/ #endregion\n/.exec(source);
  if (m === null) throw new Error('no quick-start region');
  return m[1]!;
}

describe('examples/quick-start', () => {
  const source = readFileSync(join(repoRoot, 'examples', 'quick-start', 'quick-start.ts'), 'utf8');

  it('is the README quick start, verbatim', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const block = /## Quick start\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme);
    expect(block?.[1]).toBe(region(source));
  });

  it('runs on Node 22 from the packed tarball: a wrong code is refused, a recovery code logs in', () => {
    const out = execFileSync(runtimeBinary('node22'), ['quick-start.ts'], { cwd: examples.dir('quick-start'), encoding: 'utf8' });
    expect(out).toMatch(/^otpauth:\/\/totp\/Acme:alice@example\.com\?secret=[A-Z2-7]+&issuer=Acme [A-Z2-7]{4}( [A-Z2-7]{1,4})+\n/);
    expect(out).toMatch(/reason: 'mismatch'/);
    expect(out).toMatch(/ok: true,\s+method: 'recovery'/);
  });
});
