#!/usr/bin/env node
// `npm run lint` (after `npm run build`): lints the package as it will be published — the tarball
// from `npm pack` — with publint (package.json fields, exports map, files) and
// @arethetypeswrong/cli (types resolve for every subpath under node16 CJS, node16 ESM and
// bundler resolution, and node10 through typesVersions). Works offline. Exits 1 on any publint message or attw problem.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mfakit-lint-'));
let failed = false;

try {
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--offline', '--pack-destination', dir], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const tarball = join(dir, packed[0].filename);
  console.log(`packed ${packed[0].filename}: ${packed[0].entryCount} files, ${packed[0].size} B`);

  // publint on the tarball's contents.
  const bytes = readFileSync(tarball);
  const { messages, pkg } = await publint({
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
    level: 'suggestion',
    strict: true,
  });
  if (messages.length === 0) console.log('publint: clean');
  for (const message of messages) {
    failed = true;
    console.error(`publint ${message.type}: ${formatMessage(message, pkg) ?? message.code}`);
  }

  // attw: node10 (through typesVersions), node16 (CJS and ESM) and bundler resolution for every
  // entry point in "exports".
  const attw = spawnSync(
    join(root, 'node_modules', '.bin', 'attw'),
    [tarball, '--format', 'table', '--no-color', '--no-emoji'],
    { cwd: dir, encoding: 'utf8' },
  );
  process.stdout.write(attw.stdout);
  process.stderr.write(attw.stderr);
  if (attw.status !== 0) {
    failed = true;
    console.error('attw: problems found (see above)');
  } else console.log('attw: clean (node10, node16 CJS, node16 ESM, bundler)');
} finally {
  rmSync(dir, { recursive: true, force: true });
}

process.exit(failed ? 1 : 0);
