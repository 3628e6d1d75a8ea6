// The lifecycle service over real PostgreSQL and Redis whose connections are cut at random in the
// middle of calls (test/support/chaos-proxy.ts between the service's client and the server), with
// several users and concurrent callers: logins by TOTP (current and previous step, wrong codes, and
// secrets already replaced), recovery codes, regenerateRecoveryCodes, resetSecret and disable with a
// TOTP proof, adminReset, confirmations of a reset's new secret, and new enrolments (begin +
// confirm), any of whose answers can be lost. The truth is read through a second client that
// bypasses the proxy. After every group of concurrent calls:
// - each call answered or threw MfaError STORE_UNAVAILABLE / CONFLICT, nothing else;
// - a reported success is committed: a TOTP login or proof's step is ≤ the stored lastStep, a
//   recovery-code use is marked in the set it came from, a confirmed enrolment is active with its
//   secret, regenerated codes are the stored set, a reset no longer holds the old secret, a disable
//   or administrator reset left the user disabled;
// - once a reset, disable or administrator reset was acknowledged, the old secret never verifies
//   again (checked at once with the next step's code, and in later groups);
// - no TOTP step of a secret and no recovery code is ever accepted twice;
// - every record parses.
// Users whose state the test cannot know (a lost answer) are enrolled again through the direct client.
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
const ZERO = { calls: 0, answered: 0, afterChecks: 0, retiredRefused: 0, reenrolled: 0, cutsBefore: 0, cutsAfter: 0, chunks: 0 };

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
  | { kind: 'step'; user: string; secret: string; step: number }
  | { kind: 'recovery'; user: string; code: string; generation: string; index: number }
  | { kind: 'regenerated'; user: string; secret: string; step: number; codes: readonly string[] }
  | { kind: 'confirmed'; user: string; secret: string; step: number; codes: readonly string[] }
  | { kind: 'reset'; user: string; secret: string; step: number; newSecret: string }
  | { kind: 'disabled'; user: string; secret: string; step: number }
  | { kind: 'adminReset'; user: string; secret: string }
  | null;

/**
 * What the test knows of a user: the secret it last saw acknowledged (active, or pending after an
 * acknowledged resetSecret), the recovery codes of the set `generation` (null: unknown), and every
 * secret an acknowledged reset, disable, administrator reset or re-enrolment replaced.
 */
interface Known {
  secret: string;
  status: 'active' | 'pending' | 'disabled';
  codes: readonly string[];
  generation: string | null;
  retired: Set<string>;
}

const generationOf = (record: MfaRecord): string => JSON.stringify({ ...record.recoveryCodes, usedAt: undefined });
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
/** The TOTP secret a record holds, as the test spells it (base64url), or null without one. */
const secretOf = (record: MfaRecord | null): string | null =>
  record?.method?.type === 'totp' ? b64(Buffer.from(record.method.secret, 'base64url')) : null;

function storeError(err: unknown, totals: Record<string, number>, prefix = ''): void {
  expect(err, String(err)).toBeInstanceOf(MfaError);
  const code = (err as MfaError).code;
  expect(['STORE_UNAVAILABLE', 'CONFLICT'], `unexpected ${code}`).toContain(code);
  totals[prefix + code] = (totals[prefix + code] ?? 0) + 1;
}

async function run(backend: Backend, seed: number, totals: Record<string, number>, wrap: (s: MfaStore) => MfaStore = (s) => s): Promise<void> {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const clock = new FakeClock();
  const truth = async (id: string): Promise<MfaRecord | null> => {
    const raw = await backend.direct.get(id);
    return raw === null ? null : parseRecord(raw, id);
  };
  const clean = harnessMfa(backend.direct, clock);
  const users = new Map<string, Known>();
  const ids = USERS.map((u) => `${u}_${seed}_${suffix()}`);
  const enrolled: string[] = [];
  // Enrols (again) through the direct client, after clearing whatever the record holds: the secret
  // it replaces is gone for good, acknowledged.
  const reenrol = async (id: string, step: number): Promise<void> => {
    await clean.adminReset(id, { actor: 'test' });
    const e = await enrol(clean, clock, id, step);
    const known = users.get(id);
    if (known !== undefined) known.retired.add(known.secret);
    users.set(id, { secret: e.secret, status: 'active', codes: e.recoveryCodes, generation: generationOf((await truth(id))!), retired: known?.retired ?? new Set() });
  };
  for (const id of ids) await reenrol(id, START_STEP);
  const { store, proxy, close, settle } = await backend.proxied(seed);
  const mfa: Mfa & RecoveryCodesMfa = harnessMfa(wrap(store), clock);
  // After an acknowledged reset, disable or administrator reset, the old secret's code of the next
  // step (inside the verification window, never used) must be refused at once.
  const refusedAfter = async (id: string, secret: string, step: number, what: string): Promise<void> => {
    totals.afterChecks!++;
    const v = await mfa.verifyLogin(id, codeAt(secret, step)).catch((err: unknown) => (storeError(err, totals, 'afterCheck '), null));
    expect(v?.ok ?? false, `the old secret verified after an acknowledged ${what}`).toBe(false);
  };
  const acceptedSteps = new Set<string>();
  const acceptedCodes = new Set<string>();
  let step = START_STEP;
  let fresh = 0;
  try {
    for (let g = 0; g < GROUPS; g++) {
      step += 1;
      clock.set(timeOfStep(step));
      const regenerating = new Set<string>(); // users with a regenerate in this group, whatever its outcome
      const replacing = new Map<string, number>(); // calls that may replace a user's secret or clear it
      const replaces = (id: string): number => replacing.set(id, (replacing.get(id) ?? 0) + 1).get(id)!;
      const calls = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
        const id = pick(ids);
        const user = users.get(id)!;
        const { secret } = user;
        const r = random();
        const r2 = random();
        const retired = user.retired.size > 0 ? pick([...user.retired]) : null;
        return async (): Promise<Outcome> => {
          if (r < 0.25) {
            const s = r2 < 0.7 ? step : step - 1;
            const v = await mfa.verifyLogin(id, codeAt(secret, s));
            return v.ok ? { kind: 'step', user: id, secret, step: s } : null;
          }
          if (r < 0.32) {
            await mfa.verifyLogin(id, '000000').then((v) => v.ok && codeAt(secret, step) !== '000000' && expect.fail('a wrong code was accepted'));
            return null;
          }
          if (r < 0.47 && user.generation !== null) {
            const index = Math.floor(r2 * user.codes.length);
            const generation = user.generation;
            const v = await mfa.verifyLogin(id, user.codes[index]!);
            return v.ok ? { kind: 'recovery', user: id, code: user.codes[index]!, generation, index } : null;
          }
          if (r < 0.55) {
            regenerating.add(id);
            const v = await mfa.regenerateRecoveryCodes(id, { code: codeAt(secret, step) });
            return v.ok ? { kind: 'regenerated', user: id, secret, step, codes: v.recoveryCodes } : null;
          }
          if (r < 0.62) {
            const nid = `n${fresh++}_${seed}_${suffix()}`;
            enrolled.push(nid);
            const begun = await mfa.beginEnrollment(nid, { account: `${nid}@example.com` });
            if (!begun.ok) return null;
            const v = await mfa.confirmEnrollment(nid, codeAt(b64(begun.secret), step));
            return v.ok ? { kind: 'confirmed', user: nid, secret: b64(begun.secret), step, codes: v.recoveryCodes } : null;
          }
          if (r < 0.69) {
            replaces(id);
            const v = await mfa.resetSecret(id, { proof: { code: codeAt(secret, step) } });
            if (!v.ok) return null;
            await refusedAfter(id, secret, step + 1, 'resetSecret');
            return { kind: 'reset', user: id, secret, step, newSecret: b64(v.secret) };
          }
          if (r < 0.74) {
            replaces(id);
            const v = await mfa.disable(id, { code: codeAt(secret, step) });
            if (!v.ok) return null;
            await refusedAfter(id, secret, step + 1, 'disable');
            return { kind: 'disabled', user: id, secret, step };
          }
          if (r < 0.78) {
            replaces(id);
            await mfa.adminReset(id, { actor: 'admin' });
            await refusedAfter(id, secret, step + 1, 'adminReset');
            return { kind: 'adminReset', user: id, secret };
          }
          if (r < 0.86 && retired !== null) {
            const v = await mfa.verifyLogin(id, codeAt(retired, step));
            expect(v.ok, 'a secret replaced by an acknowledged reset, disable or re-enrolment verified').toBe(false);
            totals.retiredRefused!++;
            return null;
          }
          if (r < 0.92 && user.status === 'pending') {
            replaces(id);
            const v = await mfa.confirmEnrollment(id, codeAt(secret, step));
            return v.ok ? { kind: 'confirmed', user: id, secret, step, codes: v.recoveryCodes } : null;
          }
          await mfa.getStatus(id);
          return null;
        };
      });
      const settled = await Promise.allSettled(calls.map((c) => c()));
      const acked: NonNullable<Outcome>[] = [];
      for (const s of settled) {
        totals.calls!++;
        if (s.status === 'rejected') {
          // An unknown outcome: whatever the call did, what the test holds may be stale.
          storeError(s.reason, totals);
          continue;
        }
        totals.answered!++;
        const v = s.value;
        if (v === null) continue;
        acked.push(v);
        // A confirmation of an existing user's new secret (after a reset) is counted apart from new enrolments.
        const label = v.kind === 'confirmed' && ids.includes(v.user) ? 'resetConfirmed' : v.kind;
        totals[label] = (totals[label] ?? 0) + 1;
        const record = await truth(v.user);
        const stored = secretOf(record);
        if ('step' in v) {
          const key = `${v.user}:${v.secret}:${v.step}`;
          expect(acceptedSteps.has(key), `TOTP step ${key} accepted twice`).toBe(false);
          acceptedSteps.add(key);
        }
        if (v.kind === 'confirmed') {
          // Unless another call of this group cleared or replaced it since, it is active with that secret.
          if ((replacing.get(v.user) ?? 0) <= 1) {
            expect(record?.status, 'a confirmed enrolment is not active in the store').toBe('active');
            expect(stored, 'a confirmed enrolment is not active in the store').toBe(v.secret);
          }
          continue;
        }
        if (v.kind === 'step' || v.kind === 'regenerated') {
          if (stored === v.secret) {
            const lastStep = record?.method?.type === 'totp' ? (record.method.lastStep ?? -1) : -1;
            expect(lastStep, 'a reported TOTP success is not in the store').toBeGreaterThanOrEqual(v.step);
          } else expect(replacing.has(v.user), 'a secret changed with no reset, disable or confirmation').toBe(true);
        }
        if (v.kind === 'reset') expect(stored, 'an acknowledged reset is not in the store').not.toBe(v.secret);
        if (v.kind === 'disabled' || v.kind === 'adminReset') {
          expect(record?.status, `an acknowledged ${v.kind} is not in the store`).toBe('disabled');
        }
        if (v.kind === 'recovery') {
          expect(acceptedCodes.has(v.code), 'a recovery code was accepted twice').toBe(false);
          acceptedCodes.add(v.code);
          // Still the set it came from: the use must be recorded in it. A set replaced since can only
          // be by a regenerate, reset, disable or confirmation of this group that ran after the login
          // (the login cannot have used a code of a set already replaced: that set's hashes were gone).
          if (generationOf(record!) === v.generation) {
            expect(record!.recoveryCodes!.usedAt[v.index], 'a reported recovery-code use is not in the store').not.toBeNull();
          } else expect(regenerating.has(v.user) || replacing.has(v.user), 'a recovery code of a replaced set was accepted').toBe(true);
        }
      }
      // Learn each user's state. An acknowledged reset, disable or administrator reset retires the
      // secret it replaced. After an answered regenerate or confirmation, their codes (if a concurrent
      // call whose answer was lost committed after it, they simply fail: no false success is
      // possible); a state the test cannot know (a lost answer) is re-enrolled through the direct client.
      for (const v of acked) {
        if (v.kind === 'reset' || v.kind === 'disabled' || v.kind === 'adminReset') users.get(v.user)?.retired.add(v.secret);
      }
      for (const id of ids) {
        const record = (await truth(id))!;
        const u = users.get(id)!;
        const current = secretOf(record);
        const mine = acked.filter((v) => v.user === id);
        const confirmed = mine.find((v) => v.kind === 'confirmed' && v.secret === current);
        const reset = mine.find((v) => v.kind === 'reset' && v.newSecret === current);
        const regenerated = mine.find((v) => v.kind === 'regenerated');
        const generation = generationOf(record);
        if (record.status === 'active' && confirmed?.kind === 'confirmed') {
          Object.assign(u, { secret: current, status: 'active', codes: confirmed.codes, generation });
        } else if (record.status === 'active' && current === u.secret && !u.retired.has(current)) {
          u.status = 'active';
          if (regenerated?.kind === 'regenerated') Object.assign(u, { codes: regenerated.codes, generation });
          else if (u.generation !== generation) u.generation = null;
        } else if (record.status === 'pending' && reset?.kind === 'reset') {
          Object.assign(u, { secret: current, status: 'pending', generation: null });
        } else if (record.status === 'pending' && current === u.secret && u.status === 'pending') {
          // still waiting for its confirmation
        } else if (record.status === 'disabled' && random() < 0.5) {
          Object.assign(u, { status: 'disabled', generation: null });
        } else {
          await reenrol(id, step);
          totals.reenrolled!++;
        }
      }
      await settle();
    }
  } finally {
    totals.cutsBefore! += proxy.cuts.before;
    totals.cutsAfter! += proxy.cuts.after;
    totals.chunks! += proxy.cuts.chunks;
    await close();
  }
  // Every record, including the half-enrolled ones, parses (truth parses what it reads).
  for (const id of ids) expect(await truth(id)).not.toBeNull();
  for (const id of enrolled) await truth(id);
}

const backends: [string, () => Promise<Backend>, boolean][] = [
  ['PostgreSQL', postgresBackend, skipUnless('PostgreSQL cut fault injection', postgresAvailability())],
  ['Redis', redisBackend, skipUnless('Redis cut fault injection', redisAvailability())],
];

describe.each(backends)('lifecycle over %s, connections cut at random mid-call', (name, open, skip) => {
  const totals: Record<string, number> = { ...ZERO };
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

  /** The first violation a run over `wrap` reports, trying seeds from 99 on until one shows it. */
  const firstViolation = async (wrap: (s: MfaStore) => MfaStore): Promise<unknown> => {
    backend ??= await open();
    for (let seed = 99; seed < 109; seed++) {
      const failure = await run(backend, seed, { ...ZERO }, wrap).then(
        () => null,
        (err: unknown) => err,
      );
      if (failure !== null) return failure;
    }
    return null;
  };

  it.skipIf(skip)('positive control: a store that answers true when the cut write failed is caught', async () => {
    // What a store must never do: turn "the connection died, outcome unknown" into "written".
    const lying = (store: MfaStore): MfaStore => ({
      get: (id) => store.get(id),
      delete: (id) => store.delete(id),
      compareAndSet: (id, expected, record) => store.compareAndSet(id, expected, record).catch(() => true),
    });
    expect(String(await firstViolation(lying))).toMatch(/not in the store|not active in the store|accepted twice|replaced set|old secret verified|secret changed/);
  }, 600_000);

  it.skipIf(skip)('positive control: a store that acknowledges a reset or disable without writing it is caught', async () => {
    // Writes that take the secret away (a reset leaves the user pending, a disable or an administrator
    // reset disabled) are answered "written" and dropped; new enrolments (also pending) then fail.
    const dropping = (store: MfaStore): MfaStore => ({
      get: (id) => store.get(id),
      delete: (id) => store.delete(id),
      compareAndSet: async (id, expected, record) =>
        (record as { status?: string }).status === 'active' ? store.compareAndSet(id, expected, record) : true,
    });
    expect(String(await firstViolation(dropping))).toMatch(/acknowledged (reset|disable|adminReset) is not in the store|old secret verified/);
  }, 600_000);
});
