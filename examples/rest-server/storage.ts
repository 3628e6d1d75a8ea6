// Where the example keeps its state: the MFA records (mfakit's store) and one small table of its own,
// `api_key_index`, that maps an API key to its user (see api-keys.ts for why it is needed).
// PostgreSQL when DATABASE_URL is set, else SQLite through node:sqlite (built into Node ≥ 22.16).
import { postgresStore } from 'mfakit/postgres';
import { sqliteStore } from 'mfakit/sqlite';
import type { MfaStore } from 'mfakit';

/** The example's own table: SHA-256 of an API key → user id. */
export interface KeyIndex {
  put(keyHash: string, userId: string): Promise<void>;
  find(keyHash: string): Promise<string | null>;
  removeUser(userId: string): Promise<void>;
}

export interface Storage {
  readonly store: MfaStore;
  readonly keys: KeyIndex;
  readonly kind: 'postgres' | 'sqlite';
  close(): Promise<void>;
}

const INDEX_TABLE = 'api_key_index';

export async function openStorage(env: NodeJS.ProcessEnv): Promise<Storage> {
  if (env.DATABASE_URL) return openPostgres(env.DATABASE_URL);
  return openSqlite(env.SQLITE_FILE ?? 'mfa.db');
}

async function openPostgres(url: string): Promise<Storage> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url });
  const store = postgresStore({ client: pool });
  await store.migrate();
  await pool.query(`CREATE TABLE IF NOT EXISTS ${INDEX_TABLE} (key_hash text PRIMARY KEY, user_id text NOT NULL)`);
  return {
    store,
    kind: 'postgres',
    keys: {
      async put(keyHash, userId) {
        await pool.query(`INSERT INTO ${INDEX_TABLE} (key_hash, user_id) VALUES ($1, $2) ON CONFLICT (key_hash) DO NOTHING`, [keyHash, userId]);
      },
      async find(keyHash) {
        const { rows } = await pool.query(`SELECT user_id FROM ${INDEX_TABLE} WHERE key_hash = $1`, [keyHash]);
        return rows[0]?.user_id ?? null;
      },
      async removeUser(userId) {
        await pool.query(`DELETE FROM ${INDEX_TABLE} WHERE user_id = $1`, [userId]);
      },
    },
    close: () => pool.end(),
  };
}

async function openSqlite(file: string): Promise<Storage> {
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;');
  db.exec(`CREATE TABLE IF NOT EXISTS ${INDEX_TABLE} (key_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL)`);
  const put = db.prepare(`INSERT OR IGNORE INTO ${INDEX_TABLE} (key_hash, user_id) VALUES (?, ?)`);
  const find = db.prepare(`SELECT user_id FROM ${INDEX_TABLE} WHERE key_hash = ?`);
  const remove = db.prepare(`DELETE FROM ${INDEX_TABLE} WHERE user_id = ?`);
  const store = sqliteStore({ client: db });
  await store.migrate();
  return {
    store,
    kind: 'sqlite',
    keys: {
      async put(keyHash, userId) {
        put.run(keyHash, userId);
      },
      async find(keyHash) {
        const row = find.get(keyHash) as { user_id: string } | undefined;
        return row?.user_id ?? null;
      },
      async removeUser(userId) {
        remove.run(userId);
      },
    },
    close: async () => db.close(),
  };
}
