// The lifecycle service over real PostgreSQL and Redis whose connections are cut at random in the
// middle of calls (test/support/chaos-proxy.ts between the service's client and the server), with
// several users and concurrent callers: logins by TOTP (current and previous step, wrong codes),
// recovery codes, regenerateRecoveryCodes with a TOTP proof, and new enrolments (begin + confirm)
// whose answers can be lost. The truth is read through a second client that bypasses the proxy.
// After every group of concurrent calls:
// - each call answered or threw MfaError STORE_UNAVAILABLE / CONFLICT, nothing else;
// - a reported success is committed: a TOTP login or proof's step is ≤ the stored lastStep, a
//   recovery-code login's code is marked used in the set it came from, a confirmed enrolment is
//   active, regenerated codes are the stored set;
// - no TOTP step of a user and no recovery code is ever accepted twice;
// - every record parses.
// CUT_GROUPS=N groups per seed (default 40), CUT_SEEDS=a,b,... (default 1,2), CUT_RATE (0.08).
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MfaError, type Mfa, type MfaStore, type RecoveryCodesMfa } from '../../src/index.js';
import { parseRecord, type MfaRecord } from '../../src/lifecycle/public.js';
import { postgresStore } from '../../src/stores/postgres.js';
import { redisStore } from '../../src/stores/redis.js';
import { startChaosProxy, seeded, type ChaosProxy } from '../support/chaos-proxy.js';
import { codeAt, enrol, FakeClock, harnessMfa, STEP_MS, timeOfStep } from '../support/mp-common.js';
import { postgresAvailability, startPostgres } from '../support/postgres-server.js';
import { redisAvailability, startRedis } from '../support/redis-server.js';
import { skipUnless, waitFor } from '../support/services.js';

const GROUPS = Number(process.env.CUT_GROUPS ?? 40);
const SEEDS = (process.env.CUT_SEEDS ?? '1,2').split(',').map(Number);
const RATE = Number(process.env.CUT_RATE ?? 0.08);
const USERS = ['u0', 'u1', 'u2'];
const START_STEP = 1_000_000;

interface Backend {
  direct: MfaStore;
  /** A store whose client goes through a chaos proxy to the same server. */
  proxied(seed: number): Promise<{ store: MfaStore; proxy: ChaosProxy; close(): Promise<void>; settle(): Promise<void> }>;
  close(): Promise<void>;
}

const suffix = (): string => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

async function postgresBackend(): Promise<Backend> {
  const server = await startPostgres();
  const pool = new pg.Pool({ connectionString: server.url, max: 4 });
  const table = `mfa_cut_${suffix()}`;
  const direct = postgresStore({ client: pool, table });
  await direct.migrate();
  return {
    direct,
    async proxied(seed) {
      const proxy = await startChaosProxy(Number(new URL(server.url).port), { seed, rate: RATE });
      const p = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${proxy.port}/postgres`, max: 4, connectionTimeoutMillis: 5000 });
      p.on('error', () => {});
      return {
        store: postgresStore({ client: p, table }),
        proxy,
        settle: async () => {},
        close: async () => void (await p.end().catch(() => {}), await proxy.close()),
      };
    },
    async close() {
      await pool.end();
      await server.dispose();
    },
  };
}

async function redisBackend(): Promise<Backend> {
  const server = await startRedis();
  const io = new Redis(server.url);
  const prefix = `mfa_cut_${suffix()}:`;
  return {
    direct: redisStore({ client: io, prefix }),
    async proxied(seed) {
      const proxy = await startChaosProxy(server.port, { seed, rate: RATE });
      // Fail fast while disconnected, as the Redis docs of redisStore recommend.
      const c = new Redis(`redis://127.0.0.1:${proxy.port}`, { enableOfflineQueue: false, maxRetriesPerRequest: 0, autoResendUnfulfilledCommands: false, retryStrategy: () => 10 });
      c.on('error', () => {});
      return {
        store: redisStore({ client: c, prefix }),
        proxy,
        // Between groups, let the client reconnect (a pool would; ioredis has one connection).
        settle: () => waitFor('the proxied Redis client to reconnect', async () => c.status === 'ready', 5000),
        close: async () => void (c.disconnect(), await proxy.close()),
      };
    },
    async close() {
      io.disconnect();
      await server.dispose();
    },
  };
}

type Outcome =
  | { kind: 'step'; user: string; step: number }
  | { kind: 'recovery'; user: string; code: string; generation: string; index: number }
  | { kind: 'regenerated'; user: string; step: number; codes: readonly string[] }
  | { kind: 'confirmed'; user: string; step: number }
  | null;

const generationOf = (record: MfaRecord): string => JSON.stringify({ ...record.recoveryCodes, usedAt: undefined });

async function run(backend: Backend, seed: number, totals: Record<string, number>, wrap: (s: MfaStore) => MfaStore = (s) => s): Promise<void> {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const clock = new FakeClock();
  const truth = async (id: string): Promise<MfaRecord | null> => {
    const raw = await backend.direct.get(id);
    return raw === null ? null : parseRecord(raw, id);
  };
  const clean = harnessMfa(backend.direct, clock);
  const users = new Map<string, { secret: string; codes: readonly string[]; generation: string | null }>();
  const ids = USERS.map((u) => `${u}_${seed}_${suffix()}`);
  for (const id of ids) {
    const e = await enrol(clean, clock, id, START_STEP);
    users.set(id, { secret: e.secret, codes: e.recoveryCodes, generation: generationOf((await truth(id))!) });
  }
  const { store, proxy, close, settle } = await backend.proxied(seed);
  const mfa: Mfa & RecoveryCodesMfa = harnessMfa(wrap(store), clock);
  const acceptedSteps = new Set<string>();
  const acceptedCodes = new Set<string>();
  let step = START_STEP;
  let fresh = 0;
  try {
    for (let g = 0; g < GROUPS; g++) {
      step += 1;
      clock.set(timeOfStep(step));
      const regenerating = new Set<string>(); // users with a regenerate in this group, whatever its outcome
      const calls = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
        const id = pick(ids);
        const user = users.get(id)!;
        const r = random();
        return async (): Promise<Outcome> => {
          if (r < 0.3) {
            const s = random() < 0.7 ? step : step - 1;
            const v = await mfa.verifyLogin(id, codeAt(user.secret, s));
            return v.ok ? { kind: 'step', user: id, step: s } : null;
          }
          if (r < 0.4) {
            await mfa.verifyLogin(id, '000000').then((v) => v.ok && codeAt(user.secret, step) !== '000000' && expect.fail('a wrong code was accepted'));
            return null;
          }
          if (r < 0.65 && user.generation !== null) {
            const index = Math.floor(random() * user.codes.length);
            const generation = user.generation;
            const v = await mfa.verifyLogin(id, user.codes[index]!);
            return v.ok ? { kind: 'recovery', user: id, code: user.codes[index]!, generation, index } : null;
          }
          if (r < 0.75) {
            regenerating.add(id);
            const v = await mfa.regenerateRecoveryCodes(id, { code: codeAt(user.secret, step) });
            return v.ok ? { kind: 'regenerated', user: id, step, codes: v.recoveryCodes } : null;
          }
          if (r < 0.85) {
            const nid = `n${fresh++}_${seed}_${suffix()}`;
            const begun = await mfa.beginEnrollment(nid, { account: `${nid}@example.com` });
            if (!begun.ok) return null;
            const v = await mfa.confirmEnrollment(nid, codeAt(Buffer.from(begun.secret).toString('base64url'), step));
            return v.ok ? { kind: 'confirmed', user: nid, step } : null;
          }
          await mfa.getStatus(id);
          return null;
        };
      });
      const settled = await Promise.allSettled(calls.map((c) => c()));
      for (const s of settled) {
        totals.calls!++;
        if (s.status === 'rejected') {
          const err = s.reason as unknown;
          expect(err, String(err)).toBeInstanceOf(MfaError);
          const code = (err as MfaError).code;
          expect(['STORE_UNAVAILABLE', 'CONFLICT'], `unexpected ${code}`).toContain(code);
          totals[code] = (totals[code] ?? 0) + 1;
          // An unknown outcome: whatever the regenerate did, the codes we hold may be stale.
          continue;
        }
        totals.answered!++;
        const v = s.value;
        if (v === null) continue;
        totals[v.kind] = (totals[v.kind] ?? 0) + 1;
        const record = await truth(v.user);
        if (v.kind === 'confirmed') {
          expect(record?.status, 'a confirmed enrolment is not active in the store').toBe('active');
          continue;
        }
        if (v.kind === 'step' || v.kind === 'regenerated') {
          const key = `${v.user}:${v.step}`;
          expect(acceptedSteps.has(key), `TOTP step ${key} accepted twice`).toBe(false);
          acceptedSteps.add(key);
          const stored = record?.method?.type === 'totp' ? (record.method.lastStep ?? -1) : -1;
          expect(stored, 'a reported TOTP success is not in the store').toBeGreaterThanOrEqual(v.step);
        }
        if (v.kind === 'recovery') {
          expect(acceptedCodes.has(v.code), 'a recovery code was accepted twice').toBe(false);
          acceptedCodes.add(v.code);
          // Still the set it came from: the use must be recorded in it. A set replaced since can only
          // be by a regenerate of this group that ran after the login (the login cannot have used a
          // code of a set already replaced: that set's hashes were gone).
          if (generationOf(record!) === v.generation) {
            expect(record!.recoveryCodes!.usedAt[v.index], 'a reported recovery-code use is not in the store').not.toBeNull();
          } else expect(regenerating.has(v.user), 'a recovery code of a replaced set was accepted').toBe(true);
        }
      }
      // Learn each user's current set: after an answered regenerate, its codes (if a concurrent
      // regenerate whose answer was lost committed after it, they simply fail: no false success is
      // possible); after only a lost one the codes are unknown and recovery logins stop for that user.
      const regenerated = new Map<string, readonly string[]>();
      for (const s of settled) if (s.status === 'fulfilled' && s.value?.kind === 'regenerated') regenerated.set(s.value.user, s.value.codes);
      for (const id of ids) {
        const record = (await truth(id))!;
        expect(record.status).toBe('active');
        const u = users.get(id)!;
        const generation = generationOf(record);
        if (regenerated.has(id)) {
          u.codes = regenerated.get(id)!;
          u.generation = generation;
        } else if (u.generation !== generation) u.generation = null;
      }
      await settle();
    }
  } finally {
    totals.cutsBefore! += proxy.cuts.before;
    totals.cutsAfter! += proxy.cuts.after;
    totals.chunks! += proxy.cuts.chunks;
    await close();
  }
  // Every record, including the half-enrolled ones, parses.
  for (const id of ids) expect(await truth(id)).not.toBeNull();
}

const backends: [string, () => Promise<Backend>, boolean][] = [
  ['PostgreSQL', postgresBackend, skipUnless('PostgreSQL cut fault injection', postgresAvailability())],
  ['Redis', redisBackend, skipUnless('Redis cut fault injection', redisAvailability())],
];

describe.each(backends)('lifecycle over %s, connections cut at random mid-call', (name, open, skip) => {
  const totals: Record<string, number> = { calls: 0, answered: 0, cutsBefore: 0, cutsAfter: 0, chunks: 0 };
  let backend: Backend | undefined;
  afterAll(async () => {
    console.log(`cut fault injection ${name}: seeds ${SEEDS.join(',')} × ${GROUPS} groups, rate ${RATE}: ${JSON.stringify(totals)}`);
    await backend?.close();
  });

  it.skipIf(skip)('never reports an uncommitted write, never accepts a code twice, answers or throws STORE_UNAVAILABLE/CONFLICT', async () => {
    backend = await open();
    for (const seed of SEEDS) await run(backend, seed, totals);
    // The run must have cut connections on both sides of the server, or it proved nothing.
    expect(totals.cutsBefore).toBeGreaterThan(0);
    expect(totals.cutsAfter).toBeGreaterThan(0);
    expect(totals.STORE_UNAVAILABLE ?? 0).toBeGreaterThan(0);
  }, 600_000);

  it.skipIf(skip)('positive control: a store that answers true when the cut write failed is caught', async () => {
    // What a store must never do: turn "the connection died, outcome unknown" into "written".
    const lying = (store: MfaStore): MfaStore => ({
      get: (id) => store.get(id),
      delete: (id) => store.delete(id),
      compareAndSet: (id, expected, record) => store.compareAndSet(id, expected, record).catch(() => true),
    });
    backend ??= await open();
    const ignored = { calls: 0, answered: 0, cutsBefore: 0, cutsAfter: 0, chunks: 0 };
    const failure = await run(backend, 99, ignored, lying).then(
      () => null,
      (err: unknown) => err,
    );
    expect(String(failure)).toMatch(/not in the store|not active in the store|accepted twice|replaced set/);
  }, 600_000);
});
