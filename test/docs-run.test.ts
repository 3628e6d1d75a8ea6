// Every ```ts run block in README.md and docs/*.md is run as written, not only type-checked (that is
// test/docs-examples.test.ts): the fence tag `run` marks a block as self-contained (no stand-ins, no
// servers). Each runs as a file inside the repository, so `mfakit` resolves by the package's own
// name to the built dist, as a user's import does, and the peers (otplib, speakeasy, otpauth) from
// the devDependencies; tsx strips the types. A block passes when it exits 0: blocks check what they
// claim with node:assert or a throw.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const out = join(root, '.docs-run');
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');

interface Block {
  readonly where: string;
  readonly code: string;
}

function runBlocks(file: string): Block[] {
  const text = readFileSync(file, 'utf8');
  const blocks: Block[] = [];
  const re = /```ts run\n([\s\S]*?)```/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    blocks.push({ where: `${relative(root, file)}:${text.slice(0, m.index).split('\n').length}`, code: m[1]! });
  }
  return blocks;
}

const docs = [join(root, 'README.md'), ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(root, 'docs', f))];
const blocks = docs.flatMap(runBlocks);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('self-contained documentation examples run as written', () => {
  it('there are such blocks, and the built package is there to run them against', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    expect(existsSync(join(root, 'dist', 'index.js')), 'run `npm run build` first').toBe(true);
  });

  it.each(blocks.map((b, i) => [b.where, i] as const))('%s', (_where, i) => {
    mkdirSync(out, { recursive: true });
    const file = join(out, `block-${i}.mts`);
    writeFileSync(file, `${blocks[i]!.code}\nexport {};\n`);
    const run = spawnSync(process.execPath, [tsx, file], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect({ status: run.status, stderr: run.stderr.slice(0, 2000) }).toEqual({ status: 0, stderr: expect.any(String) });
  });
});
