// enforcementDeadlines(): every transition of a policy with a grace — by date, by duration from the
// first sign-in, by password logins — with a FakeClock crossing each deadline, the grace fixed in the
// record (never renewed), exempt users, and the policy terms as setPolicy/getPolicy answer them.
import { describe, expect, it } from 'vitest';
import { createMfa, enforcementDeadlines, MemoryStore, policies, totp, type MfaEvent } from '../../../../src/index.js';
import { FakeClock, seededRandom } from '../../../../src/testing/index.js';
import { enrolledUser } from '../../../support/enrolled-user.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 5, 1, 9) + 10_000;

function setup(scopes: (userId: string) => string[] = () => ['org']) {
  const clock = new FakeClock(T0);
  const events: MfaEvent[] = [];
  const store = new MemoryStore();
  const mfa = createMfa({
    store,
    issuer: 'Acme',
    clock,
    rng: seededRandom('grace'),
    onEvent: (e) => events.push(e),
    features: [policies({ scopes }), enforcementDeadlines()],
  });
  const enrol = async (userId: string) => (await enrolledUser(mfa, clock, userId, { advance: false })).secret;
  return { mfa, clock, events, store, enrol };
}

describe('enforcementDeadlines: a relative deadline (enrollBy as a duration)', () => {
  it('enroll-optional until the deadline fixed at the first sign-in, enroll from the deadline on', async () => {
    const { mfa, clock, events } = setup();
    await mfa.setPolicy({ scope: 'org' }, { required: true, enrollBy: 14 * DAY }, { actor: 'admin' });
    clock.advance(3 * DAY); // the policy reaches alice at her first sign-in, not when it was set
    const first = await mfa.recordPasswordLogin('alice');
    const deadline = T0 + 3 * DAY + 14 * DAY;
    expect(first).toEqual({ loginRequirement: 'enroll-optional', grace: { deadline, loginsLeft: null } });
    expect(events.filter((e) => e.type === 'enforcement_grace_started')).toEqual([
      { type: 'enforcement_grace_started', userId: 'alice', at: T0 + 3 * DAY, deadline, loginsLeft: null },
    ]);
    expect(await mfa.loginRequirement('alice')).toBe('enroll-optional');
    clock.set(deadline - 1);
    expect(await mfa.getStatus('alice')).toMatchObject({ loginRequirement: 'enroll-optional', grace: { deadline, loginsLeft: null }, required: true });
    clock.set(deadline);
    expect(await mfa.loginRequirement('alice')).toBe('enroll');
    expect(await mfa.recordPasswordLogin('alice')).toEqual({ loginRequirement: 'enroll' });
    expect((await mfa.getStatus('alice')).grace).toBeUndefined();
  });

  it('loginRequirement alone fixes the deadline the first time it answers (a read that writes once)', async () => {
    const { mfa, clock, store } = setup();
    await mfa.setPolicy({ scope: 'org' }, { required: true, enrollBy: 14 * DAY }, { actor: 'admin' });
    expect(await mfa.loginRequirement('bob')).toBe('enroll-optional');
    const stored = await store.get('bob');
    expect(stored).toMatchObject({ enforcement: { since: T0, deadline: T0 + 14 * DAY, loginsLeft: null } });
    clock.advance(10 * DAY);
    await mfa.loginRequirement('bob');
    expect(await store.get('bob')).toEqual(stored); // nothing written again
    clock.advance(4 * DAY);
    expect(await mfa.loginRequirement('bob')).toBe('enroll');
  });

  it('setting the same policy again, or a longer one, never renews the grace; a shorter one shortens it', async () => {
    const { mfa, clock } = setup();
    await mfa.setPolicy({ scope: 'org' }, { required: true, enrollBy: 14 * DAY }, { actor: 'admin' });
    await mfa.recordPasswordLogin('alice');
    clock.advance(13 * DAY);
    await mfa.setPolicy({ scope: 'org' }, null, { actor: 'admin' });
    expect(await mfa.loginRequirement('alice')).toBe('none');
    await mfa.setPolicy({ scope: 'org' }, { required: true, enrollBy: 14 * DAY }, { actor: 'admin' });
    await mfa.setPolicy({ scope: 'org' }, { required: true, enrollBy: 60 * DAY }, { actor: 'admin' });
    expect((await mfa.recordPasswordLogin('alice')).grace?.deadline).toBe(T0 + 14 * DAY);
    clock.advance(DAY);
    expect(await mfa.loginRequirement('alice')).toBe('enroll');
    // A stricter policy: a shorter duration counts from the same first sign-in.
    const late = setup();
    await late.mfa.setPolicy({ scope: 'org' }, { required: true, enrollBy: 14 * DAY }, { actor: 'admin' });
    await late.mfa.recordPasswordLogin('carol');
    late.clock.advance(8 * DAY);
    await late.mfa.setPolicy({ scope: 'org' }, { required: true, enrollBy: 7 * DAY }, { actor: 'admin' });
    expect(await late.mfa.loginRequirement('carol')).toBe('enroll');
  });

  it('a policy without grace terms still means enroll at once (the behaviour before deadlines)', async () => {
    const { mfa } = setup();
    await mfa.setPolicy({ scope: 'org' }, { required: true }, { actor: 'admin' });
    expect(await mfa.recordPasswordLogin('alice')).toEqual({ loginRequirement: 'enroll' });
    // Two scopes: the stricter wins.
    const two = setup(() => ['org', 'strict']);
    await two.mfa.setPolicy({ scope: 'org' }, { required: true, enrollBy: 14 * DAY }, { actor: 'admin' });
    await two.mfa.setPolicy({ scope: 'strict' }, { required: true }, { actor: 'admin' });
    expect(await two.mfa.loginRequirement('alice')).toBe('enroll');
  });
});

describe('enforcementDeadlines: an absolute deadline and grace logins', () => {
  it('enrollBy: Date is the same cut-off for everyone', async () => {
    const { mfa, clock } = setup();
    const cutoff = new Date(T0 + 30 * DAY);
    await mfa.setPolicy({ scope: 'org' }, { required: true, enrollBy: cutoff }, { actor: 'admin' });
    clock.advance(29 * DAY);
    expect(await mfa.recordPasswordLogin('late-joiner')).toEqual({ loginRequirement: 'enroll-optional', grace: { deadline: cutoff.getTime(), loginsLeft: null } });
    clock.advance(DAY);
    expect(await mfa.recordPasswordLogin('late-joiner')).toEqual({ loginRequirement: 'enroll' });
    expect(await mfa.recordPasswordLogin('newcomer')).toEqual({ loginRequirement: 'enroll' });
  });

  it('graceLogins: each password login uses one; loginRequirement does not', async () => {
    const { mfa, events } = setup();
    await mfa.setPolicy({ scope: 'org' }, { required: true, graceLogins: 3 }, { actor: 'admin' });
    expect(await mfa.loginRequirement('alice')).toBe('enroll-optional');
    expect(await mfa.loginRequirement('alice')).toBe('enroll-optional');
    const left = [];
    for (let i = 0; i < 4; i++) left.push(await mfa.recordPasswordLogin('alice'));
    expect(left.map((l) => [l.loginRequirement, l.grace?.loginsLeft])).toEqual([
      ['enroll-optional', 2],
      ['enroll-optional', 1],
      ['enroll-optional', 0],
      ['enroll', undefined],
    ]);
    expect(await mfa.loginRequirement('alice')).toBe('enroll');
    expect(events.filter((e) => e.type === 'enforcement_grace_login').map((e) => (e as { loginsLeft: number }).loginsLeft)).toEqual([2, 1, 0]);
  });

  it('both terms: the grace ends with whichever runs out first', async () => {
    const { mfa, clock } = setup();
    await mfa.setPolicy({ scope: 'org' }, { required: true, enrollBy: 7 * DAY, graceLogins: 100 }, { actor: 'admin' });
    expect(await mfa.recordPasswordLogin('alice')).toEqual({ loginRequirement: 'enroll-optional', grace: { deadline: T0 + 7 * DAY, loginsLeft: 99 } });
    clock.advance(7 * DAY);
    expect(await mfa.recordPasswordLogin('alice')).toEqual({ loginRequirement: 'enroll' });
    const logins = setup();
    await logins.mfa.setPolicy({ scope: 'org' }, { required: true, enrollBy: 7 * DAY, graceLogins: 1 }, { actor: 'admin' });
    await logins.mfa.recordPasswordLogin('bob');
    expect(await logins.mfa.loginRequirement('bob')).toBe('enroll');
  });

  it('a per-user policy takes grace terms too', async () => {
    const { mfa } = setup(() => []);
    const set = await mfa.setPolicy({ userId: 'dave' }, { required: true, graceLogins: 2 }, { actor: 'admin' });
    expect(set).toMatchObject({ ok: true, changed: true, policy: { required: true, graceLogins: 2 }, status: { loginRequirement: 'enroll-optional', grace: { deadline: null, loginsLeft: 2 } } });
    expect(await mfa.recordPasswordLogin('dave')).toMatchObject({ loginRequirement: 'enroll-optional', grace: { loginsLeft: 1 } });
  });
});

describe('enforcementDeadlines: what ends or bypasses the grace', () => {
  it('enrolling ends it: verify from then on; an unfinished reset is enroll, never optional', async () => {
    const { mfa, clock } = setup();
    await mfa.setPolicy({ scope: 'org' }, { required: true, enrollBy: 14 * DAY }, { actor: 'admin' });
    expect(await mfa.recordPasswordLogin('alice')).toMatchObject({ loginRequirement: 'enroll-optional' });
    await mfa.beginEnrollment('alice', { account: 'a@example.com' });
    expect(await mfa.recordPasswordLogin('alice')).toEqual({ loginRequirement: 'confirm' });
    await mfa.adminReset('alice', { actor: 'admin' });
    const secret = await (async () => {
      const b = await mfa.beginEnrollment('alice', { account: 'a@example.com' });
      if (!b.ok) throw new Error('begin');
      await mfa.confirmEnrollment('alice', totp(b.secret, { time: clock.now() }));
      return b.secret;
    })();
    expect(await mfa.recordPasswordLogin('alice')).toEqual({ loginRequirement: 'verify' });
    clock.advance(30_000);
    expect((await mfa.resetSecret('alice', { proof: { code: totp(secret, { time: clock.now() }) } })).ok).toBe(true);
    clock.advance(2 * DAY); // the new factor expired unconfirmed (pendingTtl 24 h)
    expect(await mfa.recordPasswordLogin('alice')).toEqual({ loginRequirement: 'enroll' });
  });

  it('exempt users of a scope policy stay none; others in the scope get the grace', async () => {
    const { mfa } = setup();
    const set = await mfa.setPolicy({ scope: 'org' }, { required: true, enrollBy: 14 * DAY, exempt: ['breakglass-admin'] }, { actor: 'root' });
    expect(set).toEqual({ ok: true, changed: true, policy: { required: true, enrollBy: 14 * DAY, exempt: ['breakglass-admin'] } });
    expect(await mfa.recordPasswordLogin('breakglass-admin')).toEqual({ loginRequirement: 'none' });
    expect(await mfa.getStatus('breakglass-admin')).toMatchObject({ required: false, loginRequirement: 'none' });
    expect(await mfa.loginRequirement('alice')).toBe('enroll-optional');
  });

  it('an exempt user with MFA may disable it; a member may not', async () => {
    const { mfa, clock, enrol } = setup();
    const adminSecret = await enrol('breakglass-admin');
    const aliceSecret = await enrol('alice');
    await mfa.setPolicy({ scope: 'org' }, { required: true, exempt: ['breakglass-admin'] }, { actor: 'root' });
    clock.advance(30_000);
    expect(await mfa.disable('alice', { code: totp(aliceSecret, { time: clock.now() }) })).toEqual({ ok: false, reason: 'policy' });
    expect(await mfa.disable('breakglass-admin', { code: totp(adminSecret, { time: clock.now() }) })).toEqual({ ok: true, previous: 'active' });
  });
});

describe('setPolicy answers the resulting policy', () => {
  it('changed is false when it already had this policy; getPolicy reads the terms back', async () => {
    const { mfa } = setup();
    const cutoff = new Date(T0 + 30 * DAY);
    const policy = { required: true, enrollBy: cutoff, graceLogins: 5, exempt: ['root'] };
    expect(await mfa.setPolicy({ scope: 'org' }, policy, { actor: 'a' })).toEqual({ ok: true, changed: true, policy });
    expect(await mfa.setPolicy({ scope: 'org' }, policy, { actor: 'a' })).toEqual({ ok: true, changed: false, policy });
    expect(await mfa.getPolicy({ scope: 'org' })).toEqual(policy);
    expect(await mfa.setPolicy({ scope: 'org' }, { required: true }, { actor: 'a' })).toEqual({ ok: true, changed: true, policy: { required: true } });
    expect(await mfa.getPolicy({ scope: 'org' })).toEqual({ required: true }); // the old terms are gone
    expect(await mfa.setPolicy({ scope: 'org' }, null, { actor: 'a' })).toEqual({ ok: true, changed: true, policy: null });
    // For a user it answers their status too: an organisation-wide policy still requires MFA.
    await mfa.setPolicy({ scope: 'org' }, { required: true }, { actor: 'a' });
    const user = await mfa.setPolicy({ userId: 'erin' }, { required: false }, { actor: 'a' });
    expect(user).toMatchObject({ ok: true, changed: true, policy: { required: false }, status: { status: 'disabled', required: true } });
  });

  it('bad terms are INVALID_OPTION and write nothing', async () => {
    const { mfa, store } = setup();
    const bad: unknown[] = [
      { required: true, enrollBy: -1 },
      { required: true, enrollBy: new Date(NaN) },
      { required: true, enrollBy: 1.5 },
      { required: true, graceLogins: -1 },
      { required: true, graceLogins: '3' },
      { required: true, exempt: 'root' },
      { required: true, exempt: ['mfakit:policy:x'] },
    ];
    for (const policy of bad) {
      await expect(mfa.setPolicy({ scope: 'org' }, policy as never, { actor: 'a' })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    }
    await expect(mfa.setPolicy({ userId: 'u' }, { required: true, exempt: ['x'] }, { actor: 'a' })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    expect(await store.get('mfakit:policy:org')).toBeNull();
    expect(await store.get('u')).toBeNull();
  });

  it('it needs policies(): INVALID_OPTION naming it', () => {
    expect(() => createMfa({ store: new MemoryStore(), issuer: 'Acme', features: [enforcementDeadlines()] })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: 'enforcementDeadlines() needs the policies() feature: createMfa({ features: [policies()] })' }),
    );
  });

  it('without the feature, grace terms are INVALID_OPTION naming it; plain policies work as before', async () => {
    const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', features: [policies()] });
    await expect(mfa.setPolicy({ scope: 'org' }, { required: true, graceLogins: 3 }, { actor: 'a' })).rejects.toThrow(/enforcementDeadlines\(\)/);
    expect(await mfa.setPolicy({ scope: 'org' }, { required: true }, { actor: 'a' })).toEqual({ ok: true, changed: true, policy: { required: true } });
  });

  it('a corrupted enforcement slice is INVALID_RECORD', async () => {
    const { mfa, store } = setup();
    await mfa.setPolicy({ scope: 'org' }, { required: true, graceLogins: 2 }, { actor: 'a' });
    await mfa.recordPasswordLogin('alice');
    const stored = (await store.get('alice'))!;
    await store.compareAndSet('alice', stored.version as number, { ...stored, version: (stored.version as number) + 1, enforcement: { since: 1, deadline: null, loginsLeft: -1 } });
    await expect(mfa.loginRequirement('alice')).rejects.toMatchObject({ code: 'INVALID_RECORD' });
  });
});
