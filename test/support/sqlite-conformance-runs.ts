// The MfaStore conformance suite on SQLite files in WAL mode, for any driver: once through one
// connection, once spreading calls round-robin over four connections to the same file (so the
// lifecycle races really cross connections, as separate processes would). Used by the
// better-sqlite3 test under Node 20 and by the node:sqlite / bun:sqlite runs on Node 22/24, Deno
// and Bun (test/stores/sqlite-drivers/), so every driver runs exactly the same suite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { MfaLookupStore } from '../../src/lifecycle/store.js';
import { sqliteStore, type SqliteDatabase } from '../../src/stores/sqlite.js';
import { runStoreConformance } from '../../src/testing/index.js';

/** Opens a connection to `file` in WAL mode with a busy timeout; `close` closes it. */
export type OpenSqlite = (file: string) => { db: SqliteDatabase; close(): void };

export function sqliteConformanceRuns(driver: string, open: OpenSqlite): void {
  const dir = mkdtempSync(join(tmpdir(), 'mfakit-sqlite-conformance-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let files = 0;

  runStoreConformance(`sqliteStore (${driver}, file, WAL)`, () => {
    const { db, close } = open(join(dir, `one-${files++}.db`));
    return { store: sqliteStore({ client: db, migrate: true }), cleanup: close };
  });

  runStoreConformance(`sqliteStore (${driver}, file, WAL, 4 connections round-robin)`, () => {
    const file = join(dir, `four-${files++}.db`);
    const connections = Array.from({ length: 4 }, () => open(file));
    const stores = connections.map(({ db }) => sqliteStore({ client: db, migrate: true }));
    let next = 0;
    const pick = (): MfaLookupStore => stores[next++ % stores.length]!;
    const store: MfaLookupStore = {
      get: (id) => pick().get(id),
      compareAndSet: (id, expected, record) => pick().compareAndSet(id, expected, record),
      delete: (id) => pick().delete(id),
      // Another connection than the one that wrote: the index is in the same file, committed with the record.
      lookup: (key) => pick().lookup(key),
      list: (options) => pick().list!(options),
    };
    return { store, cleanup: () => connections.forEach((c) => c.close()) };
  });
}

/** A synchronous SQLite connection class of a runtime (node:sqlite's DatabaseSync, bun:sqlite's Database). */
export type SqliteConnectionClass = new (file: string) => SqliteDatabase & { close(): void };

/**
 * The suite on a runtime's built-in driver: a first test whose title names the runtime, the driver
 * and the SQLite version (the parent test checks it: proof of what actually ran), then
 * {@link sqliteConformanceRuns} with WAL connections and a busy timeout.
 */
export function builtInDriverConformance(driver: string, runtime: string, Connection: SqliteConnectionClass): void {
  const probe = new Connection(':memory:');
  const sqliteVersion = (probe.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  probe.close();
  it(`runs on ${runtime} with ${driver} (SQLite ${sqliteVersion})`, () => {
    expect(typeof Connection).toBe('function');
  });
  // node:sqlite's isTransaction throws on a closed connection (better-sqlite3's inTransaction does
  // not): the write is still STORE_UNAVAILABLE naming the call, not the driver's own error.
  it(`${driver}: a write on a closed connection is STORE_UNAVAILABLE naming the call`, async () => {
    const db = new Connection(':memory:');
    const store = sqliteStore({ client: db, migrate: true });
    expect(await store.compareAndSet('a', null, { version: 1 })).toBe(true);
    db.close();
    for (const [operation, call] of [
      ['compareAndSet', () => store.compareAndSet('a', 1, { version: 2 })],
      ['delete', () => store.delete('a')],
    ] as const) {
      await expect(call()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: `sqliteStore.${operation}: store unavailable` });
    }
  });
  sqliteConformanceRuns(driver, (file) => {
    const db = new Connection(file);
    db.exec('PRAGMA busy_timeout = 10000');
    db.exec('PRAGMA journal_mode = WAL');
    return { db, close: () => db.close() };
  });
}
