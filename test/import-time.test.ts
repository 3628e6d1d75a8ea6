// No work at import: evaluating a module of src/ only declares things. Outside function bodies
// there is no `new`, no call (unless marked /* @__PURE__ */, which bundlers may drop) and no
// statement with an effect, so a bundler can drop every module a user does not reach and an engine
// without TextEncoder, crypto or typed-array support in some global still loads every entry. The
// packed-tarball test (package-bare-runtime.test.ts) proves the second half at run time; this one
// points at the line.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const src = join(import.meta.dirname, '..', 'src');
const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));

/** Every import-time effect in `text` (the module `file`), as "file:line: text". */
function importTimeWork(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const at = (node: ts.Node): string =>
    `${file}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText().replace(/\s+/g, ' ').slice(0, 80)}`;
  const localFunctions = new Set(
    sf.statements.filter(ts.isFunctionDeclaration).flatMap((f) => (f.name === undefined ? [] : [f.name.text])),
  );
  /** Calls and `new` outside function bodies; `allowLocalCalls` admits calls of this module's own functions. */
  const visit = (node: ts.Node, allowLocalCalls: boolean): void => {
    if (ts.isFunctionLike(node)) return;
    // Instance members run per instance, in the constructor, not at import.
    if ((ts.isPropertyDeclaration(node) || ts.isClassStaticBlockDeclaration(node)) && !isStatic(node)) return;
    if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isTaggedTemplateExpression(node)) {
      const pure = /[@#]__PURE__/.test(text.slice(node.getFullStart(), node.getStart()));
      const local = ts.isCallExpression(node) && ts.isIdentifier(node.expression) && localFunctions.has(node.expression.text);
      if (!pure && !(allowLocalCalls && local)) found.push(at(node));
    }
    ts.forEachChild(node, (child) => visit(child, allowLocalCalls));
  };
  for (const statement of sf.statements) {
    if (ts.isExpressionStatement(statement)) {
      // The one statement allowed: a static member of this module's own function, computed by this
      // module's own helpers (`sqliteStore.schema = schemaSql(...)`): touches no global, no other module.
      const e = statement.expression;
      const own =
        ts.isBinaryExpression(e) &&
        e.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(e.left) &&
        ts.isIdentifier(e.left.expression) &&
        localFunctions.has(e.left.expression.text);
      if (!own) found.push(at(statement));
      else visit(e.right, true);
      continue;
    }
    visit(statement, false);
  }
  return found;
}

function isStatic(node: ts.Node): boolean {
  return ts.isClassStaticBlockDeclaration(node) || (ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.StaticKeyword));
}

describe('no work at import time', () => {
  it('covers the source tree (so the check below can fail)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files).toContain('_internal/sha2.ts');
  });

  it.each(files)('%s has no top-level new, call or effectful statement', (file) => {
    expect(importTimeWork(file, readFileSync(join(src, file), 'utf8'))).toEqual([]);
  });

  it.each([
    ['a top-level TextEncoder', 'const utf8 = new TextEncoder();', 1],
    ['a top-level call', 'const t = lookup(STD);\nfunction lookup(s: string) { return s; }', 1],
    ['a statement', "globalThis.x = 1;", 1],
    ['a static class field', 'class A { static t = new Int32Array(4); }', 1],
    ['allocation inside a function', 'const f = () => new TextEncoder();\nfunction g() { return lookup(); }', 0],
    ['a pure-marked call', 'const s = /* @__PURE__ */ Symbol.for("x");', 0],
    ['an instance field', 'class A { m = new Map(); }', 0],
    ["a static member of the module's own function", 'function f() {}\nf.schema = sql("t");\nfunction sql(t: string) { return t; }', 0],
  ])('flags %s as it should', (_, code, count) => {
    expect(importTimeWork('probe.ts', code)).toHaveLength(count);
  });
});
