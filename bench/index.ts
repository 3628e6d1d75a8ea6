// `npm run bench`: runs every bench/*.bench.ts in one process, side by side.
// Convention: a bench file registers mitata groups at import time (top-level await allowed for
// setup such as starting a database) and may export `teardown()` to stop what it started.
// `npm run bench -- otp recovery` runs only the files whose names contain one of the words.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { run } from 'mitata';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();

const teardowns: Array<() => Promise<void> | void> = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as { teardown?: () => Promise<void> | void };
  if (mod.teardown) teardowns.push(mod.teardown);
}
try {
  await run({ colors: false });
} finally {
  for (const t of teardowns) await t();
}
