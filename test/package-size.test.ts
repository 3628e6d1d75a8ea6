// `npm run size` as part of `npm test`: every import of the packed package within its budget, no
// cold module (key stretching, AES-GCM, protobuf, PNG, lifecycle) in the `totp` bundle, and the
// README table current. After a change that moves the figures: `npm run size -- --write`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('npm run size', () => {
  it('passes: budgets kept, cold modules absent, README table current', () => {
    const r = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'size.mjs')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('every entry within budget, README.md table current');
    expect(r.status).toBe(0);
  });
});
