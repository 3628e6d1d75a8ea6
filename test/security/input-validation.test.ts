// Hostile strings from the application's side (user ids, account labels, destinations, purposes,
// labels, actors, API password ids, scope names, the issuer) fail their own call with INVALID_INPUT
// before the store is touched: U+0000 is refused by PostgreSQL jsonb/text, a lone surrogate has no
// UTF-8 spelling (drivers fail the statement or turn it into U+FFFD, merging two ids), and control
// characters forge log lines and URI labels. Batching engines put calls of one event-loop turn into
// one statement, so one such value used to fail every other user's login in the same batch.
//
// Strings a *user* types (codes, recovery codes, tokens, API passwords) are the opposite case:
// verification never throws on them, it answers a typed result.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createMfa, MemoryStore, policies, type ApiPasswordsMfa, type ConfirmationTokensMfa, type Mfa as CoreMfa, type MfaStore, type OneTimeCodesMfa, type PoliciesMfa, type RecoveryCodesMfa } from '../../src/index.js';
import { postgresStore } from '../../src/stores/postgres.js';
import { FakeClock, seededRandom } from '../../src/testing/index.js';
import { codeAt, enrol, harnessMfa } from '../support/mp-common.js';
import { allFeatures } from '../support/features.js';

/** The service with every feature on: each entry point below is reachable. */
type Mfa = CoreMfa & RecoveryCodesMfa & PoliciesMfa & OneTimeCodesMfa & ConfirmationTokensMfa & ApiPasswordsMfa;
import { postgresAvailability, startPostgres } from '../support/postgres-server.js';
import { skipUnless, uniqueSuffix } from '../support/services.js';

/** The hostile strings; each is also tried in the middle of an otherwise fine value. */
const HOSTILE: readonly [string, string][] = [
  ['U+0000', 'x\u0000y'],
  ['lone high surrogate at the end', 'bob\uD800'],
  ['lone high surrogate before a letter', 'a\uD83Db'],
  ['lone low surrogate', 'x\uDC00y'],
  ['reversed surrogate pair', 'x\uDE00\uD83Dy'],
  ['BEL', 'x\u0007y'],
  ['newline (forged log line)', 'alice\ntype=verified'],
  ['ESC (terminal escape)', 'x\u001b[31my'],
  ['DEL', 'x\u007fy'],
  ['C1 NEL', 'x\u0085y'],
];

/** Strings that must stay accepted: real-world ids and labels. */
const FINE: readonly string[] = ['alice', 'ünïcödé', '🔐 emoji pair', 'tenant/42 user 7', '"quoted" \'x\'', '\uFFFD replacement char'];

/** A real MemoryStore behind a counter: every call the service makes reaches it. */
function countingStore(): { store: MfaStore; calls: () => number } {
  const inner = new MemoryStore();
  let n = 0;
  const store: MfaStore = {
    get: (id) => (n++, inner.get(id)),
    compareAndSet: (id, expected, record) => (n++, inner.compareAndSet(id, expected, record)),
    delete: (id) => (n++, inner.delete(id)),
  };
  return { store, calls: () => n };
}

function service(store: MfaStore): Mfa {
  return createMfa({
    store,
    issuer: 'Acme',
    clock: new FakeClock(Date.UTC(2026, 0, 1)),
    rng: seededRandom('hostile'),
    features: allFeatures(),
  });
}

/** Every lifecycle entry point that takes an application-supplied string, with `s` in that place. */
const ENTRY_POINTS: readonly [string, (mfa: Mfa, s: string) => Promise<unknown>][] = [
  ['beginEnrollment userId', (m, s) => m.beginEnrollment(s, { account: 'a@example.com' })],
  ['beginEnrollment account', (m, s) => m.beginEnrollment('u', { account: s })],
  ['beginEnrollment destination', (m, s) => m.beginEnrollment('u', { method: 'sms', destination: `+1 555 ${s}` })],
  ['pendingEnrollment userId', (m, s) => m.pendingEnrollment(s)],
  ['confirmEnrollment userId', (m, s) => m.confirmEnrollment(s, '123456')],
  ['verifyLogin userId', (m, s) => m.verifyLogin(s, '123456')],
  ['verifyLogin client', (m, s) => m.verifyLogin('u', '123456', { client: `198.51.100.7 ${s}` })],
  ['unlock userId', (m, s) => m.unlock(s, { actor: 'support' })],
  ['unlock actor', (m, s) => m.unlock('u', { actor: s })],
  ['loginRequirement userId', (m, s) => m.loginRequirement(s)],
  ['getStatus userId', (m, s) => m.getStatus(s)],
  ['resetSecret userId', (m, s) => m.resetSecret(s)],
  ['resetSecret account', (m, s) => m.resetSecret('u', { account: s })],
  ['adminReset userId', (m, s) => m.adminReset(s, { actor: 'root' })],
  ['adminReset actor', (m, s) => m.adminReset('u', { actor: s })],
  ['disable userId', (m, s) => m.disable(s, { code: '123456' })],
  ['regenerateRecoveryCodes userId', (m, s) => m.regenerateRecoveryCodes(s, { code: '123456' })],
  ['setPolicy userId', (m, s) => m.setPolicy({ userId: s }, { required: true }, { actor: 'root' })],
  ['setPolicy scope', (m, s) => m.setPolicy({ scope: s }, { required: true }, { actor: 'root' })],
  ['setPolicy actor', (m, s) => m.setPolicy({ userId: 'u' }, { required: true }, { actor: s })],
  ['getPolicy userId', (m, s) => m.getPolicy({ userId: s })],
  ['getPolicy scope', (m, s) => m.getPolicy({ scope: s })],
  ['removeUser userId', (m, s) => m.removeUser(s)],
  ['sendChallenge userId', (m, s) => m.sendChallenge(s, 'login')],
  ['sendChallenge purpose', (m, s) => m.sendChallenge('u', s)],
  ['issueConfirmationToken userId', (m, s) => m.issueConfirmationToken(s, 'disable')],
  ['issueConfirmationToken purpose', (m, s) => m.issueConfirmationToken('u', s)],
  ['issueApiPassword userId', (m, s) => m.issueApiPassword(s)],
  ['issueApiPassword label', (m, s) => m.issueApiPassword('u', { label: s })],
  ['verifyApiPassword userId', (m, s) => m.verifyApiPassword(s, 'mfak_x')],
  ['revokeApiPassword userId', (m, s) => m.revokeApiPassword(s, 'id')],
  ['revokeApiPassword id', (m, s) => m.revokeApiPassword('u', s)],
  ['listApiPasswords userId', (m, s) => m.listApiPasswords(s)],
  ['passwordAuthAllowed userId', (m, s) => m.passwordAuthAllowed(s, 'api')],
  ['execute userId', (m, s) => m.execute(s, { type: 'verifyLogin', input: '123456' })],
  ['execute account', (m, s) => m.execute('u', { type: 'beginEnrollment', account: s })],
];

describe('hostile strings: INVALID_INPUT before the store is touched', () => {
  for (const [entry, call] of ENTRY_POINTS) {
    it.each(HOSTILE)(`${entry}: %s`, async (_, hostile) => {
      const { store, calls } = countingStore();
      await expect(call(service(store), hostile)).rejects.toMatchObject({ name: 'MfaError', code: 'INVALID_INPUT' });
      expect(calls()).toBe(0);
    });
  }

  it.each(HOSTILE)('createMfa issuer: %s', (_, hostile) => {
    expect(() => createMfa({ store: new MemoryStore(), issuer: hostile })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it.each(HOSTILE)('policies({ scopes }) returning a hostile scope name: %s', async (_, hostile) => {
    const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', features: [policies({ scopes: () => [hostile] })] });
    await expect(mfa.getStatus('u')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('the message names the field, never the value', async () => {
    const err = await service(new MemoryStore()).beginEnrollment('u', { account: 'secret-ish\u0000value' }).catch((e: unknown) => e);
    expect(String((err as Error).message)).toContain('account');
    expect(String((err as Error).message)).not.toContain('secret-ish');
  });

  it('real-world ids and labels stay accepted (no over-blocking)', async () => {
    const mfa = service(new MemoryStore());
    for (const s of FINE) {
      const begun = await mfa.beginEnrollment(s, { account: s });
      expect(begun.ok).toBe(true);
      expect(await mfa.loginRequirement(s)).toBe('confirm');
      expect((await mfa.issueApiPassword(s, { label: s })).ok).toBe(true);
      await mfa.setPolicy({ scope: s }, { required: true }, { actor: s });
    }
  });
});

describe('hostile strings a user types are results, never exceptions', () => {
  it.each(HOSTILE)('verifyLogin, confirmEnrollment, disable, verifyApiPassword: %s', async (_, hostile) => {
    const mfa = service(new MemoryStore());
    const begun = await mfa.beginEnrollment('u', { account: 'a@example.com' });
    expect(begun.ok).toBe(true);
    expect(await mfa.confirmEnrollment('u', hostile)).toMatchObject({ ok: false, reason: 'format' });
    expect(await mfa.verifyLogin('u', hostile)).toMatchObject({ ok: false });
    expect(await mfa.disable('u', { code: hostile })).toMatchObject({ ok: true }); // pending: no proof needed
    expect(await mfa.verifyApiPassword('u', hostile)).toEqual({ ok: false, reason: 'format' });
  });
});

// On PostgreSQL: calls of one event-loop turn share one SELECT and one UPDATE. A hostile value must
// fail only its own call. Fails on the code before this check: every login in the batch rejected
// with STORE_UNAVAILABLE.
const skip = skipUnless('PostgreSQL batch isolation of hostile input', postgresAvailability());
const server = skip ? null : await startPostgres();
const pool = server ? new pg.Pool({ connectionString: server.url, max: 8 }) : null;
pool?.on('error', () => {});
afterAll(async () => {
  await pool?.end().catch(() => {});
  await server?.dispose();
});

describe.skipIf(skip)('PostgreSQL: a hostile value does not fail other users in the same batch', () => {
  const HONEST = 7;
  async function setup() {
    const store = postgresStore({ client: pool!, table: `mfa_hostile_${uniqueSuffix()}` });
    await store.migrate();
    const clock = new FakeClock();
    const mfa = harnessMfa(store, clock);
    const users = [];
    for (let i = 0; i < HONEST; i++) users.push(await enrol(mfa, clock, `user${i}`, 1000));
    clock.set(clock.now() + 30_000); // next step: every user has a fresh code
    return { mfa, users, step: 1001 };
  }

  it("beginEnrollment(…, { account: 'x\\u0000y' }) among 7 logins: 7 logins succeed, only the hostile call fails", async () => {
    const { mfa, users, step } = await setup();
    const logins = users.map((u) => mfa.verifyLogin(u.userId, codeAt(u.secret, step)));
    const hostile = mfa.beginEnrollment('mallory', { account: 'x\u0000y' });
    const results = await Promise.allSettled([...logins, hostile]);
    expect(results.slice(0, HONEST).map((r) => (r.status === 'fulfilled' ? (r.value as { ok: boolean }).ok : (r.reason as { code: string }).code))).toEqual(
      Array(HONEST).fill(true),
    );
    expect(results[HONEST]).toMatchObject({ status: 'rejected', reason: { code: 'INVALID_INPUT' } });
  });

  it.each([
    ['U+0000', 'bob\u0000'],
    ['lone surrogate', 'bob\uD800'],
  ])('a user id with %s among 7 logins: 7 logins succeed', async (_, id) => {
    const { mfa, users, step } = await setup();
    const logins = users.map((u) => mfa.verifyLogin(u.userId, codeAt(u.secret, step)));
    const hostile = mfa.verifyLogin(id, '123456');
    const results = await Promise.allSettled([...logins, hostile]);
    expect(results.slice(0, HONEST).map((r) => (r.status === 'fulfilled' ? (r.value as { ok: boolean }).ok : (r.reason as { code: string }).code))).toEqual(
      Array(HONEST).fill(true),
    );
    expect(results[HONEST]).toMatchObject({ status: 'rejected', reason: { code: 'INVALID_INPUT' } });
  });
});
