// The conformance suite on node:sqlite's DatabaseSync: run by sqlite-drivers.test.ts under Node 22,
// Node 24 (vitest) and Deno (vitest under Deno). Not a *.test.ts file: Node 20 has no node:sqlite.
import { expect, it } from 'vitest';
import type { SqliteDatabase } from '../../../src/stores/sqlite.js';
import { sqliteConformanceRuns } from '../../support/sqlite-conformance-runs.js';
import { runtimeName } from './runtime-name.js';

interface DatabaseSync extends SqliteDatabase {
  close(): void;
}
// A computed specifier: the project's @types/node (20) does not know node:sqlite.
const sqliteModule = 'node:sqlite';
const { DatabaseSync } = (await import(sqliteModule)) as { DatabaseSync: new (file: string) => DatabaseSync };

// The parent test checks this title: proof of which runtime and SQLite actually ran the suite.
const probe = new DatabaseSync(':memory:');
const sqliteVersion = (probe.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
probe.close();
it(`runs on ${runtimeName()} with node:sqlite (SQLite ${sqliteVersion})`, () => {
  expect(typeof DatabaseSync).toBe('function');
});

sqliteConformanceRuns('node:sqlite', (file) => {
  const db = new DatabaseSync(file);
  db.exec('PRAGMA busy_timeout = 10000');
  db.exec('PRAGMA journal_mode = WAL');
  return { db, close: () => db.close() };
});
