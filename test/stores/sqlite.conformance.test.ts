// The exported MfaStore conformance suite on SQLite files in WAL mode: once through one
// connection, once spreading calls round-robin over four connections to the same file (so the
// lifecycle races really cross connections, as separate processes would).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import type { MfaStore } from '../../src/lifecycle/store.js';
import { sqliteStore } from '../../src/stores/sqlite.js';
import { runStoreConformance } from '../../src/testing/index.js';

const dir = mkdtempSync(join(tmpdir(), 'mfakit-sqlite-conformance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function open(file: string): Database.Database {
  const db = new Database(file, { timeout: 10_000 });
  db.pragma('journal_mode = WAL');
  return db;
}

runStoreConformance('sqliteStore (file, WAL)', () => {
  const db = open(join(dir, `one-${files++}.db`));
  return { store: sqliteStore({ db }), cleanup: () => void db.close() };
});

runStoreConformance('sqliteStore (file, WAL, 4 connections round-robin)', () => {
  const file = join(dir, `four-${files++}.db`);
  const dbs = Array.from({ length: 4 }, () => open(file));
  const stores = dbs.map((db) => sqliteStore({ db }));
  let next = 0;
  const pick = (): MfaStore => stores[next++ % stores.length]!;
  const store: MfaStore = {
    get: (id) => pick().get(id),
    compareAndSet: (id, expected, record) => pick().compareAndSet(id, expected, record),
    delete: (id) => pick().delete(id),
  };
  return { store, cleanup: () => dbs.forEach((db) => db.close()) };
});
