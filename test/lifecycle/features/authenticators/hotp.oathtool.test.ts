// HOTP tokens of authenticators() against oathtool (OATH Toolkit): the look-ahead window accepts
// exactly the codes `oathtool --hotp -c N -w W` validates, at the same offset, and resync takes the
// codes oathtool generates further ahead. Runs processes: integration project.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { authenticators, createMfa, MemoryStore } from '../../../../src/index.js';
import { FakeClock, seededRandom } from '../../../../src/testing/index.js';

const hasOathtool = spawnSync('oathtool', ['--version']).status === 0;
const oath = (args: string[]) => spawnSync('oathtool', args, { encoding: 'utf8' });

function service(lookAhead: number) {
  return createMfa({
    store: new MemoryStore(),
    issuer: 'Acme',
    clock: new FakeClock(Date.UTC(2026, 0, 1)),
    rng: seededRandom(3),
    throttle: false,
    features: [authenticators({ hotp: { lookAhead, resyncWindow: 100 } })],
  });
}

describe.skipIf(!hasOathtool && !process.env.CI)('HOTP look-ahead and resync against oathtool --hotp -c N -w W', () => {
  const rng = seededRandom(99);
  const cases = Array.from({ length: 6 }, (_, n) => ({ secret: rng(20), counter: 1000 * n + (rng(1)[0]! % 50), window: [0, 1, 3, 10, 10, 20][n]! }));

  it.each(cases)('counter $counter, window $window: accepted iff oathtool validates, at the same offset', async ({ secret, counter, window }) => {
    const hex = Buffer.from(secret).toString('hex');
    for (let offset = 0; offset <= window + 2; offset++) {
      const code = oath(['--hotp', `--counter=${counter + offset}`, hex]).stdout.trim();
      const check = oath(['--hotp', `--counter=${counter}`, `--window=${window}`, hex, code]);
      const mfa = service(window);
      const user = `u${offset}`;
      expect((await mfa.importAuthenticator(user, { secret, type: 'hotp', counter, name: 'Token' })).ok).toBe(true);
      const result = await mfa.verifyLogin(user, code);
      expect(result.ok, `offset ${offset}`).toBe(check.status === 0);
      if (check.status === 0) {
        expect(Number(check.stdout.trim())).toBe(offset);
        // The counter moved past the match: the next code oathtool makes is accepted with window 0.
        const next = oath(['--hotp', `--counter=${counter + offset + 1}`, hex]).stdout.trim();
        expect(await mfa.verifyLogin(user, next)).toMatchObject({ ok: true });
      }
    }
  });

  it('resync: two consecutive oathtool codes 60 ahead move the counter; 100 ahead is past the window', async () => {
    const secret = rng(20);
    const hex = Buffer.from(secret).toString('hex');
    const at = (n: number) => oath(['--hotp', `--counter=${n}`, hex]).stdout.trim();
    const mfa = service(10);
    const r = await mfa.importAuthenticator('u', { secret, type: 'hotp', counter: 7, name: 'Token' });
    if (!r.ok) throw new Error('import');
    const id = r.ids[0]!;
    expect(await mfa.resyncHotp('u', id, [at(107), at(108)])).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(await mfa.resyncHotp('u', id, [at(67), at(68)])).toEqual({ ok: true, skipped: 60 });
    expect(await mfa.verifyLogin('u', at(69))).toMatchObject({ ok: true });
  });
});
