// verifyLogin with several authenticators (the authenticators() feature) on the MemoryStore and on
// PostgreSQL (a throwaway cluster, fsync off: the adapter's cost without the disk): 1 TOTP
// authenticator without the feature (the default createMfa, the figure that must not regress), 1
// with the feature, and 5 with the feature, the code always from the last one. Every call uses a
// fresh valid code (the clock moves one step per call), so each login succeeds and writes.
// Run: `npm run bench -- authenticators`. Read ops/s as 1e9 / avg(ns).
import { bench, do_not_optimize, group, summary } from 'mitata';
import pg from 'pg';
import { authenticators, createMfa, FakeClock, MemoryStore, seededRandom, totp, type MfaStore } from '../src/index.js';
import { postgresStore } from '../src/stores/postgres.js';
import { startPostgres } from '../test/support/postgres-server.js';

const STEP = 30_000;

async function setup(store: MfaStore, count: number, feature: boolean) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1) + 5_000);
  const rng = seededRandom('bench-authenticators');
  const secrets = Array.from({ length: count }, () => rng(20));
  const mfa = createMfa({ store, issuer: 'Bench', clock, rng, features: feature ? [authenticators()] : [] });
  if (feature) {
    const r = await (mfa as ReturnType<typeof createMfa<[ReturnType<typeof authenticators>]>>).importAuthenticator(
      'user-0',
      secrets.map((secret, n) => ({ secret, name: `phone ${n}` })),
    );
    if (!r.ok) throw new Error('authenticators.bench: import failed');
  } else {
    const begun = await mfa.beginEnrollment('user-0', { account: 'bench@example.com' });
    if (!begun.ok) throw new Error('authenticators.bench: enrolment failed');
    secrets[0] = begun.secret;
    if (!(await mfa.confirmEnrollment('user-0', totp(begun.secret, { time: clock.now() }))).ok) throw new Error('authenticators.bench: confirm');
  }
  const last = secrets[count - 1]!;
  return async () => {
    clock.advance(STEP);
    const result = await mfa.verifyLogin('user-0', totp(last, { time: clock.now() }));
    if (!result.ok) throw new Error(`authenticators.bench: verifyLogin failed (${result.reason})`);
    return result;
  };
}

const memory = {
  plain: await setup(new MemoryStore(), 1, false),
  one: await setup(new MemoryStore(), 1, true),
  five: await setup(new MemoryStore(), 5, true),
};

const server = await startPostgres({ durable: false });
const pool = new pg.Pool({ connectionString: server.url, max: 4 });
pool.on('error', () => {});
async function pgStore(table: string): Promise<MfaStore> {
  const store = postgresStore({ client: pool, table });
  await store.migrate();
  return store;
}
const postgres = {
  plain: await setup(await pgStore('bench_auth_plain'), 1, false),
  one: await setup(await pgStore('bench_auth_one'), 1, true),
  five: await setup(await pgStore('bench_auth_five'), 5, true),
};
for (const run of [...Object.values(memory), ...Object.values(postgres)]) await run();

summary(() => {
  group('verifyLogin with several TOTP authenticators (MemoryStore, valid code of the last one, writes)', () => {
    bench('1 authenticator, default createMfa (no feature)', async () => do_not_optimize(await memory.plain()));
    bench('1 authenticator, authenticators()', async () => do_not_optimize(await memory.one()));
    bench('5 authenticators, authenticators()', async () => do_not_optimize(await memory.five()));
  });
  group('verifyLogin with several TOTP authenticators (PostgreSQL, fsync off, 1 caller)', () => {
    bench('1 authenticator, default createMfa (no feature)', async () => do_not_optimize(await postgres.plain()));
    bench('1 authenticator, authenticators()', async () => do_not_optimize(await postgres.one()));
    bench('5 authenticators, authenticators()', async () => do_not_optimize(await postgres.five()));
  });
});

export async function teardown(): Promise<void> {
  await pool.end();
  await server.dispose();
}
