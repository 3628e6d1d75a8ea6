// `npm run demo` (examples/demo.ts on the sources, through tsx) runs to the end: every lifecycle
// step it shows happened, in order, and the replayed code and reused recovery code were refused.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from '../../scripts/packed-app.mjs';

it('npm run demo runs the whole lifecycle', () => {
  const out = execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'examples/demo.ts'], { cwd: repoRoot, encoding: 'utf8' });
  expect(out).toContain('enrolled → confirmed → verified → failed → recovery_used → verified → failed → reset → enrolled → failed → confirmed → disabled');
  expect(out).toMatch(/again\n \{ ok: false, reason: 'replayed' \}/);
});
