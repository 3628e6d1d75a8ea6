// postgresStore against real engines: a throwaway PostgreSQL 15 cluster (pg Pool, pg Client,
// postgres.js) and PGlite (in-process, always available). No mocks.
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { MfaError } from '../../src/errors.js';
import { postgresJsClient, postgresStore, type PostgresClient } from '../../src/stores/postgres.js';
import { runStoreConformance } from '../../src/testing/index.js';
import { startCutProxy } from '../support/cut-proxy.js';
import { codeAt, enrol, FakeClock, harnessMfa, timeOfStep } from '../support/mp-common.js';
import { postgresAvailability, postgresIsManaged, startPostgres } from '../support/postgres-server.js';
import { skipUnless, uniqueSuffix } from '../support/services.js';
import { rejection } from '../support/rejection.js';
import { storeGroupsOnly } from '../support/store-groups.js';
import { expectEveryOperationUnavailable } from '../support/unavailable.js';

const skip = skipUnless('PostgreSQL server tests of postgresStore', postgresAvailability());
const server = skip ? null : await startPostgres();
const pool = server ? new pg.Pool({ connectionString: server.url, max: 16 }) : null;
pool?.on('error', () => {}); // idle connections die when a test stops the server
const client = server ? new pg.Client({ connectionString: server.url }) : null;
const isolated = (level: string) => {
  const p = server ? new pg.Pool({ connectionString: server.url, max: 16, options: `-c default_transaction_isolation=${level.replace(' ', '\\ ')}` }) : null;
  p?.on('error', () => {});
  return p;
};
const serializablePool = isolated('serializable');
const repeatablePool = isolated('repeatable read');
await client?.connect();
client?.on('error', () => {});
const sql = server ? postgres(server.url, { max: 8, onnotice: () => {} }) : null;
// STORE_VARIANTS=main (set by the mutation runs of this store, mutation/areas.mjs): the conformance
// suite runs on the pg Pool store (batched, not batched, and under the stricter isolation levels)
// only, and no PGlite starts (seconds per run). The other runs judge drivers and PGlite through the
// same store code, at several times the cost per mutant.
const allVariants = process.env.STORE_VARIANTS !== 'main';
const lite = allVariants ? new PGlite() : null;
/** A client for the option tests, which never query it. */
const anyClient: PostgresClient = (lite ?? pool)!;
const tables: string[] = [];

afterAll(async () => {
  if (pool) for (const t of tables) await pool.query(`DROP TABLE IF EXISTS "${t}"`).catch(() => {});
  await client?.end().catch(() => {});
  await pool?.end().catch(() => {});
  await serializablePool?.end().catch(() => {});
  await repeatablePool?.end().catch(() => {});
  await sql?.end({ timeout: 1 }).catch(() => {});
  await lite?.close();
  await server?.dispose();
});

async function freshStore(c: PostgresClient) {
  const table = `mfa_t_${uniqueSuffix()}`;
  tables.push(table);
  const store = postgresStore({ client: c, table });
  await store.migrate();
  return store;
}

describe('postgresStore: options', () => {
  it.each([
    ['empty', ''],
    ['space', 'mfa records'],
    ['double quote', 'mfa"records'],
    ['injection', 'x; DROP TABLE y'],
    ['leading digit', '1records'],
    ['three parts', 'a.b.c'],
    ['empty part', 'auth.'],
    ['too long', 'a'.repeat(64)],
    ['dash', 'mfa-records'],
    ['not a string', 42],
  ])('rejects table name: %s', (_, table) => {
    expect(() => postgresStore({ client: anyClient, table: table as string })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it.each([
    ['plain', 'mfa_records', '"mfa_records"'],
    ['mixed case kept', 'MfaRecords', '"MfaRecords"'],
    ['schema-qualified', 'auth.mfa', '"auth"."mfa"'],
    ['63 characters', 'a'.repeat(63), `"${'a'.repeat(63)}"`],
  ])('accepts table name: %s', (_, table, quoted) => {
    expect(postgresStore({ client: anyClient, table }).table).toBe(quoted);
  });

  it('defaults to "mfa_records"', () => {
    expect(postgresStore({ client: anyClient }).table).toBe('"mfa_records"');
  });

  it.each([
    ['null', null],
    ['no query method', {}],
    ['a string', 'postgres://x'],
  ])('rejects client: %s', (_, c) => {
    expect(() => postgresStore({ client: c as unknown as PostgresClient })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('postgresJsClient rejects something that is not a postgres.js sql', () => {
    expect(() => postgresJsClient({} as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('docs/storage.md shows exactly the shipped schema', () => {
    const doc = readFileSync(new URL('../../docs/storage.md', import.meta.url), 'utf8');
    const sqlBlock = /```sql\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(sqlBlock).toBe(postgresStore.schema);
  });

  it('ships its schema: jsonb payload, bigint version, updated_at', () => {
    expect(postgresStore.schema).toContain('CREATE TABLE IF NOT EXISTS "mfa_records"');
    expect(postgresStore.schema).toMatch(/record jsonb NOT NULL/);
    expect(postgresStore.schema).toMatch(/version bigint NOT NULL/);
    expect(postgresStore.schema).toMatch(/updated_at timestamptz/);
  });
});

describe.skipIf(!allVariants)('postgresStore on PGlite', () => {
  it('migrate() is idempotent and the schema SQL runs as is', async () => {
    const db = new PGlite();
    await db.exec(postgresStore.schema);
    const store = postgresStore({ client: db });
    await store.migrate();
    await store.migrate();
    expect(await store.compareAndSet('a', null, { version: 1 })).toBe(true);
    await db.close();
  });

  it('a missing table is STORE_UNAVAILABLE with a hint and the driver error as cause', async () => {
    const store = postgresStore({ client: lite!, table: 'never_migrated' });
    const err = await rejection(store.get('a'));
    expect(err.code).toBe('STORE_UNAVAILABLE');
    expect(err.message).toBe(
      'postgresStore.get: store unavailable (table "never_migrated" does not exist: call store.migrate() or pass migrate: true)',
    );
    expect((err.cause as { code?: string }).code).toBe('42P01');
  });

  it('migrate: true creates the table before the first call (once, even for concurrent first calls)', async () => {
    const db = new PGlite();
    const texts: string[] = [];
    const counting: PostgresClient = {
      query: (text: string, values?: unknown[]) => {
        texts.push(text);
        return db.query(text, values) as Promise<{ rows: unknown[] }>;
      },
    };
    const store = postgresStore({ client: counting, migrate: true });
    expect(texts).toEqual([]);
    const created = await Promise.all([store.compareAndSet('a', null, { version: 1 }), store.get('b'), store.compareAndSet('c', null, { version: 1 })]);
    expect(created).toEqual([true, null, true]);
    await store.delete('c');
    expect(texts.filter((t) => t.startsWith('CREATE TABLE IF NOT EXISTS "mfa_records" ('))).toHaveLength(1);
    await db.close();
  });

  it('migrate: true retries a failed migration on the next call', async () => {
    const db = new PGlite();
    let refuse = true;
    const flaky: PostgresClient = {
      query: (text: string, values?: unknown[]) =>
        refuse && text.startsWith('CREATE TABLE')
          ? Promise.reject(Object.assign(new Error('connection lost'), { code: '08006' }))
          : (db.query(text, values) as Promise<{ rows: unknown[] }>),
    };
    const store = postgresStore({ client: flaky, migrate: true });
    const err = await rejection(store.get('a'));
    expect(err.message).toBe('postgresStore.migrate: store unavailable');
    refuse = false;
    expect(await store.compareAndSet('a', null, { version: 1 })).toBe(true);
    await db.close();
  });

  it('rejects a non-boolean migrate', () => {
    expect(() => postgresStore({ client: anyClient, migrate: 'yes' as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});
if (allVariants) runStoreConformance('postgresStore on PGlite', async () => ({ store: await freshStore(lite!) }));

describe.skipIf(skip)('postgresStore on PostgreSQL server', () => {
  runStoreConformance('postgresStore (pg Pool)', async () => ({ store: await freshStore(pool!) }));
  if (allVariants) runStoreConformance('postgresStore (postgres.js)', async () => ({ store: await freshStore(postgresJsClient(sql!)) }));
  // The same engine under other isolation levels and options: the store groups only (a pg Client
  // runs the whole suite in postgres-client.test.ts).
  const variant = (options: { client: PostgresClient; prepare?: boolean; batch?: boolean }) => async () => {
    const store = await freshStore(pool!);
    return { store: postgresStore({ ...options, table: store.table.slice(1, -1) }) };
  };
  const mainRun = 'postgresStore (pg Pool)';
  // Kept in the mutation runs: a concurrent writer under these levels is a serialization failure, the
  // one way a compare-and-set loses a race by an error rather than by matching no row.
  runStoreConformance('postgresStore (pg Pool, default_transaction_isolation = serializable)', variant({ client: serializablePool! }), storeGroupsOnly(mainRun));
  runStoreConformance('postgresStore (pg Pool, default_transaction_isolation = repeatable read)', variant({ client: repeatablePool! }), storeGroupsOnly(mainRun));
  if (allVariants) runStoreConformance('postgresStore (pg Pool, prepare: false)', variant({ client: pool!, prepare: false }), storeGroupsOnly(mainRun));
  runStoreConformance('postgresStore (pg Pool, batch: false)', variant({ client: pool!, batch: false }), storeGroupsOnly(mainRun));

  describe('list', () => {
    it('a table made by the earlier schema lists as it is; migrate() adds the ordering index, and pages use it', async () => {
      const table = `mfa_t_${uniqueSuffix()}`;
      tables.push(table);
      // The schema before list existed: no index in code point order.
      await pool!.query(`CREATE TABLE "${table}" (id text PRIMARY KEY, version bigint NOT NULL CHECK (version > 0), record jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now()) WITH (fillfactor = 70)`);
      const store = postgresStore({ client: pool!, table });
      for (const id of ['b', 'a', '\uE000', '😀', 'é']) await store.compareAndSet(id, null, { version: 1, id });
      const expected = ['a', 'b', 'é', '\uE000', '😀'];
      expect((await store.list({ limit: 10 })).entries.map((e) => e.id)).toEqual(expected);
      await store.migrate();
      await store.migrate();
      const { rows } = await pool!.query(`SELECT indexdef FROM pg_indexes WHERE tablename = $1`, [table]);
      expect(rows.map((r) => (r as { indexdef: string }).indexdef).join('\n')).toContain('COLLATE "C"');
      expect((await store.list({ limit: 2 })).entries.map((e) => e.id)).toEqual(expected.slice(0, 2));
      expect((await store.list({ after: 'b', limit: 10 })).entries.map((e) => e.id)).toEqual(expected.slice(2));
      // A page is an index range scan (enable_seqscan off: the planner must be able to use it).
      const client = await pool!.connect();
      try {
        await client.query('SET enable_seqscan = off');
        const plan = await client.query(`EXPLAIN SELECT id FROM "${table}" WHERE id COLLATE "C" > 'a' ORDER BY id COLLATE "C" LIMIT 3`);
        expect(JSON.stringify(plan.rows)).toContain('_id_c_order');
      } finally {
        client.release();
      }
    });
  });

  describe('batching', () => {
    /** The pool, counting the statements that reach it. */
    function counting() {
      const texts: string[] = [];
      const c: PostgresClient & { texts: string[] } = {
        texts,
        query: ((config: unknown, values?: unknown[]) => {
          texts.push(typeof config === 'string' ? config : (config as { text: string }).text);
          return (pool!.query as (c: unknown, v?: unknown[]) => Promise<{ rows: unknown[] }>)(config, values);
        }) as PostgresClient['query'],
      };
      return c;
    }

    it('calls started together share statements of up to 8 rows; a lone call uses the single-row one', async () => {
      const base = await freshStore(pool!);
      const c = counting();
      const store = postgresStore({ client: c, table: base.table.slice(1, -1), prepare: false });
      const ids = Array.from({ length: 16 }, (_, i) => `b${i}`);
      expect(await Promise.all(ids.map((id, i) => store.compareAndSet(id, null, { version: 1, i })))).toEqual(ids.map(() => true));
      expect(c.texts).toHaveLength(2);
      expect(c.texts[0]).toMatch(/^INSERT .*jsonb_to_recordset/s);
      c.texts.length = 0;
      const read = await Promise.all([...ids, 'missing', 'b3'].map((id) => store.get(id)));
      expect(read).toEqual([...ids.map((_, i) => ({ version: 1, i })), null, { version: 1, i: 3 }]);
      expect(read[3]).not.toBe(read[17]); // the same id read twice: two separate objects
      expect(c.texts).toHaveLength(3); // 18 reads: 8 + 8 + 2
      c.texts.length = 0;
      // half of the writes expect a stale version: exactly those lose
      const results = await Promise.all(ids.map((id, i) => store.compareAndSet(id, i % 2 === 0 ? 1 : 5, { version: 2, i })));
      expect(results).toEqual(ids.map((_, i) => i % 2 === 0));
      expect(c.texts).toHaveLength(2);
      expect(c.texts[0]).toMatch(/^WITH v AS .*FOR UPDATE/s);
      c.texts.length = 0;
      expect(await store.get('b0')).toEqual({ version: 2, i: 0 });
      expect(c.texts).toEqual([`SELECT record, version FROM ${store.table} WHERE id = $1`]);
    });

    it('a batch that fails rejects every call in it with STORE_UNAVAILABLE, and writes nothing', async () => {
      const base = await freshStore(pool!);
      await base.compareAndSet('x1', null, { version: 1 });
      const failing: PostgresClient = {
        query: (async (config: unknown, values?: unknown[]) => {
          const text = typeof config === 'string' ? config : (config as { text: string }).text;
          if (text.includes('jsonb_to_recordset') || text.includes('jsonb_array_elements_text')) throw Object.assign(new Error('connection reset'), { code: 'ECONNRESET' });
          return (pool!.query as (c: unknown, v?: unknown[]) => Promise<{ rows: unknown[] }>)(config, values);
        }) as PostgresClient['query'],
      };
      const store = postgresStore({ client: failing, table: base.table.slice(1, -1) });
      const writes = await Promise.all([
        ...['x2', 'x3'].map((id) => rejection(store.compareAndSet(id, null, { version: 1 }))),
        ...['x1', 'x1b'].map((id) => rejection(store.compareAndSet(id, 1, { version: 2 }))),
      ]);
      const reads = await Promise.all(['x1', 'x2'].map((id) => rejection(store.get(id))));
      for (const err of [...writes, ...reads]) {
        expect(err.code).toBe('STORE_UNAVAILABLE');
        expect((err.cause as Error).message).toBe('connection reset');
      }
      expect(await base.get('x1')).toEqual({ version: 1 });
      expect(await base.get('x2')).toBeNull();
    });

    it('creates and updates go in separate statements: a rolled-back update batch never hides committed creates', async () => {
      const base = await freshStore(pool!);
      await Promise.all(['m1', 'm2'].map((id) => base.compareAndSet(id, null, { version: 1 })));
      const serialization: PostgresClient = {
        query: (async (config: unknown, values?: unknown[]) => {
          const text = typeof config === 'string' ? config : (config as { text: string }).text;
          if (text.startsWith('WITH v AS')) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
          return (pool!.query as (c: unknown, v?: unknown[]) => Promise<{ rows: unknown[] }>)(config, values);
        }) as PostgresClient['query'],
      };
      const store = postgresStore({ client: serialization, table: base.table.slice(1, -1) });
      const results = await Promise.all([
        store.compareAndSet('m1', 1, { version: 2 }),
        store.compareAndSet('m2', 1, { version: 2 }),
        store.compareAndSet('n1', null, { version: 1 }),
        store.compareAndSet('n2', null, { version: 1 }),
      ]);
      expect(results).toEqual([false, false, true, true]); // the updates lost a race; the creates committed
      expect(await base.get('m1')).toEqual({ version: 1 });
      expect(await base.get('n1')).toEqual({ version: 1 });
    });

    it('two stores writing overlapping ids in opposite orders never deadlock', async () => {
      const base = await freshStore(pool!);
      const other = new pg.Pool({ connectionString: server!.url, max: 4 });
      other.on('error', () => {});
      try {
        const a = postgresStore({ client: pool!, table: base.table.slice(1, -1) });
        const b = postgresStore({ client: other, table: base.table.slice(1, -1) });
        const ids = Array.from({ length: 24 }, (_, i) => `d${String(i).padStart(2, '0')}`);
        await Promise.all(ids.map((id) => a.compareAndSet(id, null, { version: 1 })));
        const deadlocks = async () =>
          Number((await pool!.query('SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()')).rows[0].deadlocks);
        const before = await deadlocks();
        for (let round = 1; round <= 30; round++) {
          const [wa, wb] = await Promise.all([
            Promise.all(ids.map((id) => a.compareAndSet(id, round, { version: round + 1, by: 'a' }))),
            Promise.all([...ids].reverse().map((id) => b.compareAndSet(id, round, { version: round + 1, by: 'b' }))),
          ]);
          const wonB = [...wb].reverse();
          // every id moved exactly one version: one of the two stores won it
          expect(ids.map((_, i) => Number(wa[i]) + Number(wonB[i]))).toEqual(ids.map(() => 1));
        }
        expect(await deadlocks()).toBe(before);
      } finally {
        await other.end();
      }
    });
  });

  describe('on the server: a missing table, migrate: true, the batch option, refused ids', () => {
    const missing = () => `mfa_missing_${uniqueSuffix()}`;

    it.each([true, false])('batch %s: every call on a missing table is STORE_UNAVAILABLE naming it, with the driver error', async (batch) => {
      const table = missing();
      const store = postgresStore({ client: pool!, table, batch });
      const hint = `(table "${table}" does not exist: call store.migrate() or pass migrate: true)`;
      for (const [operation, call] of [
        ['get', () => store.get('a')],
        ['compareAndSet', () => store.compareAndSet('a', null, { version: 1 })],
        ['compareAndSet', () => store.compareAndSet('a', 1, { version: 2 })],
        ['delete', () => store.delete('a')],
      ] as const) {
        const err = await rejection(call());
        expect(err.message).toBe(`postgresStore.${operation}: store unavailable ${hint}`);
        expect((err.cause as { code?: string }).code).toBe('42P01');
      }
    });

    it('migrate: true: the first call of any kind waits for the table', async () => {
      for (const first of ['get', 'compareAndSet', 'delete'] as const) {
        const table = missing();
        tables.push(table);
        const store = postgresStore({ client: pool!, table, migrate: true });
        if (first === 'get') expect(await store.get('a')).toBeNull();
        if (first === 'compareAndSet') expect(await store.compareAndSet('a', null, { version: 1 })).toBe(true);
        if (first === 'delete') await store.delete('a');
        expect(await store.compareAndSet('b', null, { version: 1 })).toBe(true);
      }
    });

    it('batch: false sends one statement per call; batch: true (as the default) shares them', async () => {
      const base = await freshStore(pool!);
      for (const [batch, statements] of [[false, 16], [true, 2], [undefined, 2]] as const) {
        const texts: string[] = [];
        const c: PostgresClient = {
          query: ((config: unknown, values?: unknown[]) => {
            texts.push(typeof config === 'string' ? config : (config as { text: string }).text);
            return (pool!.query as (c: unknown, v?: unknown[]) => Promise<{ rows: unknown[] }>)(config, values);
          }) as PostgresClient['query'],
        };
        const store = postgresStore({ client: c, table: base.table.slice(1, -1), ...(batch === undefined ? {} : { batch }) });
        const ids = Array.from({ length: 16 }, (_, i) => `${String(batch)}-${i}`);
        expect(await Promise.all(ids.map((id) => store.compareAndSet(id, null, { version: 1 })))).toEqual(ids.map(() => true));
        expect(texts, `batch: ${String(batch)}`).toHaveLength(statements);
      }
    });

    it('a refused id names the call', async () => {
      const store = await freshStore(pool!);
      const label = 'id must be a string of well-formed Unicode without U+0000';
      await expect(store.get('a\u0000')).rejects.toMatchObject({ code: 'INVALID_INPUT', message: `postgresStore.get: ${label}` });
      await expect(store.compareAndSet('a\uD800', null, { version: 1 })).rejects.toMatchObject({ message: `postgresStore.compareAndSet: ${label}` });
      await expect(store.delete('\uDC00')).rejects.toMatchObject({ message: `postgresStore.delete: ${label}` });
    });
  });

  it('the isolation-level pools really run at that level', async () => {
    expect((await serializablePool!.query('SHOW transaction_isolation')).rows[0]).toEqual({ transaction_isolation: 'serializable' });
    expect((await repeatablePool!.query('SHOW transaction_isolation')).rows[0]).toEqual({ transaction_isolation: 'repeatable read' });
  });

  it('stores the payload as jsonb, the version as bigint, and sets updated_at', async () => {
    const store = await freshStore(pool!);
    await store.compareAndSet('u', null, { version: 1, status: 'pending' });
    await store.compareAndSet('u', 1, { version: 2, status: 'active' });
    const { rows } = await pool!.query(
      `SELECT version, pg_typeof(version)::text AS vt, pg_typeof(record)::text AS rt, record->>'status' AS status, updated_at FROM ${store.table}`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ version: '2', vt: 'bigint', rt: 'jsonb', status: 'active' });
    expect(rows[0].updated_at).toBeInstanceOf(Date);
  });

  it('prepares named statements on a pg Client by default, not with prepare: false', async () => {
    const table = `mfa_t_${uniqueSuffix()}`;
    tables.push(table);
    const named = async (): Promise<string[]> =>
      (await client!.query("SELECT name FROM pg_prepared_statements WHERE statement LIKE '%' || $1 || '%' ORDER BY name", [table])).rows.map(
        (r: { name: string }) => r.name,
      );
    const plain = postgresStore({ client: client!, table, prepare: false });
    await plain.migrate();
    await plain.compareAndSet('p', null, { version: 1 });
    await plain.get('p');
    expect(await named()).toEqual([]);
    const prepared = postgresStore({ client: client!, table });
    await prepared.compareAndSet('p', 1, { version: 2 });
    await prepared.compareAndSet('q', null, { version: 1 });
    await prepared.get('p');
    await prepared.delete('q');
    const names = await named();
    expect(names).toHaveLength(4);
    for (const n of names) expect(n).toMatch(/^mfakit_[0-9a-z]+_[0-9a-z]+$/);
    expect(await plain.get('p')).toEqual({ version: 2 });
  });

  it('the version column is authoritative: a hand-edited JSON version does not break compare-and-set', async () => {
    const store = await freshStore(pool!);
    await store.compareAndSet('edited', null, { version: 1, n: 1 });
    await pool!.query(`UPDATE ${store.table} SET record = jsonb_set(record, '{version}', '7') WHERE id = 'edited'`);
    const got = await store.get('edited');
    expect(got).toEqual({ version: 1, n: 1 });
    expect(await store.compareAndSet('edited', got!.version, { version: 2, n: 2 })).toBe(true);
  });

  it('several clients migrating at once all succeed', async () => {
    const table = `mfa_t_${uniqueSuffix()}`;
    tables.push(table);
    await Promise.all([
      postgresStore({ client: pool!, table }).migrate(),
      postgresStore({ client: pool!, table }).migrate(),
      postgresStore({ client: postgresJsClient(sql!), table }).migrate(),
      postgresStore({ client: client!, table }).migrate(),
    ]);
    expect(await postgresStore({ client: pool!, table }).get('x')).toBeNull();
  });

  it('pool, client and postgres.js see each other\'s writes and race on the same rows', async () => {
    const table = `mfa_t_${uniqueSuffix()}`;
    tables.push(table);
    const stores = [pool!, client!, postgresJsClient(sql!)].map((c) => postgresStore({ client: c, table }));
    await stores[0]!.migrate();
    const results = await Promise.all(
      Array.from({ length: 48 }, (_, i) => stores[i % 3]!.compareAndSet('shared', null, { version: 1, by: i })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    for (const s of stores) expect(await s.get('shared')).toEqual({ version: 1, by: winner });
  });

  it('a connection dropped mid-statement is STORE_UNAVAILABLE and the write did not happen', async () => {
    const store = await freshStore(pool!);
    await store.compareAndSet('victim', null, { version: 1, n: 1 });
    // Hold the row lock from another session so the store's UPDATE blocks inside the server.
    const locker = new pg.Client({ connectionString: server!.url });
    locker.on('error', () => {});
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query(`SELECT 1 FROM ${store.table} WHERE id = 'victim' FOR UPDATE`);
    const cas = store.compareAndSet('victim', 1, { version: 2, n: 2 });
    cas.catch(() => {});
    // Wait until the UPDATE is waiting on the lock, then kill its backend. (Poll from outside the
    // locker's transaction: pg_stat_activity is a snapshot per transaction.)
    let pid: number | undefined;
    for (let i = 0; i < 200 && pid === undefined; i++) {
      const { rows } = await pool!.query(
        `SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE %' AND position($1 in query) > 0`,
        [store.table],
      );
      pid = (rows[0] as { pid?: number } | undefined)?.pid;
      if (pid === undefined) await new Promise((r) => setTimeout(r, 20));
    }
    expect(pid).toBeTypeOf('number');
    await pool!.query('SELECT pg_terminate_backend($1)', [pid]);
    const err = await rejection(cas);
    expect(err.code).toBe('STORE_UNAVAILABLE');
    expect(err.cause).toBeInstanceOf(Error);
    await locker.query('COMMIT');
    await locker.end();
    expect(await store.get('victim')).toEqual({ version: 1, n: 1 });
    // The pool replaced the dead connection: the store works again.
    expect(await store.compareAndSet('victim', 1, { version: 2, n: 2 })).toBe(true);
  });

  describe.each(['pg Pool', 'postgres.js'])('%s: connection dropped mid-query (TCP proxy)', (kind) => {
    it.each(['before-server', 'after-server'] as const)(
      'cut %s: STORE_UNAVAILABLE with cause, never true; the row is what the server committed',
      async (mode) => {
        const port = Number(new URL(server!.url).port);
        const proxy = await startCutProxy(port);
        const url = `postgres://postgres@127.0.0.1:${proxy.port}/postgres`;
        let c: PostgresClient;
        let close: () => Promise<void>;
        if (kind === 'pg Pool') {
          const p = new pg.Pool({ connectionString: url, max: 2 });
          p.on('error', () => {});
          c = p;
          close = () => p.end();
        } else {
          const s = postgres(url, { max: 2, onnotice: () => {} });
          c = postgresJsClient(s);
          close = () => s.end({ timeout: 1 });
        }
        try {
          const table = `mfa_t_${uniqueSuffix()}`;
          tables.push(table);
          const store = postgresStore({ client: c, table });
          await store.migrate();
          await store.compareAndSet('victim', null, { version: 1, n: 1 });
          const fired = proxy.arm(`UPDATE "${table}"`, mode, 'UPDATE 1');
          const err = await rejection(store.compareAndSet('victim', 1, { version: 2, n: 2 }));
          await fired;
          expect(err.code).toBe('STORE_UNAVAILABLE');
          expect(err.cause).toBeDefined();
          const direct = postgresStore({ client: pool!, table });
          // before-server: never executed; after-server: committed, but the caller was told "unknown".
          expect(await direct.get('victim')).toEqual(mode === 'before-server' ? { version: 1, n: 1 } : { version: 2, n: 2 });
          // A new connection through the proxy works again.
          expect((await store.get('victim'))?.version).toBe(mode === 'before-server' ? 1 : 2);
        } finally {
          await close().catch(() => {});
          await proxy.close();
        }
      },
    );
  });

  it.each(['before-server', 'after-server'] as const)(
    'verifyLogin whose write is cut %s: rejects STORE_UNAVAILABLE, never ok; the code is spent only if the write committed',
    async (mode) => {
      const port = Number(new URL(server!.url).port);
      const proxy = await startCutProxy(port);
      const proxied = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${proxy.port}/postgres`, max: 2 });
      proxied.on('error', () => {});
      try {
        const table = `mfa_t_${uniqueSuffix()}`;
        tables.push(table);
        const direct = postgresStore({ client: pool!, table });
        await direct.migrate();
        const clock = new FakeClock();
        const user = await enrol(harnessMfa(direct, clock), clock, 'alice', 1_000_000);
        const step = user.step + 1;
        clock.set(timeOfStep(step));
        const victim = harnessMfa(postgresStore({ client: proxied, table }), clock);
        await victim.getStatus('alice'); // connect through the proxy first
        const fired = proxy.arm(`UPDATE "${table}"`, mode, 'UPDATE 1');
        const err = await rejection(victim.verifyLogin('alice', codeAt(user.secret, step)));
        await fired;
        expect(err.code).toBe('STORE_UNAVAILABLE');
        const again = await harnessMfa(direct, clock).verifyLogin('alice', codeAt(user.secret, step));
        expect(again).toMatchObject(mode === 'before-server' ? { ok: true } : { ok: false, reason: 'replayed' });
      } finally {
        await proxied.end().catch(() => {});
        await proxy.close();
      }
    },
  );

  it.skipIf(!postgresIsManaged())('server down: every operation is STORE_UNAVAILABLE with cause; back up: works again', async () => {
    const store = await freshStore(pool!);
    const jsStore = postgresStore({ client: postgresJsClient(sql!), table: store.table.slice(1, -1) });
    await store.compareAndSet('down', null, { version: 1 });
    await server!.stop();
    try {
      await expectEveryOperationUnavailable([store, jsStore]);
    } finally {
      await server!.start();
    }
    expect(await store.get('down')).toEqual({ version: 1 });
    expect(await store.get('new')).toBeNull();
    expect(await store.compareAndSet('down', 1, { version: 2 })).toBe(true);
  });
});
