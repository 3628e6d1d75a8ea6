import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { isMfaError, MfaError } from '../../src/errors.js';
import { createMfa } from '../../src/lifecycle/service.js';
import { recoveryCodes } from '../../src/lifecycle/features/recovery-codes/index.js';
import { FakeClock, seededRandom } from '../../src/testing/index.js';
import { totp } from '../../src/totp.js';
import { sqliteStore } from '../../src/stores/sqlite.js';
import { runStoreConformance } from '../../src/testing/index.js';
import { rejection } from '../support/rejection.js';
import { storeGroupsOnly } from '../support/store-groups.js';
import { enrolledUser } from '../support/enrolled-user.js';

const dir = mkdtempSync(join(tmpdir(), 'mfakit-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function fileDb(options?: Database.Options): { db: Database.Database; file: string } {
  const file = join(dir, `t${files++}.db`);
  const db = new Database(file, options);
  db.pragma('journal_mode = WAL');
  return { db, file };
}

// The store groups of the conformance suite on a WAL-mode file through two connections:
// odd-numbered stores use a second connection to the file (the lifecycle groups run per driver in
// sqlite.conformance.test.ts).
let made = 0;
let shared: { db: Database.Database; file: string } | undefined;
runStoreConformance(
  'sqliteStore (file, WAL, two connections)',
  () => {
    shared ??= fileDb();
    const db = made++ % 2 === 0 ? shared.db : new Database(shared.file);
    return { store: sqliteStore({ client: db, migrate: true }) };
  },
  storeGroupsOnly('sqlite.conformance.test.ts'),
);

describe('sqliteStore: options', () => {
  const db = new Database(':memory:');

  it.each([
    ['empty', ''],
    ['space', 'mfa records'],
    ['quote', 'mfa"records'],
    ['semicolon', 'x; DROP TABLE y'],
    ['leading digit', '1records'],
    ['three parts', 'a.b.c'],
    ['reserved prefix', 'sqlite_master'],
    ['reserved prefix, qualified', 'main.SQLITE_x'],
    ['too long', 'a'.repeat(64)],
    ['not a string', 42],
  ])('rejects table name: %s', (_, table) => {
    expect(() => sqliteStore({ client: db, table: table as string, migrate: true })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'mfa.db'],
    ['an object without prepare', { exec() {} }],
  ])('rejects db: %s', (_, bad) => {
    expect(() => sqliteStore({ client: bad as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('rejects missing options', () => {
    expect(() => sqliteStore(undefined as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('rejects a non-boolean migrate (and createTable, its deprecated alias)', () => {
    for (const options of [{ client: db, migrate: 'yes' }, { db, createTable: 'yes' }]) {
      expect(() => sqliteStore(options as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    }
  });

  it('rejects client together with db, and migrate together with createTable', () => {
    expect(() => sqliteStore({ client: db, db })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => sqliteStore({ client: db, migrate: true, createTable: true })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });

  it('accepts identifiers and schema-qualified names; table is the quoted name, as in postgresStore', () => {
    expect(sqliteStore({ client: db, table: 'Mfa_Records_2' }).table).toBe('"Mfa_Records_2"');
    expect(sqliteStore({ client: db, table: 'main.mfa' }).table).toBe('"main"."mfa"');
    expect(sqliteStore({ client: db }).table).toBe('"mfa_records"');
  });

  it('migrate defaults to false (as in postgresStore): no table until migrate(), and the error says so', async () => {
    const store = sqliteStore({ client: new Database(':memory:') });
    const err = await rejection(store.compareAndSet('a', null, { version: 1 }));
    expect(err.code).toBe('STORE_UNAVAILABLE');
    expect(err.message).toBe(
      'sqliteStore.compareAndSet: store unavailable (table "mfa_records" does not exist: call store.migrate() or pass migrate: true)',
    );
    await store.migrate();
    expect(await store.compareAndSet('a', null, { version: 1 })).toBe(true);
  });

  it('deprecated { db } keeps its old default (table created on first use); createTable still maps to migrate', async () => {
    const legacy = sqliteStore({ db: new Database(':memory:') });
    expect(await legacy.compareAndSet('a', null, { version: 1 })).toBe(true);
    const explicit = sqliteStore({ db: new Database(':memory:'), createTable: false });
    expect((await rejection(explicit.get('a'))).code).toBe('STORE_UNAVAILABLE');
  });

  it('does not touch the database before first use', () => {
    const fresh = new Database(':memory:');
    sqliteStore({ client: fresh, migrate: true });
    expect(fresh.prepare(`SELECT count(*) AS n FROM sqlite_schema`).get()).toEqual({ n: 0 });
  });
});

describe('sqliteStore: compare-and-set', () => {
  it('round-trips records and conflicts without overwriting', async () => {
    const { db } = fileDb();
    const store = sqliteStore({ client: db, migrate: true });
    expect(await store.get('alice')).toBeNull();

    const v1 = { version: 1, secret: 'c2VjcmV0', codes: ['a', 'b'], nested: { n: 1, ok: true, nil: null } };
    expect(await store.compareAndSet('alice', null, v1)).toBe(true);
    expect(await store.get('alice')).toEqual(v1);
    expect(await store.compareAndSet('alice', null, { version: 1, other: true })).toBe(false);
    expect(await store.get('alice')).toEqual(v1);

    const v2 = { ...v1, version: 2, codes: ['b'] };
    expect(await store.compareAndSet('alice', 2, { ...v2, version: 3 })).toBe(false);
    expect(await store.compareAndSet('alice', 0, v2)).toBe(false);
    expect(await store.compareAndSet('alice', 1, v2)).toBe(true);
    expect(await store.compareAndSet('alice', 1, { ...v2, codes: [] })).toBe(false);
    expect(await store.get('alice')).toEqual(v2);

    expect(await store.compareAndSet('bob', 1, { version: 2 })).toBe(false);
    expect(await store.get('bob')).toBeNull();

    await store.delete('alice');
    await store.delete('alice');
    expect(await store.get('alice')).toBeNull();
    expect(await store.compareAndSet('alice', null, { version: 1 })).toBe(true);
    db.close();
  });

  it('returns copies: mutating a record read or written does not change the store', async () => {
    const store = sqliteStore({ client: new Database(':memory:'), migrate: true });
    const record = { version: 1, codes: ['a'] };
    await store.compareAndSet('u', null, record);
    record.codes.push('b');
    const read = (await store.get('u')) as unknown as { codes: string[] };
    read.codes.push('c');
    expect(await store.get('u')).toEqual({ version: 1, codes: ['a'] });
  });

  it('keeps ids apart, including odd ones', async () => {
    const store = sqliteStore({ client: new Database(':memory:'), migrate: true });
    const ids = ['', ' ', "o'brien", '"; DROP TABLE mfa_records; --', 'ünï©ødé 🔐', 'a'.repeat(2000), 'A', 'a'];
    for (const [i, id] of ids.entries()) expect(await store.compareAndSet(id, null, { version: 1, i })).toBe(true);
    for (const [i, id] of ids.entries()) expect(await store.get(id)).toEqual({ version: 1, i });
  });

  it('64 concurrent inserts of one id: exactly one wins and its record is stored', async () => {
    const { db, file } = fileDb();
    const other = new Database(file);
    const stores = [sqliteStore({ client: db, migrate: true }), sqliteStore({ client: other, migrate: true })];
    const results = await Promise.all(
      Array.from({ length: 64 }, (_, i) => stores[i % 2]!.compareAndSet('carol', null, { version: 1, writer: i })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(await stores[1]!.get('carol')).toEqual({ version: 1, writer: winner });
    other.close();
    db.close();
  });

  it('64 concurrent updates from one version: exactly one wins', async () => {
    const store = sqliteStore({ client: new Database(':memory:'), migrate: true });
    await store.compareAndSet('dave', null, { version: 1 });
    const results = await Promise.all(
      Array.from({ length: 64 }, (_, i) => store.compareAndSet('dave', 1, { version: 2, writer: i })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.get('dave')).toEqual({ version: 2, writer: results.indexOf(true) });
  });

  it('read-reload-retry loops lose no update (interleaved async callers)', async () => {
    const store = sqliteStore({ client: new Database(':memory:'), migrate: true });
    await store.compareAndSet('n', null, { version: 1, count: 0 });
    async function increment(): Promise<void> {
      for (;;) {
        const r = (await store.get('n')) as unknown as { version: number; count: number };
        if (await store.compareAndSet('n', r.version, { version: r.version + 1, count: r.count + 1 })) return;
      }
    }
    await Promise.all(Array.from({ length: 50 }, increment));
    expect(await store.get('n')).toEqual({ version: 51, count: 50 });
  });

  it('reads versions as numbers even when the connection defaults to BigInt', async () => {
    const db = new Database(':memory:');
    db.defaultSafeIntegers(true);
    const store = sqliteStore({ client: db, migrate: true });
    expect(await store.compareAndSet('e', null, { version: 1 })).toBe(true);
    expect(await store.compareAndSet('e', 1, { version: 2 })).toBe(true);
    expect(await store.get('e')).toEqual({ version: 2 });
  });

  it('refuses records without a safe integer version', async () => {
    const store = sqliteStore({ client: new Database(':memory:'), migrate: true });
    for (const version of [1.5, Number.NaN, '1', 2 ** 53, undefined]) {
      const err = await rejection(store.compareAndSet('f', null, { version } as never));
      expect(err.code).toBe('INVALID_RECORD');
    }
    expect(await store.get('f')).toBeNull();
  });
});

describe('sqliteStore: schema', () => {
  it('creates its table on first use, STRICT, with updated_at', async () => {
    const db = new Database(':memory:');
    const store = sqliteStore({ client: db, migrate: true });
    await store.get('x');
    const columns = db.prepare(`SELECT name, type, pk FROM pragma_table_info('mfa_records')`).all();
    expect(columns).toEqual([
      { name: 'id', type: 'TEXT', pk: 1 },
      { name: 'version', type: 'INTEGER', pk: 0 },
      { name: 'data', type: 'TEXT', pk: 0 },
      { name: 'updated_at', type: 'TEXT', pk: 0 },
    ]);
    await store.compareAndSet('x', null, { version: 1 });
    const row = db.prepare(`SELECT version, updated_at FROM mfa_records WHERE id = 'x'`).get() as {
      version: number;
      updated_at: string;
    };
    expect(row.version).toBe(1);
    expect(row.updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('a table first created inside a transaction that rolls back is created again', async () => {
    const db = new Database(':memory:');
    const store = sqliteStore({ client: db, migrate: true });
    db.exec('BEGIN');
    expect(await store.get('x')).toBeNull();
    db.exec('ROLLBACK');
    expect(await store.compareAndSet('x', null, { version: 1 })).toBe(true);
    expect(await store.get('x')).toEqual({ version: 1 });
  });

  it('sqliteStore.schema is idempotent DDL for the default table', async () => {
    const db = new Database(':memory:');
    db.exec(sqliteStore.schema);
    db.exec(sqliteStore.schema);
    const store = sqliteStore({ client: db, migrate: false });
    expect(await store.compareAndSet('y', null, { version: 1 })).toBe(true);
  });

  it('migrate: false and no table → STORE_UNAVAILABLE until migrate()', async () => {
    const db = new Database(':memory:');
    const store = sqliteStore({ client: db, table: 'custom_mfa', migrate: false });
    const err = await rejection(store.get('z'));
    expect(err.code).toBe('STORE_UNAVAILABLE');
    expect(err.cause).toBeInstanceOf(Error);
    await store.migrate();
    await store.migrate();
    expect(await store.compareAndSet('z', null, { version: 1 })).toBe(true);
    expect(db.prepare(`SELECT count(*) AS n FROM custom_mfa`).get()).toEqual({ n: 1 });
  });

  it('custom and attached-schema tables are separate', async () => {
    const db = new Database(':memory:');
    db.exec(`ATTACH DATABASE ':memory:' AS aux`);
    const a = sqliteStore({ client: db, migrate: true });
    const b = sqliteStore({ client: db, table: 'aux.mfa_records', migrate: true });
    await a.compareAndSet('u', null, { version: 1, from: 'a' });
    await b.compareAndSet('u', null, { version: 1, from: 'b' });
    expect(await a.get('u')).toEqual({ version: 1, from: 'a' });
    expect(await b.get('u')).toEqual({ version: 1, from: 'b' });
  });

  it('a stored row that is not JSON → INVALID_RECORD', async () => {
    const db = new Database(':memory:');
    const store = sqliteStore({ client: db, migrate: true });
    await store.migrate();
    db.prepare(`INSERT INTO mfa_records (id, version, data) VALUES ('bad', 1, '{not json')`).run();
    const err = await rejection(store.get('bad'));
    expect(err.code).toBe('INVALID_RECORD');
    expect(err.message).toBe('sqliteStore.get: stored record is not JSON');
    expect(err.cause).toBeInstanceOf(SyntaxError);
  });
});

describe('sqliteStore: engine errors → STORE_UNAVAILABLE with cause', () => {
  it('closed database, before and after first use', async () => {
    const before = new Database(':memory:');
    const unused = sqliteStore({ client: before, migrate: true });
    before.close();
    const after = new Database(':memory:');
    const used = sqliteStore({ client: after, migrate: true });
    await used.compareAndSet('a', null, { version: 1 });
    after.close();
    for (const store of [unused, used]) {
      for (const op of [store.get('a'), store.compareAndSet('a', 1, { version: 2 }), store.delete('a'), store.migrate()]) {
        const err = await rejection(op);
        expect(isMfaError(err, 'STORE_UNAVAILABLE')).toBe(true);
        expect(err.cause).toBeInstanceOf(TypeError);
        expect(String((err.cause as Error).message)).toMatch(/not open/);
      }
    }
  });

  it('read-only database file (SQLITE_READONLY)', async () => {
    const { db, file } = fileDb();
    const store = sqliteStore({ client: db, migrate: true });
    await store.compareAndSet('a', null, { version: 1 });
    db.close();
    const ro = sqliteStore({ client: new Database(file, { readonly: true }), migrate: true });
    expect(await ro.get('a')).toEqual({ version: 1 });
    const err = await rejection(ro.compareAndSet('a', 1, { version: 2 }));
    expect(err.code).toBe('STORE_UNAVAILABLE');
    expect((err.cause as { code?: string }).code).toMatch(/^SQLITE_READONLY/);
    expect(await ro.get('a')).toEqual({ version: 1 });
  });

  it('SQLITE_BUSY once the busy timeout expires: rejects, and the write never lands', async () => {
    const { db, file } = fileDb({ timeout: 0 });
    const store = sqliteStore({ client: db, migrate: true });
    await store.compareAndSet('a', null, { version: 1 });
    const holder = new Database(file);
    holder.exec('BEGIN IMMEDIATE');
    const err = await rejection(store.compareAndSet('a', 1, { version: 2, lost: true }));
    expect(err.code).toBe('STORE_UNAVAILABLE');
    expect((err.cause as { code?: string }).code).toMatch(/^SQLITE_BUSY/);
    const insertErr = await rejection(store.compareAndSet('b', null, { version: 1 }));
    expect(insertErr.code).toBe('STORE_UNAVAILABLE');
    expect(db.inTransaction).toBe(false);
    holder.exec('COMMIT');
    expect(await store.get('a')).toEqual({ version: 1 });
    expect(await store.get('b')).toBeNull();
    expect(await store.compareAndSet('a', 1, { version: 2 })).toBe(true);
    holder.close();
    db.close();
  });

  it('rollback-journal mode: a read blocked by an exclusive lock past the timeout rejects too', async () => {
    const file = join(dir, `t${files++}.db`);
    const db = new Database(file, { timeout: 0 });
    const store = sqliteStore({ client: db, migrate: true });
    await store.compareAndSet('a', null, { version: 1 });
    const holder = new Database(file);
    holder.exec('BEGIN EXCLUSIVE');
    const err = await rejection(store.get('a'));
    expect(err.code).toBe('STORE_UNAVAILABLE');
    expect((err.cause as { code?: string }).code).toMatch(/^SQLITE_BUSY/);
    holder.exec('COMMIT');
    expect(await store.get('a')).toEqual({ version: 1 });
    holder.close();
    db.close();
  });

  it('a write while the connection is busy iterating a query is refused (it could not commit yet)', async () => {
    const db = new Database(':memory:');
    const store = sqliteStore({ client: db, migrate: true });
    await store.compareAndSet('a', null, { version: 1 });
    await store.compareAndSet('b', null, { version: 1 });
    const rows = db.prepare('SELECT id FROM mfa_records').iterate();
    rows.next();
    const err = await rejection(store.compareAndSet('a', 1, { version: 2 }));
    expect(err.code).toBe('STORE_UNAVAILABLE');
    expect(String((err.cause as Error).message)).toMatch(/busy/);
    rows.return?.();
    expect(await store.get('a')).toEqual({ version: 1 });
    expect(await store.compareAndSet('a', 1, { version: 2 })).toBe(true);
  });

  it('a write inside an open transaction of the connection is refused (it would not be committed)', async () => {
    const db = new Database(':memory:');
    const store = sqliteStore({ client: db, migrate: true });
    await store.compareAndSet('a', null, { version: 1 });
    db.exec('BEGIN');
    expect(await store.get('a')).toEqual({ version: 1 });
    for (const op of [store.compareAndSet('a', 1, { version: 2 }), store.delete('a')]) {
      const err = await rejection(op);
      expect(err.code).toBe('STORE_UNAVAILABLE');
      expect(err.cause).toBeInstanceOf(Error);
    }
    db.exec('ROLLBACK');
    expect(await store.get('a')).toEqual({ version: 1 });
  });
});

describe('sqliteStore under createMfa: engine errors reach the caller, nothing half-done', () => {
  async function enrolled(db: Database.Database) {
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 12) + 10_000);
    const mfa = createMfa({ store: sqliteStore({ client: db, migrate: true }), issuer: 'Acme', clock, rng: seededRandom('sqlite'), features: [recoveryCodes()] });
    const { secret, recoveryCodes: codes } = await enrolledUser(mfa, clock);
    return { mfa, code: totp(secret, { time: clock.now() }), recovery: codes[0]! };
  }

  it('SQLITE_BUSY during verifyLogin: STORE_UNAVAILABLE, and the code is not consumed', async () => {
    const { db, file } = fileDb({ timeout: 0 });
    const { mfa, code, recovery } = await enrolled(db);
    const holder = new Database(file);
    holder.exec('BEGIN IMMEDIATE');
    for (const input of [code, recovery]) {
      const err = await rejection(mfa.verifyLogin('alice', input));
      expect(err.code).toBe('STORE_UNAVAILABLE');
      expect((err.cause as { code?: string }).code).toMatch(/^SQLITE_BUSY/);
    }
    holder.exec('ROLLBACK');
    holder.close();
    expect(await mfa.verifyLogin('alice', code)).toMatchObject({ ok: true, method: 'totp' });
    expect(await mfa.verifyLogin('alice', recovery)).toMatchObject({ ok: true, method: 'recovery' });
    expect(await mfa.verifyLogin('alice', code)).toEqual({ ok: false, reason: 'replayed' });
    db.close();
  });

  it('closed database: every service call rejects with STORE_UNAVAILABLE', async () => {
    const { db } = fileDb();
    const { mfa, code } = await enrolled(db);
    db.close();
    for (const call of [mfa.verifyLogin('alice', code), mfa.getStatus('alice'), mfa.loginRequirement('alice')]) {
      expect((await rejection(call)).code).toBe('STORE_UNAVAILABLE');
    }
  });
});
