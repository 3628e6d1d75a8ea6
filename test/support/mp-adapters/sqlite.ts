// Harness adapter 'sqlite': sqliteStore on better-sqlite3, every process with its own connection
// to one database file. conn: { file, journal?: 'wal' | 'delete' (default 'wal') }.
// The parent opens first and sets the journal mode (it persists in the file); children only open.
import Database from 'better-sqlite3';
import { sqliteStore } from '../../../src/stores/sqlite.js';
import type { HarnessConnection, OpenedStore } from '../mp-common.js';

export async function open(conn: HarnessConnection, role: 'parent' | 'child'): Promise<OpenedStore> {
  const db = new Database(conn.file!, { timeout: 20_000 });
  if (role === 'parent') db.pragma(`journal_mode = ${conn.journal === 'delete' ? 'DELETE' : 'WAL'}`);
  const store = sqliteStore({ client: db, migrate: true });
  await store.migrate();
  return { store, close: async () => void db.close() };
}
