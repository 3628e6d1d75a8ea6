// The exported MfaStore conformance suite on better-sqlite3 (Node's native add-on); the same runs
// for node:sqlite and bun:sqlite are in sqlite-drivers.test.ts.
import Database from 'better-sqlite3';
import { sqliteConformanceRuns } from '../support/sqlite-conformance-runs.js';

sqliteConformanceRuns('better-sqlite3', (file) => {
  const db = new Database(file, { timeout: 10_000 });
  db.pragma('journal_mode = WAL');
  return { db, close: () => void db.close() };
});
