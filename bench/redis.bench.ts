// verifyLogin through redisStore on a throwaway redis-server (test/support/redis-server.ts, no
// persistence) or MFAKIT_REDIS_URL: the whole service path (HGET → transition with a TOTP ±1
// check → compare-and-set Lua script → events), with 1 caller and with 16 concurrent callers
// (Promise.all of 16 verifies per iteration: divide the time by 16), for ioredis and node-redis
// (one connection each; concurrent commands are pipelined on it). 10 000 enrolled users, round
// robin; every call uses a fresh valid code, so every login succeeds and writes.
// Run: `npm run bench -- redis`. Read verifies/s as 1e9 / avg(ns) (× 16 for the concurrent rows).
import { Redis } from 'ioredis';
import { bench, do_not_optimize, group, summary } from 'mitata';
import { createClient } from 'redis';
import { redisStore, type IORedisLike, type NodeRedisLike } from '../src/stores/redis.js';
import { startRedis } from '../test/support/redis-server.js';
import { sustained } from './_sustained.js';
import { enrolledService, roundRobinVerify, sixteen } from './_enrolled.js';

const USERS = 10_000;

const server = await startRedis();
const io = new Redis(server.url);
// enableAutoPipelining: commands issued in the same tick leave in one write (fewer syscalls).
const ioAuto = new Redis(server.url, { enableAutoPipelining: true });
const nr = createClient({ url: server.url });
await nr.connect();

async function setup(client: IORedisLike | NodeRedisLike, prefix: string) {
  const store = redisStore({ client, prefix });
  const enrolled = await enrolledService(store, 'redis.bench');
  // Every other user is a copy of user-0's record (same secret) under its own id.
  const { template } = enrolled;
  const pipeline = io.pipeline();
  for (let i = 1; i < USERS; i++) {
    pipeline.hset(`${prefix}user-${i}`, 'version', String(template.version), 'record', JSON.stringify({ ...template, userId: `user-${i}` }));
  }
  await pipeline.exec();
  return { verifyNext: roundRobinVerify(enrolled, USERS, 'redis.bench') };
}

const viaIo = await setup(io, 'bench-io:');
const viaNr = await setup(nr, 'bench-nr:');
const viaAuto = await setup(ioAuto, 'bench-auto:');

// Self-check: logins succeed (verifyNext throws otherwise), including 16 at once.
for (const s of [viaIo, viaNr, viaAuto]) await Promise.all(Array.from({ length: 16 }, s.verifyNext));

// Floor for comparison: the same two round trips (HGET the record, HSET it back) straight through
// ioredis, without mfakit: what any adapter on this client and server pays.
let rawNext = 0;
const rawRecord = JSON.stringify((await redisStore({ client: io, prefix: 'bench-io:' }).get('user-0'))!);
const rawPair = async (): Promise<unknown> => {
  const key = `bench-io:user-${rawNext++ % USERS}`;
  await io.hget(key, 'record');
  return io.hset(`bench-raw:${key}`, 'record', rawRecord);
};

for (const [label, s] of [['ioredis', viaIo], ['ioredis enableAutoPipelining', viaAuto], ['node-redis', viaNr]] as const) {
  for (const callers of [1, 16]) await sustained(`redis verifyLogin sustained, ${label}, ${callers} caller${callers > 1 ? 's' : ''}`, s.verifyNext, callers);
}

summary(() => {
  group('redis verifyLogin (redis-server, valid code, Lua compare-and-set; 10^4 users)', () => {
    bench('ioredis, 1 caller', async () => do_not_optimize(await viaIo.verifyNext()));
    bench('ioredis, 16 concurrent callers (÷16 per verify)', async () => do_not_optimize(await sixteen(viaIo.verifyNext)()));
    bench('ioredis enableAutoPipelining, 16 concurrent callers (÷16 per verify)', async () => do_not_optimize(await sixteen(viaAuto.verifyNext)()));
    bench('floor: raw HGET + HSET via ioredis, no mfakit, 16 concurrent (÷16)', async () => do_not_optimize(await sixteen(rawPair)()));
    bench('node-redis, 1 caller', async () => do_not_optimize(await viaNr.verifyNext()));
    bench('node-redis, 16 concurrent callers (÷16 per verify)', async () => do_not_optimize(await sixteen(viaNr.verifyNext)()));
  });
});

export async function teardown(): Promise<void> {
  io.disconnect();
  ioAuto.disconnect();
  await nr.quit();
  await server.dispose();
}
