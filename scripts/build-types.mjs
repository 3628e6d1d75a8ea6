#!/usr/bin/env node
// After `tsc -p tsconfig.build.json` wrote one dist/**/*.d.ts per source module: writes the .d.cts
// twin of each, with relative specifiers pointing at '.cjs' so TypeScript under node16/nodenext
// resolves a CommonJS consumer's whole type graph to the CommonJS declarations (the same graph
// dist/**/*.cjs follows at run time), never to the ESM .d.ts files.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const relative = /((?:from|import)\s*\(?\s*['"])(\.\.?\/[^'"]*?)\.js(['"])/g;

let count = 0;
for (const file of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
  if (!file.endsWith('.d.ts')) continue;
  const source = readFileSync(join(dist, file), 'utf8');
  writeFileSync(join(dist, file.replace(/\.d\.ts$/, '.d.cts')), source.replace(relative, '$1$2.cjs$3'));
  count++;
}
console.log(`build-types: ${count} .d.cts files`);
