// redisStore across OS processes (ioredis and node-redis children): 8 children race on one code,
// and a child streaming writes is SIGKILLed 20 times; with AOF (appendfsync always) every 4th time
// redis-server is SIGKILLed and restarted too. Harness: test/support/multiprocess.ts.
import { afterAll, describe, expect, it } from 'vitest';
import { runCrashTest, type HarnessTarget } from '../support/multiprocess.js';
import { raceDifferentRecoveryCodes, raceSameRecoveryCode, raceSameTotpCode } from '../support/race-checks.js';
import { redisAvailability, redisIsManaged, startRedis } from '../support/redis-server.js';
import { skipUnless, uniqueSuffix } from '../support/services.js';

const skip = skipUnless('Redis multi-process tests', redisAvailability());
const server = skip ? null : await startRedis({ persistence: 'aof-always' });
const prefix = `mfa_mp_${uniqueSuffix()}:`;
const targets: HarnessTarget[] = [
  { adapter: 'redis', conn: { url: server?.url ?? '', prefix } },
  { adapter: 'node-redis', conn: { url: server?.url ?? '', prefix } },
];

afterAll(async () => {
  await server?.dispose();
});

// 8 children each start node + tsx: on a loaded 2-core box that alone can take half a minute.
const RACE_TIMEOUT = 180_000;

describe.skipIf(skip)('redisStore across processes', () => {
  describe.each(targets)('$adapter', (target) => {
    it('8 processes verify the same TOTP code at the same moment: exactly one success', async () => {
      await raceSameTotpCode(target, `race-totp-${uniqueSuffix()}`);
    }, RACE_TIMEOUT);

    it('8 processes spend the same recovery code at once: exactly one success', async () => {
      await raceSameRecoveryCode(target, `race-rc-${uniqueSuffix()}`);
    }, RACE_TIMEOUT);
  });

  it('8 processes (both clients) spend 8 different recovery codes at once: all succeed, none is lost', async () => {
    await raceDifferentRecoveryCodes(targets, `race-rc8-${uniqueSuffix()}`);
  }, RACE_TIMEOUT);

  it('crash test: a writing child SIGKILLed 20 times (every 4th time redis-server too, AOF always): nothing accepted twice, nothing lost', async () => {
    const crashServer = redisIsManaged()
      ? async (round: number): Promise<boolean> => {
          if (round % 4 !== 3) return false;
          await server!.stop(); // SIGKILL mid-write
          await server!.start();
          return true;
        }
      : undefined;
    const report = await runCrashTest(targets[0]!, { userId: `crash-${uniqueSuffix()}`, rounds: 20, ...(crashServer ? { crashServer } : {}) });
    console.info('redis crash test:', JSON.stringify({ ...report, versions: `${report.versions[0]}…${report.versions.at(-1)}` }));
    expect(report.violations).toEqual([]);
    expect(report.killed).toBeGreaterThanOrEqual(18);
    expect(report.killedMidAttempt).toBeGreaterThanOrEqual(5); // kills land inside verifyLogin calls
    expect(report.acceptedSteps).toBeGreaterThan(20);
    expect(report.acceptedRecoveryCodes).toBeGreaterThan(0);
    if (redisIsManaged()) expect(report.serverCrashes).toBe(5);
  }, 300_000);
});
