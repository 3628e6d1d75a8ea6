// What the packed tarball holds: one ESM module, one CJS module and declarations for both per
// source module (so bundlers can drop what a user never reaches), CJS requiring only '.cjs' siblings
// (a '.js' file is ESM under "type": "module"; the one exception is errors.cjs, which loads the ESM
// MfaError on purpose), and peers left as imports of the user's copy, never bundled.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { usePackedApp } from './support/packed.js';

const app = usePackedApp();
const srcDir = join(import.meta.dirname, '..', 'src');
const sources = readdirSync(srcDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -'.ts'.length));

/**
 * Module specifiers of `code` (esbuild writes them double-quoted; messages that quote an import use
 * single quotes), its comments (TSDoc examples import 'mfakit') removed first.
 */
const specifiers = (code: string): string[] =>
  [...code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '').matchAll(/(?:\bfrom\s*|\brequire\(\s*|\bimport\(\s*)"([^"]+)"/g)].map((m) => m[1]!);

describe('the packed tarball', () => {
  const dist = (): string => join(app.dir, 'node_modules', 'mfakit', 'dist');

  it('has an ESM module, a CJS module and .d.ts/.d.cts for every source module', () => {
    const files = new Set(readdirSync(dist(), { recursive: true, encoding: 'utf8' }));
    const missing = sources.flatMap((s) => ['.js', '.cjs', '.d.ts', '.d.cts'].map((ext) => `${s}${ext}`)).filter((f) => !files.has(f));
    expect(missing).toEqual([]);
  });

  it('ESM imports .js siblings, CJS requires .cjs siblings (errors.cjs excepted), and only declared packages', () => {
    const bare = new Set<string>();
    const wrong: string[] = [];
    for (const s of sources) {
      for (const [ext, want] of [['.js', /\.js$/], ['.cjs', /\.cjs$/]] as const) {
        for (const spec of specifiers(readFileSync(join(dist(), `${s}${ext}`), 'utf8'))) {
          if (!spec.startsWith('.')) bare.add(spec);
          else if (!want.test(spec) && !(s === 'errors' && ext === '.cjs' && spec === './errors.js')) wrong.push(`${s}${ext} → ${spec}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    // Peers and the one dependency stay imports; nothing else is reached for.
    expect([...bare].sort()).toEqual(['@noble/hashes/pbkdf2.js', '@noble/hashes/scrypt.js', '@noble/hashes/sha2.js', 'uqr', 'vitest']);
  });
});
