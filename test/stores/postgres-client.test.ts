// A single pg Client runs one query at a time. Sending it a second query while one is executing
// is deprecated by pg (removed in pg 9) and prints a DeprecationWarning; the store's batcher runs
// reads and writes concurrently, so postgresStore must queue its statements per Client. A Pool is
// used as it is (its queries run in parallel on several connections). Own file: Node prints each
// deprecation once per process, so no other test may have triggered it first.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresStore, type PostgresClient } from '../../src/stores/postgres.js';
import { runStoreConformance } from '../../src/testing/index.js';
import { postgresAvailability, startPostgres } from '../support/postgres-server.js';
import { skipUnless, uniqueSuffix } from '../support/services.js';

const warnings: string[] = [];
process.on('warning', (warning) => warnings.push(`${warning.name}: ${warning.message}`));
const pgWarnings = (): string[] => warnings.filter((w) => w.includes('pg@9') || w.includes('already executing'));

const skip = skipUnless('PostgreSQL server tests of postgresStore with a pg Client', postgresAvailability());
const server = skip ? null : await startPostgres();
const client = server ? new pg.Client({ connectionString: server.url }) : null;
client?.on('error', () => {});
await client?.connect();
const other = server ? new pg.Client({ connectionString: server.url }) : null;
other?.on('error', () => {});
await other?.connect();
const pool = server ? new pg.Pool({ connectionString: server.url, max: 8 }) : null;
pool?.on('error', () => {});

afterAll(async () => {
  await client?.end().catch(() => {});
  await other?.end().catch(() => {});
  await pool?.end().catch(() => {});
  await server?.dispose();
});

async function freshStore(c: PostgresClient, options: { prepare?: boolean; batch?: boolean } = {}) {
  const store = postgresStore({ client: c, table: `mfa_client_${uniqueSuffix()}`, ...options });
  await store.migrate();
  return store;
}

/** 40 creates, 40 reads and 40 updates, each group started in one turn (batches of 8 in flight together). */
async function burst(store: Awaited<ReturnType<typeof freshStore>>): Promise<void> {
  const ids = Array.from({ length: 40 }, (_, i) => `u${i}`);
  expect(await Promise.all(ids.map((id, i) => store.compareAndSet(id, null, { version: 1, i })))).toEqual(ids.map(() => true));
  expect(await Promise.all(ids.map((id) => store.get(id)))).toEqual(ids.map((_, i) => ({ version: 1, i })));
  const both = await Promise.all([
    ...ids.map((id, i) => store.compareAndSet(id, 1, { version: 2, i })),
    ...ids.map((id) => store.get(id)),
  ]);
  expect(both.slice(0, 40)).toEqual(ids.map(() => true));
}

describe.skipIf(skip)('postgresStore with a pg Client and a pg Pool', () => {
  it('a Client: concurrent reads and writes, no "already executing a query" deprecation', async () => {
    await burst(await freshStore(client!));
    await burst(await freshStore(client!, { prepare: false }));
    await burst(await freshStore(client!, { batch: false }));
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    expect(pgWarnings()).toEqual([]);
  });

  it('two stores (two tables) on one Client share its queue', async () => {
    const [a, b] = [await freshStore(client!), await freshStore(client!)];
    await Promise.all([burst(a), burst(b)]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(pgWarnings()).toEqual([]);
  });

  it('a Pool: the same burst, queries in parallel on its connections', async () => {
    await burst(await freshStore(pool!));
    await new Promise((resolve) => setImmediate(resolve));
    expect(pgWarnings()).toEqual([]);
  });

  runStoreConformance('postgresStore (pg Client)', async () => ({ store: await freshStore(other!) }));

  it('after the conformance suite on a Client: still no deprecation', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    expect(pgWarnings()).toEqual([]);
  });
});
