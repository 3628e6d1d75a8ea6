// Lifecycle verifyLogin on the MemoryStore: the whole service path (get → validate → pure
// transition with a TOTP ±1 check → compare-and-set → events), with 1 user and with 10^5 users
// loaded (the cost must stay flat). Every call uses a fresh valid code: the fake clock moves one
// step per call, so each login succeeds and writes. The code itself is computed in the loop with
// `totp()` (one HMAC, benched alone below so it can be subtracted).
// Run: `npm run bench -- lifecycle`. Read ops/s as 1e9 / avg(ns).
import { bench, do_not_optimize, group, summary } from 'mitata';
import { MemoryStore, totp, type StoredRecord } from '../src/index.js';
import { sustained } from './_sustained.js';
import { CodeSupply } from './_code-supply.js';
import { enrolledService, STEP } from './_enrolled.js';


async function setup(users: number) {
  const store = new MemoryStore();
  const { mfa, clock, secret, template } = await enrolledService(store, 'lifecycle.bench');
  // Every other user is a copy of user-0's record (same secret) under its own id: enrolling 10^5
  // users through the service would only slow the setup down.
  for (let i = 1; i < users; i++) {
    await store.compareAndSet(`user-${i}`, null, { ...structuredClone(template), userId: `user-${i}` } as StoredRecord);
  }
  if (store.size !== users) throw new Error('lifecycle.bench: setup');
  return { mfa, clock, secret };
}

const one = await setup(1);
const many = await setup(100_000);
let manyIndex = 0;

// Self-check: a login succeeds and the replay is refused.
one.clock.advance(STEP);
const code = totp(one.secret, { time: one.clock.now() });
if (!(await one.mfa.verifyLogin('user-0', code)).ok || (await one.mfa.verifyLogin('user-0', code)).ok) {
  throw new Error('lifecycle.bench: self-check failed');
}

// Sustained, one caller on one core, with the codes computed ahead: verifyLogin alone (the target
// is >= 100k/s). Each call moves the clock one step, so each login succeeds and writes.
{
  const solo = await setup(1);
  const start = solo.clock.now();
  const codes = new CodeSupply((k) => totp(solo.secret, { time: start + (k + 1) * STEP }));
  await sustained('lifecycle verifyLogin sustained, MemoryStore, 1 caller (codes computed ahead)', async () => {
    solo.clock.advance(STEP);
    const result = await solo.mfa.verifyLogin('user-0', codes.take());
    if (!result.ok) throw new Error(`lifecycle.bench: verifyLogin failed (${result.reason})`);
    return result;
  }, 1, undefined, undefined, codes.excluded);
}

// The same with 10^5 users loaded, round robin: the cost must stay flat. All users share one
// secret (copies of user-0), so one code per step serves the whole round (one totp() per 10^5 calls).
{
  let i = 0;
  let code = '';
  await sustained('lifecycle verifyLogin sustained, MemoryStore, 10^5 users loaded, round robin, 1 caller', async () => {
    const u = i++ % 100_000;
    if (u === 0) {
      many.clock.advance(STEP);
      code = totp(many.secret, { time: many.clock.now() });
    }
    const result = await many.mfa.verifyLogin(`user-${u}`, code);
    if (!result.ok) throw new Error(`lifecycle.bench: verifyLogin failed (${result.reason})`);
    return result;
  }, 1);
}

summary(() => {
  group('lifecycle verifyLogin (MemoryStore, valid code, writes)', () => {
    bench('totp() alone (cost included in the rows below)', () => {
      one.clock.advance(STEP);
      do_not_optimize(totp(one.secret, { time: one.clock.now() }));
    });
    bench('verifyLogin, 1 user', async () => {
      one.clock.advance(STEP);
      do_not_optimize(await one.mfa.verifyLogin('user-0', totp(one.secret, { time: one.clock.now() })));
    });
    bench('verifyLogin, 10^5 users loaded (round robin)', async () => {
      const i = manyIndex++ % 100_000;
      if (i === 0) many.clock.advance(STEP);
      do_not_optimize(await many.mfa.verifyLogin(`user-${i}`, totp(many.secret, { time: many.clock.now() })));
    });
  });
});
