// Where the example keeps its state: the MFA records (mfakit's store; `migrate()` also creates the
// lookup index that lets `verifyApiKey` find the owner of a Bearer key).
// PostgreSQL when DATABASE_URL is set, else SQLite through node:sqlite (built into Node ≥ 22.16).
import { postgresStore } from 'mfakit/postgres';
import { sqliteStore } from 'mfakit/sqlite';
import type { MfaStore } from 'mfakit';

export interface Storage {
  readonly store: MfaStore;
  readonly kind: 'postgres' | 'sqlite';
  close(): Promise<void>;
}

export async function openStorage(env: NodeJS.ProcessEnv): Promise<Storage> {
  if (env.DATABASE_URL) return openPostgres(env.DATABASE_URL);
  return openSqlite(env.SQLITE_FILE ?? 'mfa.db');
}

async function openPostgres(url: string): Promise<Storage> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url });
  const store = postgresStore({ client: pool });
  await store.migrate();
  return {
    store,
    kind: 'postgres',
    close: () => pool.end(),
  };
}

async function openSqlite(file: string): Promise<Storage> {
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;');
  const store = sqliteStore({ client: db });
  await store.migrate();
  return {
    store,
    kind: 'sqlite',
    close: async () => db.close(),
  };
}
