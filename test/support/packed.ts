// A fresh app with the packed tarball installed (scripts/packed-app.mjs), made once per test file
// and removed after it: tests that make claims about the package run against what users install.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { packedApp } from '../../scripts/packed-app.mjs';

/** Registers beforeAll/afterAll hooks; the returned object's `dir` is the app once beforeAll ran. */
export function usePackedApp(dependencies: Record<string, string> = {}): { dir: string } {
  const app = { dir: '' };
  beforeAll(() => {
    app.dir = packedApp({ dependencies }).dir;
  });
  afterAll(() => {
    if (app.dir !== '') rmSync(app.dir, { recursive: true, force: true });
  });
  return app;
}
