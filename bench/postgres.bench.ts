// verifyLogin through postgresStore on a throwaway PostgreSQL cluster (test/support/postgres-server.ts,
// fsync ON, synchronous_commit ON: every successful login waits for its WAL flush) or on
// MFAKIT_PG_URL: the whole service path (SELECT → transition with a TOTP ±1 check → compare-and-set
// UPDATE, committed → events), with 1 caller and with 16 concurrent callers, for a pg Pool (16
// connections) and postgres.js (16 connections), with the store's default batching (calls started
// in one event-loop turn share a statement and a commit). A second cluster with fsync OFF shows
// what the adapter costs when the disk is out of the picture. 10 000 enrolled users, round robin;
// every call uses a fresh valid code (the fake clock moves one step each time the users wrap
// around), so every login succeeds and writes.
// Sustained lines (bench/_sustained.ts: 16 independent callers) come first; the mitata rows run 16
// verifies per iteration in lock-step (divide the time by 16).
// Run: `npm run bench -- postgres`. Read verifies/s as 1e9 / avg(ns) (× 16 for the concurrent rows).
import { enrolledService, roundRobinVerify, sixteen } from './_enrolled.js';
import { bench, do_not_optimize, group, summary } from 'mitata';
import pg from 'pg';
import postgres from 'postgres';
import { postgresJsClient, postgresStore, type PostgresClient } from '../src/stores/postgres.js';
import { startPostgres } from '../test/support/postgres-server.js';
import { sustained } from './_sustained.js';

const USERS = 10_000;

const server = await startPostgres({ durable: true });
const pool = new pg.Pool({ connectionString: server.url, max: 16 });
pool.on('error', () => {});
const sql = postgres(server.url, { max: 16, onnotice: () => {} });
const fastServer = await startPostgres({ durable: false });
const fastPool = new pg.Pool({ connectionString: fastServer.url, max: 16 });
fastPool.on('error', () => {});

async function setup(client: PostgresClient, table: string, admin: pg.Pool = pool) {
  const store = postgresStore({ client, table });
  await store.migrate();
  await admin.query(`TRUNCATE ${store.table}`);
  const enrolled = await enrolledService(store, 'postgres.bench');
  // Every other user is a copy of user-0's record (same secret) under its own id.
  await admin.query(
    `INSERT INTO ${store.table} (id, version, record)
     SELECT 'user-' || g, version, jsonb_set(record, '{userId}', to_jsonb('user-' || g)) FROM ${store.table}, generate_series(1, $1::int) g
     WHERE id = 'user-0'`,
    [USERS - 1],
  );
  await admin.query(`VACUUM ANALYZE ${store.table}`);
  return { verifyNext: roundRobinVerify(enrolled, USERS, 'postgres.bench') };
}

const viaPg = await setup(pool, 'bench_pg');
const viaJs = await setup(postgresJsClient(sql), 'bench_js');
const viaFast = await setup(fastPool, 'bench_fast', fastPool);

// Self-check: logins succeed (verifyNext throws otherwise), including 16 at once.
for (const s of [viaPg, viaJs, viaFast]) await Promise.all(Array.from({ length: 16 }, s.verifyNext));

// For comparison: the same two round trips per login (SELECT the record, UPDATE it by id) straight
// through the driver, without mfakit and without batching: what an unbatched adapter pays.
let rawNext = 0;
const rawRecord = JSON.stringify((await postgresStore({ client: fastPool, table: 'bench_fast' }).get('user-0'))!);
const rawPair = async (): Promise<unknown> => {
  const id = `user-${rawNext++ % USERS}`;
  await fastPool.query('SELECT record, version FROM "bench_fast" WHERE id = $1', [id]);
  return fastPool.query('UPDATE "bench_fast" SET record = $2::text::jsonb, updated_at = now() WHERE id = $1', [id, rawRecord]);
};

for (const [label, s] of [['pg Pool, fsync on', viaPg], ['postgres.js, fsync on', viaJs], ['pg Pool, fsync off', viaFast]] as const) {
  // 3 s after a 3 s warm-up: the first passes over the 10^4 rows after set-up run slower (first
  // HOT updates on each page, pruning), and a server's figure is the steady state.
  for (const callers of [1, 16]) await sustained(`postgres verifyLogin sustained, ${label}, ${callers} caller${callers > 1 ? 's' : ''}`, s.verifyNext, callers, 3, 3);
}

summary(() => {
  group('postgres verifyLogin (PostgreSQL, fsync on, valid code, commits a write; 10^4 users)', () => {
    bench('pg Pool, 1 caller', async () => do_not_optimize(await viaPg.verifyNext()));
    bench('pg Pool, 16 concurrent callers (÷16 per verify)', async () => do_not_optimize(await sixteen(viaPg.verifyNext)()));
    bench('postgres.js, 1 caller', async () => do_not_optimize(await viaJs.verifyNext()));
    bench('postgres.js, 16 concurrent callers (÷16 per verify)', async () => do_not_optimize(await sixteen(viaJs.verifyNext)()));
  });
  group('postgres verifyLogin, fsync OFF (adapter + driver cost without the disk)', () => {
    bench('pg Pool, fsync off, 1 caller', async () => do_not_optimize(await viaFast.verifyNext()));
    bench('pg Pool, fsync off, 16 concurrent callers (÷16 per verify)', async () => do_not_optimize(await sixteen(viaFast.verifyNext)()));
    bench('unbatched raw SELECT + UPDATE via pg, no mfakit, 16 concurrent (÷16)', async () => do_not_optimize(await sixteen(rawPair)()));
  });
});

export async function teardown(): Promise<void> {
  await pool.end();
  await fastPool.end();
  await sql.end({ timeout: 1 });
  await server.dispose();
  await fastServer.dispose();
}
