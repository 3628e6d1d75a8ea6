// SECURITY.md links every promise to the test that proves it. A renamed test file or test title
// would leave a promise pointing at nothing; this keeps the links honest: every `test/…` or
// `src/…` file it names exists, and every quoted test title after a file name appears in that file.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const text = readFileSync(join(root, 'SECURITY.md'), 'utf8');

/** `path` followed by optional "quoted titles" (an optional parenthesis in between). */
const REFERENCE = /`((?:test|src)\/[^`*]+\.ts)`((?:\s*(?:\([^)]*\))?\s*"[^"]+",?)*)/g;

const references = [...text.matchAll(REFERENCE)].map((m) => ({
  path: m[1]!,
  titles: [...m[2]!.matchAll(/"([^"]+)"/g)].map((t) => t[1]!.replace('…', '').trim().replace(/:$/, '')),
}));

describe('SECURITY.md references', () => {
  it('names a meaningful number of tests (the scan is not vacuous)', () => {
    expect(references.length).toBeGreaterThan(40);
    expect(references.filter((r) => r.path.startsWith('test/security/')).length).toBeGreaterThan(12);
  });

  it.each(references.map((r) => [r.path, r.titles] as const))('%s exists and holds the titles quoted after it', (path, titles) => {
    const file = join(root, path);
    expect(existsSync(file), `${path} does not exist`).toBe(true);
    const source = readFileSync(file, 'utf8');
    for (const title of titles) expect(source, `${path} has no test titled "${title}"`).toContain(title);
  });

  it('every test/security/*.test.ts file is cited', async () => {
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(join(root, 'test', 'security')).filter((f) => f.endsWith('.test.ts') && f !== 'security-md.test.ts');
    for (const f of files) expect(text, `SECURITY.md does not cite test/security/${f}`).toContain(`test/security/${f}`);
  });
});
