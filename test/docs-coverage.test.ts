// Every function, class and constant a user can import from a public entry point carries a TSDoc
// @example (test/docs-examples.test.ts type-checks those examples). Types are not held to it: an
// options interface is shown by the example of the function that takes it.
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const entries = ['index.ts', 'lifecycle/public.ts', 'qr/index.ts', 'testing/index.ts', 'stores/postgres.ts', 'stores/sqlite.ts', 'stores/redis.ts'].map((e) =>
  join(root, 'src', e),
);

describe('documentation coverage', () => {
  it('every value export of every entry point has an @example', () => {
    const program = ts.createProgram(entries, { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, noEmit: true });
    const checker = program.getTypeChecker();
    const missing: string[] = [];
    let values = 0;
    for (const entry of entries) {
      const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
      for (const exported of checker.getExportsOfModule(module)) {
        const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        if (!(symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class | ts.SymbolFlags.Variable))) continue;
        values++;
        if (!symbol.getJsDocTags(checker).some((t) => t.name === 'example')) missing.push(`${entry.slice(root.length + 1)}: ${exported.name}`);
      }
    }
    expect(values).toBeGreaterThanOrEqual(80);
    expect(missing).toEqual([]);
  });
});
