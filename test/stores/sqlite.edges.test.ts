// Edges of src/stores/sqlite.ts that StrykerJS found untested (npm run mutation -- stores-sqlite):
// every error names the store and the call, a missing table says how to make it, and only then.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sqliteStore } from '../../src/stores/sqlite.js';
import { rejection, thrown } from '../support/rejection.js';

describe('sqliteStore: what its errors say', () => {
  it('names the table option and what it may be', () => {
    const client = new Database(':memory:');
    expect(thrown(() => sqliteStore({ client, table: 42 as unknown as string })).message).toBe('sqliteStore: table must be a string');
    expect(thrown(() => sqliteStore({ client, table: 'sqlite_records' })).message).toBe(
      'sqliteStore: table must be an identifier of letters, digits and _ (optionally schema.table), not starting with sqlite_',
    );
  });

  it('a missing table: every call names itself and says to migrate', async () => {
    const store = sqliteStore({ client: new Database(':memory:'), table: 'absent' });
    for (const [operation, call] of [
      ['get', store.get('a')],
      ['compareAndSet', store.compareAndSet('a', null, { version: 1 })],
      ['delete', store.delete('a')],
    ] as const) {
      const err = await rejection(call);
      expect(err.code).toBe('STORE_UNAVAILABLE');
      expect(err.message).toBe(`sqliteStore.${operation}: store unavailable (table "absent" does not exist: call store.migrate() or pass migrate: true)`);
    }
    await store.migrate();
    expect(await store.compareAndSet('a', null, { version: 1 })).toBe(true);
  });

  it('any other engine failure has no hint; migrate names itself', async () => {
    const client = new Database(':memory:');
    const store = sqliteStore({ client, migrate: true });
    client.close();
    expect((await rejection(store.get('a'))).message).toBe('sqliteStore.get: store unavailable');
    expect((await rejection(store.migrate())).message).toBe('sqliteStore.migrate: store unavailable');
  });

  it('a write inside the connection\'s open transaction says why it is refused', async () => {
    const client = new Database(':memory:');
    const store = sqliteStore({ client, migrate: true });
    await store.compareAndSet('a', null, { version: 1 });
    client.exec('BEGIN');
    const err = await rejection(store.compareAndSet('a', 1, { version: 2 }));
    expect(err.message).toBe('sqliteStore.compareAndSet: store unavailable');
    expect((err.cause as Error).message).toBe('the database connection is inside an open transaction; the write would not be committed');
    client.exec('ROLLBACK');
  });

  it('an id error names the call', async () => {
    const store = sqliteStore({ client: new Database(':memory:'), migrate: true });
    expect((await rejection(store.get('a\u0000'))).message).toMatch(/^sqliteStore\.get/);
    expect((await rejection(store.delete('a\u0000'))).message).toMatch(/^sqliteStore\.delete/);
  });
});

describe('sqliteStore: the calls StrykerJS found untested', () => {
  it('list: a stored row that is not JSON is INVALID_RECORD naming list', async () => {
    const client = new Database(':memory:');
    const store = sqliteStore({ client, migrate: true });
    await store.compareAndSet('a', null, { version: 1 });
    client.prepare('UPDATE mfa_records SET data = ? WHERE id = ?').run('{not json', 'a');
    const err = await rejection(store.list({ limit: 10 }));
    expect({ code: err.code, message: err.message }).toEqual({ code: 'INVALID_RECORD', message: 'sqliteStore.list: stored record is not JSON' });
    expect(err.cause).toBeInstanceOf(SyntaxError);
  });

  it('lookup: a missing table names lookup and says to migrate', async () => {
    const store = sqliteStore({ client: new Database(':memory:'), table: 'absent' });
    const err = await rejection(store.lookup('k'));
    expect({ code: err.code, message: err.message }).toEqual({
      code: 'STORE_UNAVAILABLE',
      message: 'sqliteStore.lookup: store unavailable (table "absent" does not exist: call store.migrate() or pass migrate: true)',
    });
  });

  it('lookup: a key no store can hold is not found, without asking the database', async () => {
    const store = sqliteStore({ client: new Database(':memory:'), migrate: true });
    for (const key of [{}, undefined, 'a\u0000', '\uD800']) expect(await store.lookup(key as string)).toBeNull();
  });

  it('compareAndSet: the id and version errors name the call', async () => {
    const store = sqliteStore({ client: new Database(':memory:'), migrate: true });
    expect((await rejection(store.compareAndSet('a\u0000', null, { version: 1 }))).message).toBe(
      'sqliteStore.compareAndSet: id must be a string of well-formed Unicode without U+0000',
    );
    for (const record of [null, { version: 1.5 }]) {
      const err = await rejection(store.compareAndSet('a', null, record as never));
      expect({ code: err.code, message: err.message }).toEqual({ code: 'INVALID_RECORD', message: 'sqliteStore.compareAndSet: record version must be a safe integer' });
    }
  });

  it('delete inside the connection\'s open transaction names delete', async () => {
    const client = new Database(':memory:');
    const store = sqliteStore({ client, migrate: true });
    await store.compareAndSet('a', null, { version: 1 });
    client.exec('BEGIN');
    const err = await rejection(store.delete('a'));
    client.exec('ROLLBACK');
    expect(err.message).toBe('sqliteStore.delete: store unavailable');
    expect((err.cause as Error).message).toBe('the database connection is inside an open transaction; the write would not be committed');
    expect(await store.get('a')).toEqual({ version: 1 });
  });

  it('a table first made inside the caller\'s transaction that rolls back is made again on the next call', async () => {
    const client = new Database(':memory:');
    const store = sqliteStore({ client, migrate: true });
    client.exec('BEGIN');
    expect(await store.get('a')).toBeNull(); // creates the table inside the open transaction
    client.exec('ROLLBACK'); // …which drops it again
    expect(await store.compareAndSet('a', null, { version: 1 })).toBe(true);
    expect(await store.get('a')).toEqual({ version: 1 });
  });
});
