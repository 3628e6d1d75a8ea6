// Child process for test/stores/sqlite-cas.test.ts: plain compareAndSet against a shared file.
// argv: <file> <counter|insert|lockstep> <worker index> <count>.
// counter/insert: prints "ready", waits for "go" on stdin, then prints one JSON line with what it won.
// lockstep: obeys stdin lines "read" (get the counter, answer "read <version>") and "write" (CAS the
// version it read to the next one, answer "wrote true|false"), so the parent can make every
// process read the same version before any of them writes.
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { sqliteStore } from '../../src/stores/sqlite.js';

const [file, mode, indexArg, countArg] = process.argv.slice(2);
const worker = Number(indexArg);
const count = Number(countArg);
const db = new Database(file!, { timeout: 20_000 });
const store = sqliteStore({ client: db, migrate: true });

const lines = createInterface({ input: process.stdin });
if (mode === 'lockstep') {
  let read: { version: number } | null = null;
  process.stdout.write('ready\n');
  for await (const line of lines) {
    if (line === 'read') {
      read = (await store.get('counter')) as unknown as { version: number };
      process.stdout.write(`read ${read.version}\n`);
    } else if (line === 'write') {
      const ok = await store.compareAndSet('counter', read!.version, { version: read!.version + 1, by: worker });
      process.stdout.write(`wrote ${ok}\n`);
    } else break;
  }
  db.close();
  process.exit(0);
}
const go = new Promise<void>((resolve) => lines.once('line', () => resolve()));
process.stdout.write('ready\n');
await go;
lines.close();

const won: number[] = [];
let conflicts = 0;
if (mode === 'counter') {
  for (let i = 0; i < count; i++) {
    for (;;) {
      const current = (await store.get('counter')) as unknown as { version: number; count: number };
      const next = { version: current.version + 1, count: current.count + 1, by: worker };
      // Widen the window between read and write so other processes get in (a lost update would
      // show; here it must be a conflict instead).
      await new Promise((resolve) => setImmediate(resolve));
      if (await store.compareAndSet('counter', current.version, next)) {
        won.push(next.version);
        break;
      }
      conflicts++;
    }
  }
} else {
  for (let k = 0; k < count; k++) {
    if (await store.compareAndSet(`key-${k}`, null, { version: 1, owner: worker })) won.push(k);
  }
}
db.close();
process.stdout.write(`${JSON.stringify({ worker, won, conflicts })}\n`);
