#!/usr/bin/env node
// `npm run size`: the bundle a browser app pays for "generate + verify TOTP" from mfakit.
// esbuild (bundle, minify, platform neutral, ESM) → gzip -9 → bytes. Fails above the budget.
// `node scripts/size.mjs --verbose` also prints what the bundle contains (esbuild metafile).
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const BUDGET = 3072;
const root = fileURLToPath(new URL('..', import.meta.url));
const verbose = process.argv.includes('--verbose');

/** Named entries: the headline one (budgeted) and a few others for context. */
const entries = {
  'totp generate + verify (SHA-1)': `
    import { totp, verifyTotp } from './src/index.ts';
    const secret = new Uint8Array(20);
    const code = totp(secret, { time: 59_000 });
    console.log(code, verifyTotp(secret, code, { time: 59_000 }));`,
  'same, with base32 string secret': `
    import { totp, verifyTotp } from './src/index.ts';
    const code = totp('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', { time: 59_000 });
    console.log(code, verifyTotp('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', code, { time: 59_000 }));`,
  'hotp + generateSecret + encodeBase32': `
    import { hotp, generateSecret, encodeBase32 } from './src/index.ts';
    const s = generateSecret();
    console.log(encodeBase32(s), hotp(s, 0));`,
};

/** Bundles one entry; returns { raw, gz, inputs }. */
async function measure(contents) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts', sourcefile: 'size-entry.ts' },
    bundle: true,
    minify: true,
    platform: 'neutral',
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const output = Object.values(result.metafile.outputs)[0];
  const inputs = Object.entries(output.inputs)
    .filter(([, v]) => v.bytesInOutput > 0)
    .map(([k, v]) => [k, v.bytesInOutput])
    .sort((a, b) => b[1] - a[1]);
  return { raw: code.length, gz: gzipSync(code, { level: 9 }).length, inputs };
}

let headline;
for (const [name, contents] of Object.entries(entries)) {
  const m = await measure(contents);
  headline ??= m.gz;
  console.log(`${name.padEnd(40)} ${String(m.raw).padStart(6)} B min  ${String(m.gz).padStart(6)} B min+gz`);
  if (verbose) for (const [file, bytes] of m.inputs) console.log(`    ${String(bytes).padStart(6)}  ${file}`);
}

if (headline > BUDGET) {
  console.error(`size: ${headline} B gz is over the ${BUDGET} B budget`);
  process.exit(1);
}
console.log(`size: ${headline} B gz, within the ${BUDGET} B budget`);
