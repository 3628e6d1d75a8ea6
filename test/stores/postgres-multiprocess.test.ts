// postgresStore across OS processes: 8 children race on one code, and a child streaming writes is
// SIGKILLed 20 times (every 4th time the PostgreSQL server crashes too). Harness: test/support/multiprocess.ts.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { CHILD_APPLICATION_NAME } from '../support/mp-adapters/postgres.js';
import { runCrashTest, type HarnessTarget } from '../support/multiprocess.js';
import { raceDifferentRecoveryCodes, raceSameRecoveryCode, raceSameTotpCode } from '../support/race-checks.js';
import { postgresAvailability, postgresIsManaged, startPostgres } from '../support/postgres-server.js';
import { skipUnless, uniqueSuffix } from '../support/services.js';

const skip = skipUnless('PostgreSQL multi-process tests', postgresAvailability());
// fsync on: the crash test also kills the server (see postgres-server.ts on why it would pass without).
const server = skip ? null : await startPostgres({ durable: true });
const table = `mfa_mp_${uniqueSuffix()}`;
const target: HarnessTarget = { adapter: 'postgres', conn: { url: server?.url ?? '', table } };

afterAll(async () => {
  if (server && !server.managed) {
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    await c.query(`DROP TABLE IF EXISTS "${table}"`);
    await c.end();
  }
  await server?.dispose();
});

// 8 children each start node + tsx: on a loaded 2-core box that alone can take half a minute.
const RACE_TIMEOUT = 180_000;

describe.skipIf(skip)('postgresStore across processes', () => {
  it('8 processes verify the same TOTP code at the same moment: exactly one success', async () => {
    await raceSameTotpCode(target, `race-totp-${uniqueSuffix()}`);
  }, RACE_TIMEOUT);

  it('8 processes spend the same recovery code at once: exactly one success', async () => {
    await raceSameRecoveryCode(target, `race-rc-${uniqueSuffix()}`);
  }, RACE_TIMEOUT);

  it('8 processes spend 8 different recovery codes at once: all succeed, none is lost', async () => {
    await raceDifferentRecoveryCodes([target], `race-rc8-${uniqueSuffix()}`);
  }, RACE_TIMEOUT);

  it('crash test: a writing child SIGKILLed 20 times (every 4th time the server too): nothing accepted twice, nothing lost', async () => {
    const crashServer = postgresIsManaged()
      ? async (round: number): Promise<boolean> => {
          if (round % 4 !== 3) return false;
          // SIGKILL the child's backend mid-write: the postmaster treats it as a server crash,
          // kills every backend and replays the WAL (acknowledged commits must survive).
          const admin = new pg.Client({ connectionString: server!.url });
          await admin.connect();
          const { rows } = await admin.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [CHILD_APPLICATION_NAME]);
          await admin.end();
          if (rows.length === 0) return false;
          for (const row of rows as Array<{ pid: number }>) process.kill(row.pid, 'SIGKILL');
          for (let i = 0; i < 200; i++) {
            const probe = new pg.Client({ connectionString: server!.url });
            probe.on('error', () => {});
            try {
              await probe.connect();
              await probe.query('SELECT 1');
              await probe.end();
              return true;
            } catch {
              await probe.end().catch(() => {});
              await new Promise((r) => setTimeout(r, 50));
            }
          }
          throw new Error(`server did not come back after a crash:\n${server!.log().slice(-2000)}`);
        }
      : undefined;
    const report = await runCrashTest(target, { userId: `crash-${uniqueSuffix()}`, rounds: 20, ...(crashServer ? { crashServer } : {}) });
    console.info('postgres crash test:', JSON.stringify({ ...report, versions: `${report.versions[0]}…${report.versions.at(-1)}` }));
    expect(report.violations).toEqual([]);
    expect(report.killed).toBeGreaterThanOrEqual(18);
    expect(report.killedMidAttempt).toBeGreaterThanOrEqual(5); // kills land inside verifyLogin calls
    expect(report.acceptedSteps).toBeGreaterThan(20);
    expect(report.acceptedRecoveryCodes).toBeGreaterThan(0);
    expect(report.rejected).toBeGreaterThan(0);
    if (postgresIsManaged()) expect(report.serverCrashes).toBeGreaterThanOrEqual(3);
  }, 300_000);
});
