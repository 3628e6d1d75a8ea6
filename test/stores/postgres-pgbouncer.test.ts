// postgresStore behind PgBouncer in transaction pooling (pool_mode = transaction): every
// transaction may run on another server connection, so session state (named prepared statements,
// SET, advisory locks, temporary tables) does not survive between statements. The store keeps none
// with `prepare: false`: the conformance suite (including the 64-way races) and the cross-process
// races pass through the pooler. With named statements (`prepare`, the default for a pg Pool),
// PgBouncer before 1.21 breaks the store; 1.21+ works only with `max_prepared_statements`.
import pg from 'pg';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { isMfaError } from '../../src/errors.js';
import { postgresJsClient, postgresStore } from '../../src/stores/postgres.js';
import { runStoreConformance } from '../../src/testing/index.js';
import { pgbouncerAvailability, startPgBouncer } from '../support/pgbouncer-server.js';
import { postgresAvailability, startPostgres } from '../support/postgres-server.js';
import { raceSameRecoveryCode, raceSameTotpCode } from '../support/race-checks.js';
import { skipUnless, uniqueSuffix } from '../support/services.js';
import { storeGroupsOnly } from '../support/store-groups.js';
import type { HarnessTarget } from '../support/multiprocess.js';

const skip =
  skipUnless('PostgreSQL behind PgBouncer', postgresAvailability()) || skipUnless('PostgreSQL behind PgBouncer', pgbouncerAvailability());
const server = skip ? null : await startPostgres();
const bouncer = server ? await startPgBouncer(server.url, { poolMode: 'transaction', poolSize: 4 }) : null;
const direct = server ? new pg.Pool({ connectionString: server.url, max: 2 }) : null;
// More client connections than the pooler has server connections: transactions really move.
const pooled = bouncer ? new pg.Pool({ connectionString: bouncer.url, max: 16 }) : null;
pooled?.on('error', () => {});
// postgres.js names its prepared statements too: `prepare: false` behind transaction pooling.
const sql = bouncer ? postgres(bouncer.url, { max: 8, prepare: false, onnotice: () => {} }) : null;
direct?.on('error', () => {});
const tables: string[] = [];

afterAll(async () => {
  if (direct) for (const t of tables) await direct.query(`DROP TABLE IF EXISTS "${t}"`).catch(() => {});
  await pooled?.end().catch(() => {});
  await sql?.end({ timeout: 1 }).catch(() => {});
  await direct?.end().catch(() => {});
  await bouncer?.dispose();
  await server?.dispose();
});

function freshTable(): string {
  const table = `mfa_pgb_${uniqueSuffix()}`;
  tables.push(table);
  return table;
}

describe.skipIf(skip)('postgresStore through PgBouncer (transaction pooling)', () => {
  it(`PgBouncer ${bouncer?.version.join('.')} pools by transaction: one client's statements run on several server connections`, async () => {
    const c = new pg.Client({ connectionString: bouncer!.url });
    const busy = new pg.Client({ connectionString: bouncer!.url });
    await c.connect();
    await busy.connect();
    const pid = async (client: pg.Client): Promise<number> => ((await client.query('SELECT pg_backend_pid() AS pid')).rows[0] as { pid: number }).pid;
    // The other client opens a transaction: it gets an idle server connection (PgBouncer reuses
    // the one c just released first) and holds it, so c's next statement runs on another one. In
    // session mode c keeps its server connection for its whole session, so this never happens
    // (checked: with pool_mode = session this test fails).
    let moved = false;
    for (let attempt = 0; attempt < 5 && !moved; attempt++) {
      const first = await pid(c);
      await busy.query('BEGIN');
      const held = await pid(busy);
      const second = await pid(c);
      await busy.query('COMMIT');
      moved = held === first && second !== first;
    }
    await busy.end();
    await c.end();
    expect(moved).toBe(true);
  });

  runStoreConformance('postgresStore (pg Pool → PgBouncer transaction pooling, prepare: false)', async () => {
    const store = postgresStore({ client: pooled!, table: freshTable(), prepare: false });
    await store.migrate();
    return { store };
  });

  runStoreConformance(
    'postgresStore (pg Pool → PgBouncer transaction pooling, prepare: false, batch: false)',
    async () => {
      const store = postgresStore({ client: pooled!, table: freshTable(), prepare: false, batch: false, migrate: true });
      return { store };
    },
    { skip: { lifecycle: 'runs in the batched run above', 'encrypted-secrets': 'runs in the batched run above' } },
  );

  runStoreConformance(
    'postgresStore (postgres.js { prepare: false } → PgBouncer transaction pooling)',
    async () => ({ store: postgresStore({ client: postgresJsClient(sql!), table: freshTable(), migrate: true }) }),
    storeGroupsOnly('postgresStore (pg Pool → PgBouncer transaction pooling, prepare: false)'),
  );

  const target = (): HarnessTarget => ({ adapter: 'postgres', conn: { url: bouncer!.url, table: freshTable(), prepare: 'false' } });

  it('8 processes through the pooler verify the same TOTP code at once: exactly one success', async () => {
    await raceSameTotpCode(target(), `pgb-race-totp-${uniqueSuffix()}`);
  }, 180_000);

  it('8 processes through the pooler spend the same recovery code at once: exactly one success', async () => {
    await raceSameRecoveryCode(target(), `pgb-race-rc-${uniqueSuffix()}`);
  }, 180_000);

  it('named prepared statements (prepare: true): break before PgBouncer 1.21, work on 1.21+ with max_prepared_statements', async () => {
    const modern = bouncer!.version[0] > 1 || bouncer!.version[1] >= 21;
    const via = modern ? await startPgBouncer(server!.url, { poolMode: 'transaction', poolSize: 4, maxPreparedStatements: 100 }) : bouncer!;
    const table = freshTable();
    await postgresStore({ client: direct!, table }).migrate();
    // Two client connections through one pooler: the second prepares the same statement name on
    // the server connection the first left it on ("already exists", 42P05), or a client binds a
    // statement its current server connection never saw ("does not exist", 26000).
    const a = new pg.Client({ connectionString: via.url });
    const b = new pg.Client({ connectionString: via.url });
    for (const c of [a, b]) {
      c.on('error', () => {});
      await c.connect();
    }
    const failures: unknown[] = [];
    for (let round = 0; round < 4; round++) {
      for (const c of [a, b]) {
        const store = postgresStore({ client: c, table, prepare: true, batch: false });
        await store.compareAndSet(`u${round}`, null, { version: 1 }).catch((err: unknown) => failures.push(err));
        await store.get(`u${round}`).catch((err: unknown) => failures.push(err));
      }
    }
    await a.end();
    await b.end();
    if (via !== bouncer) await via.dispose();
    if (modern) {
      expect(failures).toEqual([]);
    } else {
      expect(failures.length).toBeGreaterThan(0);
      for (const err of failures) {
        expect(isMfaError(err, 'STORE_UNAVAILABLE')).toBe(true);
        expect(['42P05', '26000']).toContain((err as { cause?: { code?: string } }).cause?.code);
      }
    }
  });
});
