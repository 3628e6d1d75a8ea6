// The conformance suite on bun:sqlite: run by sqlite-drivers.test.ts with `bun test`, whose runner
// serves the suite's `vitest` imports (describe/it/expect/hooks) from bun:test.
import { expect, it } from 'vitest';
import type { SqliteDatabase } from '../../../src/stores/sqlite.js';
import { sqliteConformanceRuns } from '../../support/sqlite-conformance-runs.js';
import { runtimeName } from './runtime-name.js';

interface BunDatabase extends SqliteDatabase {
  close(): void;
}
const sqliteModule = 'bun:sqlite';
const { Database } = (await import(sqliteModule)) as { Database: new (file: string) => BunDatabase };

// The parent test checks this title: proof of which runtime and SQLite actually ran the suite.
const probe = new Database(':memory:');
const sqliteVersion = (probe.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
probe.close();
it(`runs on ${runtimeName()} with bun:sqlite (SQLite ${sqliteVersion})`, () => {
  expect(typeof Database).toBe('function');
});

sqliteConformanceRuns('bun:sqlite', (file) => {
  const db = new Database(file);
  db.exec('PRAGMA busy_timeout = 10000');
  db.exec('PRAGMA journal_mode = WAL');
  return { db, close: () => db.close() };
});
