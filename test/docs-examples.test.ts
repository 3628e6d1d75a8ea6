// Every ```ts (and ```ts run) block in README.md and docs/*.md, and every TSDoc @example in src/, must type-check
// against the sources as a user would import them ('mfakit', 'mfakit/qr', ...), under both bundler and node16
// module resolution (a default import that only a bundler accepts fails the node16 run).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

interface Snippet {
  readonly where: string;
  readonly code: string;
}

function markdownSnippets(file: string): Snippet[] {
  const text = readFileSync(file, 'utf8');
  const out: Snippet[] = [];
  const re = /```ts(?: run)?\n([\s\S]*?)```/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const line = text.slice(0, m.index).split('\n').length;
    out.push({ where: `${relative(root, file)}:${line}`, code: m[1]! });
  }
  return out;
}

function tsdocSnippets(file: string): Snippet[] {
  const text = readFileSync(file, 'utf8');
  const out: Snippet[] = [];
  const re = /@example[^\n]*\n((?:\s*\*[^\n]*\n)*?)\s*\*\s*```ts\n((?:\s*\*[^\n]*\n)*?)\s*\*\s*```/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const code = m[2]!
      .split('\n')
      .map((l) => l.replace(/^\s*\* ?/, ''))
      .join('\n');
    const line = text.slice(0, m.index).split('\n').length;
    out.push({ where: `${relative(root, file)}:${line}`, code });
  }
  return out;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const docs = [join(root, 'README.md'), ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(root, 'docs', f))];
const snippets = [...docs.flatMap(markdownSnippets), ...walk(join(root, 'src')).flatMap(tsdocSnippets)];

type Resolution = 'bundler' | 'node16';

function typeErrors(all: readonly Snippet[], resolution: Resolution): Map<string, string[]> {
  const files = new Map<string, string>();
  all.forEach((s, i) => {
    // `export {}` makes each snippet a module, so top-level await and names stay local to it.
    files.set(join(root, `.snippets/s${i}.ts`), `${s.code}\nexport {};\n`);
  });
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    // bundler: what Vite/esbuild/webpack users get; node16: plain Node ESM (the snippet files are ES
    // modules through the repository's package.json "type": "module").
    module: resolution === 'bundler' ? ts.ModuleKind.ESNext : ts.ModuleKind.Node16,
    moduleResolution: resolution === 'bundler' ? ts.ModuleResolutionKind.Bundler : ts.ModuleResolutionKind.Node16,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
    baseUrl: root,
    paths: {
      mfakit: ['src/index.ts'],
      'mfakit/lifecycle': ['src/lifecycle/public.ts'],
      'mfakit/qr': ['src/qr/index.ts'],
      'mfakit/testing': ['src/testing/index.ts'],
      'mfakit/postgres': ['src/stores/postgres.ts'],
      'mfakit/sqlite': ['src/stores/sqlite.ts'],
      'mfakit/redis': ['src/stores/redis.ts'],
    },
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (f) => files.get(f) ?? readFile(f);
  host.fileExists = (f) => files.has(f) || fileExists(f);
  const program = ts.createProgram([...files.keys()], options, host);
  const errors = new Map<string, string[]>();
  for (const [file] of files) {
    const sf = program.getSourceFile(file)!;
    const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
    if (diags.length === 0) continue;
    const index = Number(/s(\d+)\.ts$/.exec(file)![1]);
    errors.set(
      all[index]!.where,
      diags.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
    );
  }
  return errors;
}

describe('documentation examples', () => {
  it.each(['bundler', 'node16'] as const)(`all ${snippets.length} examples type-check with moduleResolution %s`, (resolution) => {
    expect(snippets.length).toBeGreaterThan(20);
    const errors = typeErrors(snippets, resolution);
    expect(Object.fromEntries(errors)).toEqual({});
  });
});
