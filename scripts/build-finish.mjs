#!/usr/bin/env node
// Last build step, after tsup (JavaScript) and `tsc -p tsconfig.build.json` (one dist/**/*.d.ts per
// source module):
//
// 1. Writes the .d.cts twin of each .d.ts, with relative specifiers pointing at '.cjs', so
//    TypeScript under node16/nodenext resolves a CommonJS consumer's whole type graph to the
//    CommonJS declarations (the same graph dist/**/*.cjs follows at run time).
// 2. Makes the CJS build share the ESM build's MfaError class: dist/errors.cjs is the ES module
//    dist/errors.js loaded through require(esm), so an error thrown by either build is an
//    `instanceof` the MfaError of the other (an app whose dependencies mix `import` and `require`).
//    The CJS build needs require(esm) anyway (Node >= 20.19, Bun, Deno): @noble/hashes 2 is
//    ESM-only. This costs ESM bundles nothing, unlike a Symbol.hasInstance brand on the class.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const relative = /((?:from|import|declare module)\s*\(?\s*['"])(\.\.?\/[^'"]*?)\.js(['"])/g;

let count = 0;
for (const file of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
  if (!file.endsWith('.d.ts')) continue;
  const source = readFileSync(join(dist, file), 'utf8');
  writeFileSync(join(dist, file.replace(/\.d\.ts$/, '.d.cts')), source.replace(relative, '$1$2.cjs$3'));
  count++;
}

writeFileSync(
  join(dist, 'errors.cjs'),
  `"use strict";
// One MfaError class for the ESM and the CJS build (require(esm)): see scripts/build-finish.mjs.
module.exports = require("./errors.js");
`,
);
console.log(`build-finish: ${count} .d.cts files; dist/errors.cjs shares the ESM MfaError`);
