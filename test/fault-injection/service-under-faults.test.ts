// The lifecycle service over a store that fails, delays, duplicates and loses answers
// (faultyStore from mfakit/testing over a MemoryStore), driven by fast-check: random fault rates
// and seeds × random groups of concurrent logins by several users. After every group the records
// are read straight from the inner store (the truth) and checked:
// - the service answers or throws MfaError STORE_UNAVAILABLE / CONFLICT, never anything else;
// - a login it reports as successful is committed (lastStep / usedAt are in the store);
// - no TOTP step and no recovery code is ever accepted twice;
// - a committed recovery-code use or TOTP step is never lost (usedAt stays set, lastStep never drops);
// - every record still parses;
// - through the optional store capabilities the wrapper passes on: an answered `verifyApiKey` (the
//   store's `lookup`, then a read) of a user's issued key names that user and a tampered key never
//   passes; an answered `listUsers` walk (the store's `list`, pages of two) lists every user once, in order.
// FAULT_RUNS=N runs N schedules (default 150; the figure in the note is from a larger run).
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { apiPasswords, createMfa, FakeClock, MemoryStore, MfaError, recoveryCodes, seededRandom, totp, userListing, type MfaStore } from '../../src/index.js';
import { parseRecord } from '../../src/lifecycle/public.js';
import { faultyStore, type FaultKind, type FaultyStore } from '../../src/testing/index.js';
import { CHECK_CHARS, checksum } from '../../src/_internal/token-checksum.js';
import { enrolledUser } from '../support/enrolled-user.js';

const USERS = ['u0', 'u1', 'u2'];
const START = Date.UTC(2026, 5, 1);
const RUNS = Number(process.env.FAULT_RUNS ?? 150);

type Call =
  | { kind: 'totp' | 'previous-step' | 'wrong' | 'status' | 'api-key' | 'tampered-key' | 'list'; user: number }
  | { kind: 'recovery'; user: number; code: number };

const callArb: fc.Arbitrary<Call> = fc.oneof(
  fc.record({ kind: fc.constantFrom('totp' as const, 'previous-step' as const, 'wrong' as const, 'status' as const), user: fc.nat(USERS.length - 1) }),
  fc.record({ kind: fc.constantFrom('api-key' as const, 'tampered-key' as const, 'list' as const), user: fc.nat(USERS.length - 1) }),
  fc.record({ kind: fc.constant('recovery' as const), user: fc.nat(USERS.length - 1), code: fc.nat(9) }),
);
const groupArb = fc.record({ advanceMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 45_000 })), calls: fc.array(callArb, { minLength: 1, maxLength: 5 }) });
const ratesArb = fc.record({
  seed: fc.integer(),
  failBefore: fc.double({ min: 0, max: 0.25, noNaN: true }),
  failAfter: fc.double({ min: 0, max: 0.25, noNaN: true }),
  delay: fc.double({ min: 0, max: 0.3, noNaN: true }),
  duplicate: fc.double({ min: 0, max: 0.15, noNaN: true }),
  maxDelayTicks: fc.integer({ min: 1, max: 30 }),
});
/** Few attempts make concurrent logins of one user give up with CONFLICT, a path worth covering. */
const attemptsArb = fc.oneof(fc.constant(16), fc.integer({ min: 1, max: 3 }));

const totals = {
  schedules: 0,
  commands: 0,
  groups: 0,
  ok: 0,
  storeUnavailable: 0,
  conflict: 0,
  apiKeys: 0,
  listings: 0,
  faults: { pass: 0, 'fail-before': 0, 'fail-after': 0, delay: 0, duplicate: 0 } as Record<FaultKind, number>,
  lookupCalls: 0,
  listCalls: 0,
};

interface User {
  secret: Uint8Array;
  codes: readonly string[];
  apiKey: string;
}

const features = () => [recoveryCodes(), apiPasswords(), userListing()];
type Service = ReturnType<typeof createMfa<ReturnType<typeof features>>>;

async function enrol(mfa: Service, clock: FakeClock, id: string): Promise<User> {
  const { secret, recoveryCodes } = await enrolledUser(mfa, clock, id, { advance: false });
  const issued = await mfa.issueApiPassword(id);
  if (!issued.ok) throw new Error(`issueApiPassword: ${issued.reason}`);
  return { secret, codes: recoveryCodes, apiKey: issued.password };
}

/** The key with the last character of its secret part changed and a valid checksum: same id, wrong secret. */
function tampered(key: string): string {
  const head = key.slice(0, -CHECK_CHARS);
  const changed = head.slice(0, -1) + (head.endsWith('A') ? 'B' : 'A');
  return changed + checksum(changed);
}

/** A code no step of the ±1 window produces. */
function wrongCode(secret: Uint8Array, now: number): string {
  const valid = new Set([-30_000, 0, 30_000].map((d) => totp(secret, { time: now + d })));
  for (let i = 0; ; i++) if (!valid.has(String(i).padStart(6, '0'))) return String(i).padStart(6, '0');
}

type Rates = typeof ratesArb extends fc.Arbitrary<infer R> ? R : never;
type Group = typeof groupArb extends fc.Arbitrary<infer G> ? G : never;

async function scenario(rates: Rates, groups: Group[], maxAttempts = 16, wrap: (store: MfaStore) => MfaStore = (s) => s): Promise<void> {
  const inner = new MemoryStore();
  const clock = new FakeClock(START);
  const options = { issuer: 'Acme', clock, throttle: { maxFailures: 1000 } };
  const clean = createMfa({ ...options, store: inner, rng: seededRandom(rates.seed), features: features() });
  const users: User[] = [];
  for (const id of USERS) users.push(await enrol(clean, clock, id));
  clock.advance(30_000);

  const store = faultyStore(inner, rates);
  const mfa = createMfa({ ...options, store: wrap(store), rng: seededRandom(rates.seed ^ 1), maxAttempts, features: features() });
  const acceptedSteps = new Set<string>();
  const acceptedCodes = new Set<string>();
  const lastStep = USERS.map(() => -1);
  const used = USERS.map(() => new Set<number>());

  for (const group of groups) {
    clock.advance(group.advanceMs);
    const now = clock.now();
    const step = Math.floor(now / 30_000);
    const runs = group.calls.map(async (call) => {
      const id = USERS[call.user]!;
      const user = users[call.user]!;
      switch (call.kind) {
        case 'status':
          await mfa.getStatus(id);
          return null;
        case 'totp':
        case 'previous-step': {
          const s = call.kind === 'totp' ? step : step - 1;
          const r = await mfa.verifyLogin(id, totp(user.secret, { time: s * 30_000 }));
          return r.ok ? { user: call.user, step: s } : null;
        }
        case 'wrong': {
          const r = await mfa.verifyLogin(id, wrongCode(user.secret, now));
          expect(r.ok).toBe(false);
          return null;
        }
        case 'recovery': {
          const r = await mfa.verifyLogin(id, user.codes[call.code]!);
          return r.ok ? { user: call.user, code: call.code } : null;
        }
        case 'api-key': {
          const r = await mfa.verifyApiKey(user.apiKey);
          expect(r, 'an issued API key was refused or named another user').toMatchObject({ ok: true, userId: id });
          totals.apiKeys++;
          return null;
        }
        case 'tampered-key': {
          const r = await mfa.verifyApiKey(tampered(user.apiKey));
          expect(r, 'a tampered API key passed').toEqual({ ok: false, reason: 'mismatch' });
          return null;
        }
        case 'list': {
          const listed: string[] = [];
          let after: string | null = null;
          do {
            const page = await mfa.listUsers({ after, limit: 2 });
            listed.push(...page.users.map((u) => u.userId));
            after = page.next;
          } while (after !== null);
          expect(listed, 'listUsers lost, repeated or misordered a user').toEqual(USERS);
          totals.listings++;
          return null;
        }
      }
    });
    const settled = await Promise.allSettled(runs);
    totals.groups++;
    totals.commands += settled.length;

    // Reads of the truth: the inner store, not through the faults.
    const records = await Promise.all(USERS.map(async (id) => parseRecord(await inner.get(id), id)));
    records.forEach((record, u) => {
      const method = record.method;
      if (method === null || method.type !== 'totp') throw new Error('the TOTP method vanished');
      const stored = method.lastStep ?? -1;
      expect(stored, 'a committed TOTP step was lost').toBeGreaterThanOrEqual(lastStep[u]!);
      lastStep[u] = stored;
      const usedAt = record.recoveryCodes!.usedAt;
      for (const i of used[u]!) expect(usedAt[i], `a committed use of recovery code ${i} was lost`).not.toBeNull();
      usedAt.forEach((at, i) => at !== null && used[u]!.add(i));
    });

    for (const s of settled) {
      if (s.status === 'rejected') {
        const err = s.reason as unknown;
        expect(err, String(err)).toBeInstanceOf(MfaError);
        const code = (err as MfaError).code;
        expect(['STORE_UNAVAILABLE', 'CONFLICT'], `unexpected ${code}`).toContain(code);
        if (code === 'CONFLICT') totals.conflict++;
        else totals.storeUnavailable++;
        continue;
      }
      totals.ok++;
      const v = s.value;
      if (v === null) continue;
      if ('step' in v) {
        const key = `${v.user}:${v.step}`;
        expect(acceptedSteps.has(key), `TOTP step ${key} accepted twice`).toBe(false);
        acceptedSteps.add(key);
        expect(lastStep[v.user]!, 'a reported TOTP success is not in the store').toBeGreaterThanOrEqual(v.step);
      } else {
        const key = `${v.user}:${v.code}`;
        expect(acceptedCodes.has(key), `recovery code ${key} accepted twice`).toBe(false);
        acceptedCodes.add(key);
        expect(used[v.user]!.has(v.code), 'a reported recovery-code success is not in the store').toBe(true);
      }
    }
  }
  totals.schedules++;
  for (const k of Object.keys(store.counts) as FaultKind[]) totals.faults[k] += store.counts[k];
  totals.lookupCalls += store.log.filter((e) => e.call.operation === 'lookup').length;
  totals.listCalls += store.log.filter((e) => e.call.operation === 'list').length;
}

describe('createMfa over faultyStore(new MemoryStore())', () => {
  afterAll(() => {
    console.log(
      `fault injection: ${totals.schedules} schedules × ${totals.commands} commands in ${totals.groups} concurrent groups; ` +
        `answered ${totals.ok}, STORE_UNAVAILABLE ${totals.storeUnavailable}, CONFLICT ${totals.conflict}; ` +
        `${totals.apiKeys} API keys verified, ${totals.listings} listings walked; store calls ${JSON.stringify(totals.faults)} ` +
        `(lookup ${totals.lookupCalls}, list ${totals.listCalls})`,
    );
  });

  it('never reports an uncommitted write, never accepts a code twice, never loses a committed use, keeps records valid', async () => {
    await fc.assert(
      fc.asyncProperty(ratesArb, fc.array(groupArb, { minLength: 1, maxLength: 25 }), attemptsArb, async (rates, groups, attempts) => {
        await scenario(rates, groups, attempts);
      }),
      { numRuns: RUNS },
    );
    expect(totals.faults['fail-after']).toBeGreaterThan(0);
    expect(totals.lookupCalls).toBeGreaterThan(0);
    expect(totals.listCalls).toBeGreaterThan(0);
    expect(totals.storeUnavailable).toBeGreaterThan(0);
  });

  it('positive control: a store that acknowledges writes it dropped is caught', async () => {
    // Every third compareAndSet answers true without writing: what the property exists to catch.
    const lying = (store: MfaStore): MfaStore & Pick<FaultyStore, 'lookup'> => {
      let n = 0;
      return {
        get: (id) => store.get(id),
        delete: (id) => store.delete(id),
        compareAndSet: async (id, expected, record) => (++n % 3 === 0 ? true : store.compareAndSet(id, expected, record)),
        lookup: (key: string) => (store as FaultyStore).lookup!(key),
        list: (options) => store.list!(options),
      };
    };
    const saved = structuredClone(totals); // the control's runs are not part of the reported figures
    const details = await fc.check(
      fc.asyncProperty(ratesArb, fc.array(groupArb, { minLength: 1, maxLength: 25 }), async (rates, groups) => {
        await scenario(rates, groups, 16, lying);
      }),
      { numRuns: 100, seed: 1 },
    );
    Object.assign(totals, saved);
    expect(details.failed).toBe(true);
    expect(String(details.errorInstance)).toMatch(/not in the store|lost/);
  });
});
