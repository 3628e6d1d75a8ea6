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
