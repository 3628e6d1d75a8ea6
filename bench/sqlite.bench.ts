// verifyLogin through sqliteStore on a better-sqlite3 file database in WAL mode: the whole service
// path (get → transition with a TOTP ±1 check → compare-and-set UPDATE, committed → events), with
// 1 caller and with 16 concurrent callers (Promise.all of 16 verifies per iteration: divide the
// time by 16). 10 000 enrolled users, round robin; every call uses a fresh valid code (the fake
// clock moves one step each time the users wrap around), so every login succeeds and writes.
// `synchronous = NORMAL` is better-sqlite3's default for WAL files (durable across process crashes);
// `FULL` adds an fsync per commit (durable across power loss), so it measures the disk.
// Run: `npm run bench -- sqlite`. Read verifies/s as 1e9 / avg(ns) (× 16 for the concurrent rows);
// a sustained-throughput line per row is printed first.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { bench, do_not_optimize, group, summary } from 'mitata';
import type { StoredRecord } from '../src/index.js';
import { sqliteStore } from '../src/stores/sqlite.js';
import { sustained } from './_sustained.js';
import { enrolledService, roundRobinVerify, sixteen } from './_enrolled.js';

const USERS = 10_000;
const dir = mkdtempSync(join(tmpdir(), 'mfakit-sqlite-bench-'));
const dbs: Database.Database[] = [];

async function setup(synchronous: 'NORMAL' | 'FULL') {
  const db = new Database(join(dir, `${synchronous}.db`));
  dbs.push(db);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  const store = sqliteStore({ client: db, migrate: true });
  const enrolled = await enrolledService(store, 'sqlite.bench');
  // Every other user is a copy of user-0's record (same secret) under its own id, in one transaction.
  const { template } = enrolled;
  const insert = db.prepare('INSERT INTO mfa_records (id, version, data) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (let i = 1; i < USERS; i++) {
      const record = { ...structuredClone(template), userId: `user-${i}` } as StoredRecord;
      insert.run(`user-${i}`, record.version, JSON.stringify(record));
    }
  })();
  return { verifyNext: roundRobinVerify(enrolled, USERS, 'sqlite.bench') };
}

const normal = await setup('NORMAL');
const full = await setup('FULL');

// Self-check: logins succeed (verifyNext throws otherwise), including 16 at once.
for (const s of [normal, full]) await Promise.all(Array.from({ length: 16 }, s.verifyNext));

for (const [label, s] of [['synchronous=NORMAL', normal], ['synchronous=FULL', full]] as const) {
  for (const callers of [1, 16]) await sustained(`sqlite verifyLogin sustained, ${label}, ${callers} caller${callers > 1 ? 's' : ''}`, s.verifyNext, callers);
}

summary(() => {
  group('sqlite verifyLogin (file, WAL, valid code, commits a write; 10^4 users)', () => {
    bench('synchronous=NORMAL, 1 caller', async () => do_not_optimize(await normal.verifyNext()));
    bench('synchronous=NORMAL, 16 concurrent callers (÷16 per verify)', async () =>
      do_not_optimize(await sixteen(normal.verifyNext)()),
    );
    bench('synchronous=FULL, 1 caller', async () => do_not_optimize(await full.verifyNext()));
    bench('synchronous=FULL, 16 concurrent callers (÷16 per verify)', async () =>
      do_not_optimize(await sixteen(full.verifyNext)()),
    );
  });
});

export function teardown(): void {
  for (const db of dbs) db.close();
  rmSync(dir, { recursive: true, force: true });
}
