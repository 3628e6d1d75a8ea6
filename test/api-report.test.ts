// The public surface is checked in (api/<entry>.api.md, written by `npm run api` from the built
// declarations): any change to an export — a new name, a removed one, a changed signature — fails
// here until the report is regenerated, so it shows up as a diff in review. Needs `npm run build`
// (`npm test` builds first).
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReports, root } from '../scripts/api-report.mjs';

const reports = buildReports();

describe('API report', () => {
  for (const report of reports) {
    it(`${report.file} matches the build`, () => {
      const path = join(root, report.file);
      const checkedIn = existsSync(path) ? readFileSync(path, 'utf8') : '';
      expect(checkedIn, `${report.file} differs from the exports of the build: run \`npm run api\` and review the diff`).toBe(
        report.text,
      );
    });
  }

  it('exports no @internal symbol from any entry point', () => {
    expect(reports.flatMap((r) => r.internal.map((name) => `${r.name}: ${name}`))).toEqual([]);
  });

  it('exports no function named like an Mfa method (which takes other arguments)', () => {
    const rootReport = reports.find((r) => r.name === 'mfakit')!;
    const methods = new Set<string>();
    // Mfa and the method sets features add to it (ApiPasswordsMfa, OneTimeCodesMfa, …).
    for (const [, body] of rootReport.text.matchAll(/^interface \w*Mfa\b[^{]*\{\n([\s\S]*?)^\}/gm)) {
      for (const m of body!.matchAll(/^ {4}(?:readonly )?(\w+)[(<:?]/gm)) methods.add(m[1]!);
    }
    expect(methods.has('verifyLogin')).toBe(true); // the pattern reads the interface at all
    expect(methods.has('issueApiPassword')).toBe(true);
    expect(rootReport.functions.filter((name) => methods.has(name))).toEqual([]);
  });
});
