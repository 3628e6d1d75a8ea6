// Harness adapter 'postgres': postgresStore on a pg Pool. conn: { url, table, prepare? } (prepare
// 'false' turns named prepared statements off, as behind PgBouncer in transaction mode).
import pg from 'pg';
import { postgresStore } from '../../../src/stores/postgres.js';
import type { HarnessConnection, OpenedStore } from '../mp-common.js';

/** application_name of child connections, so the parent can find (and crash) their backends. */
export const CHILD_APPLICATION_NAME = 'mfakit-harness-child';

export async function open(conn: HarnessConnection, role: 'parent' | 'child'): Promise<OpenedStore> {
  const pool = new pg.Pool({
    connectionString: conn.url,
    max: role === 'child' ? 2 : 4,
    application_name: role === 'child' ? CHILD_APPLICATION_NAME : 'mfakit-harness-parent',
  });
  pool.on('error', () => {}); // connections the test kills on purpose
  const store = postgresStore({ client: pool, table: conn.table!, ...(conn.prepare === undefined ? {} : { prepare: conn.prepare === 'true' }) });
  await store.migrate();
  return { store, close: () => pool.end() };
}
