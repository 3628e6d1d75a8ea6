// postgresStore next to a PostgreSQL hot standby (streaming replication, pg_basebackup -R). The
// store sends every call — reads included — to the one client it is given, and a compare-and-set
// is decided by the server that runs the UPDATE; so the rule is: give it a pool that reaches the
// primary only. What these tests show:
// - misconfigured with a pool to the standby, every write is refused: STORE_UNAVAILABLE whose
//   message says the server is read-only, never `true`; a login through it is never ok;
// - while the standby lags (replay paused), it serves a stale record; the store on the primary
//   reads the fresh one, and a compare-and-set made from the stale version loses (false), so even
//   a read/write-splitting pool (SELECTs to the standby) cannot accept a TOTP code twice — it fails
//   closed with CONFLICT until the standby catches up;
// - a postgres.js multi-host URL with target_session_attrs=primary lists the standby first and
//   still runs every call, and the compare-and-set race, on the primary.
import pg from 'pg';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { MfaError } from '../../src/errors.js';
import { postgresJsClient, postgresStore, type PostgresClient } from '../../src/stores/postgres.js';
import { rejection } from '../support/rejection.js';
import { codeAt, enrol, FakeClock, harnessMfa, timeOfStep } from '../support/mp-common.js';
import { postgresAvailability, postgresIsManaged, startPostgres, startStandby } from '../support/postgres-server.js';
import { skipUnless, uniqueSuffix, waitFor } from '../support/services.js';

const skip = skipUnless('PostgreSQL hot standby', postgresAvailability()) || !postgresIsManaged();
const primary = skip ? null : await startPostgres();
const standby = primary ? await startStandby(primary) : null;
const primaryPool = primary ? new pg.Pool({ connectionString: primary.url, max: 4 }) : null;
const standbyPool = standby ? new pg.Pool({ connectionString: standby.url, max: 4 }) : null;

afterAll(async () => {
  await primaryPool?.end().catch(() => {});
  await standbyPool?.end().catch(() => {});
  await standby?.dispose();
  await primary?.dispose();
});

/** A table made on the primary and replayed on the standby. */
async function replicatedTable(): Promise<string> {
  const table = `mfa_sb_${uniqueSuffix()}`;
  await postgresStore({ client: primaryPool!, table }).migrate();
  await waitFor('the table on the standby', async () => (await standbyPool!.query(`SELECT to_regclass($1) AS t`, [table])).rows[0].t !== null);
  return table;
}

/** Waits until the standby has replayed everything the primary has written so far. */
async function caughtUp(): Promise<void> {
  const lsn = (await primaryPool!.query('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn as string;
  await waitFor('the standby to replay', async () => {
    const r = await standbyPool!.query('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [lsn]);
    return r.rows[0].ok === true;
  });
}

/** What a read/write-splitting pool does: SELECTs to one server, everything else to another. */
function splitting(reads: PostgresClient, writes: PostgresClient): PostgresClient {
  return { query: (text, values) => (/^\s*SELECT/i.test(text) ? reads : writes).query(text, values) };
}

describe.skipIf(skip)('postgresStore and a hot standby', () => {
  it('the standby is a standby: in recovery, replicating from the primary', async () => {
    expect((await standbyPool!.query('SELECT pg_is_in_recovery() AS r')).rows[0].r).toBe(true);
    expect((await primaryPool!.query('SELECT count(*)::int AS n FROM pg_stat_replication')).rows[0].n).toBe(1);
  });

  it.each([true, false])('misconfigured with a pool to the standby (batch %s): every write is STORE_UNAVAILABLE naming the read-only server', async (batch) => {
    const table = await replicatedTable();
    await postgresStore({ client: primaryPool!, table }).compareAndSet('alice', null, { version: 1 });
    await caughtUp();
    const store = postgresStore({ client: standbyPool!, table, batch });
    expect(await store.get('alice')).toEqual({ version: 1 }); // reads work, which is what makes it easy to miss
    const writes = [() => store.compareAndSet('alice', 1, { version: 2 }), () => store.compareAndSet('bob', null, { version: 1 }), () => store.delete('alice')];
    for (const write of writes) {
      const err = await rejection(write());
      expect(err).toBeInstanceOf(MfaError);
      expect(err.code).toBe('STORE_UNAVAILABLE');
      expect(err.message).toMatch(/read-only.*hot standby.*pool to the primary/);
      expect((err.cause as { code?: string }).code).toBe('25006');
    }
    const migrate = await rejection(store.migrate());
    expect(migrate.code).toBe('STORE_UNAVAILABLE');
    expect(await postgresStore({ client: primaryPool!, table }).get('alice')).toEqual({ version: 1 });
  });

  it('a login through a store on the standby is never ok: STORE_UNAVAILABLE, and the code stays unspent', async () => {
    const table = await replicatedTable();
    const clock = new FakeClock();
    const user = await enrol(harnessMfa(postgresStore({ client: primaryPool!, table }), clock), clock, 'alice', 1_000_000);
    await caughtUp();
    clock.set(timeOfStep(1_000_001));
    const err = await rejection(harnessMfa(postgresStore({ client: standbyPool!, table }), clock).verifyLogin('alice', codeAt(user.secret, 1_000_001)));
    expect(err.code).toBe('STORE_UNAVAILABLE');
    const onPrimary = harnessMfa(postgresStore({ client: primaryPool!, table }), clock);
    expect(await onPrimary.verifyLogin('alice', codeAt(user.secret, 1_000_001))).toMatchObject({ ok: true });
  });

  it('while the standby lags, it serves a stale record; the primary-only store reads fresh and a stale compare-and-set loses', async () => {
    const table = await replicatedTable();
    const store = postgresStore({ client: primaryPool!, table });
    await store.compareAndSet('alice', null, { version: 1, n: 1 });
    await caughtUp();
    await standbyPool!.query('SELECT pg_wal_replay_pause()');
    try {
      expect(await store.compareAndSet('alice', 1, { version: 2, n: 2 })).toBe(true);
      const stale = postgresStore({ client: standbyPool!, table });
      expect(await stale.get('alice')).toEqual({ version: 1, n: 1 }); // the hazard
      expect(await store.get('alice')).toEqual({ version: 2, n: 2 });
      // A writer that read from the standby passes version 1: it loses, nothing is overwritten.
      expect(await store.compareAndSet('alice', 1, { version: 2, n: 99 })).toBe(false);
      expect(await store.get('alice')).toEqual({ version: 2, n: 2 });
    } finally {
      await standbyPool!.query('SELECT pg_wal_replay_resume()');
    }
  });

  it('a read/write-splitting pool cannot accept a TOTP code twice while the standby lags: it fails closed with CONFLICT', async () => {
    const table = await replicatedTable();
    const clock = new FakeClock();
    const direct = harnessMfa(postgresStore({ client: primaryPool!, table }), clock);
    const user = await enrol(direct, clock, 'alice', 1_000_000);
    await caughtUp();
    await standbyPool!.query('SELECT pg_wal_replay_pause()');
    try {
      clock.set(timeOfStep(1_000_001));
      const code = codeAt(user.secret, 1_000_001);
      expect(await direct.verifyLogin('alice', code)).toMatchObject({ ok: true });
      // The standby still shows the code unspent; every compare-and-set from that view loses.
      const split = createSplit(table, clock);
      const err = await rejection(split.verifyLogin('alice', code));
      expect(err.code).toBe('CONFLICT');
    } finally {
      await standbyPool!.query('SELECT pg_wal_replay_resume()');
    }
    await caughtUp();
    // Caught up, the split pool sees the spent step and answers as the primary would.
    expect(await createSplit(table, clock).verifyLogin('alice', codeAt(user.secret, 1_000_001))).toMatchObject({ ok: false, reason: 'replayed' });
  });

  it('postgres.js with target_session_attrs=primary over both hosts (standby listed first) runs every call on the primary', async () => {
    const table = await replicatedTable();
    const hosts = [standby!, primary!].map((s) => `127.0.0.1:${new URL(s.url).port}`).join(',');
    const sql = postgres(`postgres://postgres@${hosts}/postgres`, { target_session_attrs: 'primary', max: 4, onnotice: () => {} });
    try {
      const rows = await sql.unsafe('SELECT pg_is_in_recovery() AS r, inet_server_port() AS port');
      expect(rows[0]).toEqual({ r: false, port: Number(new URL(primary!.url).port) });
      const store = postgresStore({ client: postgresJsClient(sql), table });
      await store.compareAndSet('alice', null, { version: 1 });
      // 16 writers from the same version at once: exactly one wins, on the primary.
      const results = await Promise.all(Array.from({ length: 16 }, (_, i) => store.compareAndSet('alice', 1, { version: 2, by: i })));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(((await postgresStore({ client: primaryPool!, table }).get('alice')) as { version: number }).version).toBe(2);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});

function createSplit(table: string, clock: FakeClock) {
  const client = splitting(standbyPool!, primaryPool!);
  return harnessMfa(postgresStore({ client, table, batch: false }), clock);
}
