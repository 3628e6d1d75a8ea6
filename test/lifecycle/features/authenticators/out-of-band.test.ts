// E-mail/SMS authenticators of the authenticators() feature (codes through oneTimeCodes()), on the
// memory store with a FakeClock.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  authenticators,
  createMfa,
  MemoryStore,
  MfaError,
  oneTimeCodes,
  totp,
  type AuthenticatorsOptions,
  type MfaEvent,
  type OneTimeCodeMessage,
} from '../../../../src/index.js';
import { FakeClock, seededRandom } from '../../../../src/testing/index.js';

const T0 = Date.UTC(2026, 0, 1, 12) + 10_000;
const STEP = 30_000;
const PHONE = '+44 7700 900123';

function setup(options: AuthenticatorsOptions = { channels: ['email', 'sms'] }) {
  const clock = new FakeClock(T0);
  const events: MfaEvent[] = [];
  const sent: OneTimeCodeMessage[] = [];
  const store = new MemoryStore();
  const mfa = createMfa({
    store,
    issuer: 'Acme',
    clock,
    rng: seededRandom(5),
    onEvent: (e) => events.push(e),
    features: [authenticators(options), oneTimeCodes({ sender: { send: async (m) => void sent.push(m) } })],
  });
  const code = (secret: Uint8Array) => totp(secret, { time: clock.now() });
  const lastCode = () => sent.at(-1)!.code;
  async function enrolTotp(userId = 'alice') {
    const begun = await mfa.beginEnrollment(userId, { account: 'alice@example.com' });
    if (!begun.ok) throw new Error('begin');
    if (!(await mfa.confirmEnrollment(userId, code(begun.secret))).ok) throw new Error('confirm');
    clock.advance(STEP);
    return begun.secret;
  }
  /** TOTP primary + an active SMS authenticator. */
  async function withSms(userId = 'alice') {
    const secret = await enrolTotp(userId);
    const added = await mfa.addAuthenticator(userId, { name: 'Phone', authenticator: 'sms', destination: PHONE, proof: { code: code(secret) } });
    if (!added.ok) throw new Error(`add: ${added.reason}`);
    if (!(await mfa.confirmAuthenticator(userId, added.id, lastCode())).ok) throw new Error('confirm sms');
    clock.advance(STEP);
    return { secret, id: added.id };
  }
  return { mfa, clock, events, sent, store, code, lastCode, enrolTotp, withSms };
}

describe('authenticators(): e-mail/SMS authenticators', () => {
  it('needs oneTimeCodes() when channels are on: MfaError at createMfa naming it; without channels, adding one is a misuse', () => {
    const store = new MemoryStore();
    let thrown: unknown;
    try {
      createMfa({ store, issuer: 'Acme', features: [authenticators({ channels: ['sms'] })] });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(MfaError);
    expect(thrown).toMatchObject({ code: 'INVALID_OPTION', message: expect.stringContaining('oneTimeCodes({ sender })') });
    expect(() => authenticators({ channels: ['fax' as 'sms'] })).toThrow(/channels/);
    const { mfa, enrolTotp, code } = setup({});
    return (async () => {
      const secret = await enrolTotp();
      await expect(mfa.addAuthenticator('alice', { name: 'x', authenticator: 'sms', destination: PHONE, proof: { code: code(secret) } })).rejects.toMatchObject({
        code: 'INVALID_OPTION',
        message: expect.stringContaining("channels: ['sms']"),
      });
    })();
  });

  it('TOTP + SMS: enrolling sends a code to the number, confirming it activates; at login a code goes to the chosen authenticator and answers its id', async () => {
    const { mfa, clock, sent, events, lastCode, code, enrolTotp, store } = setup();
    const secret = await enrolTotp();
    const added = await mfa.addAuthenticator('alice', { name: 'Phone', authenticator: 'sms', destination: PHONE, proof: { code: code(secret) } });
    expect(added).toEqual({ ok: true, id: expect.any(String), method: 'sms', sentTo: '••••••••0123', expiresAt: clock.now() + 600_000 });
    if (!added.ok) throw new Error();
    expect(sent.at(-1)).toMatchObject({ userId: 'alice', destination: PHONE, purpose: 'enroll' });
    // Pending: its enrolment code is no login code, and a wrong confirmation counts toward the lockout.
    const enrollCode = lastCode();
    expect(await mfa.verifyLogin('alice', enrollCode)).toMatchObject({ ok: false });
    const wrong = enrollCode === '000000' ? '111111' : '000000';
    expect(await mfa.confirmAuthenticator('alice', added.id, wrong)).toEqual({ ok: false, reason: 'mismatch' });
    expect((await mfa.getStatus('alice')).failures).toBeGreaterThan(0);
    expect(await mfa.confirmAuthenticator('alice', added.id, enrollCode)).toEqual({ ok: true });
    expect((await mfa.getStatus('alice')).failures).toBe(0);
    const list = await mfa.listAuthenticators('alice');
    expect(list[1]).toMatchObject({ id: added.id, type: 'sms', name: 'Phone', status: 'active', maskedDestination: '••••••••0123' });
    clock.advance(STEP);
    const challenge = await mfa.sendAuthenticatorChallenge('alice', added.id);
    expect(challenge).toMatchObject({ ok: true, id: added.id, method: 'sms', sentTo: '••••••••0123' });
    expect(sent.at(-1)).toMatchObject({ destination: PHONE, purpose: 'login' });
    expect(await mfa.verifyLogin('alice', lastCode())).toMatchObject({ ok: true, method: 'sms', authenticator: added.id });
    expect(events.filter((e) => e.type === 'verified').at(-1)).toMatchObject({ method: 'sms', authenticator: added.id });
    expect((await mfa.listAuthenticators('alice'))[1]!.lastUsedAt).toBe(clock.now());
    // The TOTP authenticator still works next to it.
    expect(await mfa.verifyLogin('alice', code(secret))).toMatchObject({ ok: true, method: 'totp', authenticator: 'primary' });
    // The full number is in no event, list, stored-record view or command result output.
    const raw = await mfa.execute('alice', { type: 'sendAuthenticatorChallenge', id: added.id, purpose: 'disable' });
    expect(raw.ok && raw.destination).toBe(PHONE);
    for (const text of [JSON.stringify(events), JSON.stringify(list), JSON.stringify(raw), inspect(raw, { depth: 9 })]) {
      expect(text).not.toContain('7700 900123');
      expect(text).not.toContain(sent.at(-1)!.code);
    }
    expect(events.filter((e) => e.type === 'code_issued').at(-1)).toMatchObject({ method: 'sms', purpose: 'disable', authenticator: added.id });
    expect(JSON.stringify(await store.get('alice'))).not.toContain(sent.at(-1)!.code);
  });

  it('single use: the same code again is `replayed` and counts nothing; a wrong code counts for every authenticator it could have hit', async () => {
    const { mfa, clock, lastCode, withSms } = setup();
    const { id } = await withSms();
    await mfa.sendAuthenticatorChallenge('alice', id);
    const c = lastCode();
    expect(await mfa.verifyLogin('alice', c)).toMatchObject({ ok: true, authenticator: id });
    expect(await mfa.verifyLogin('alice', c)).toEqual({ ok: false, reason: 'replayed' });
    expect((await mfa.getStatus('alice')).failures).toBe(0);
    // TOTP (3 codes in 10^6 with window 1) + a pending SMS code (1 in 10^6): ceil(4/3) = 2 failures.
    clock.advance(31_000);
    await mfa.sendAuthenticatorChallenge('alice', id);
    const wrong = lastCode() === '999999' ? '999998' : '999999';
    expect(await mfa.verifyLogin('alice', wrong)).toMatchObject({ ok: false, reason: 'mismatch' });
    expect((await mfa.getStatus('alice')).failures).toBe(2);
    // With no code pending, a wrong code is one TOTP guess.
    expect(await mfa.verifyLogin('alice', lastCode())).toMatchObject({ ok: true });
    expect(await mfa.verifyLogin('alice', wrong)).toMatchObject({ ok: false, reason: 'mismatch' });
    expect((await mfa.getStatus('alice')).failures).toBe(1);
  });

  it('one lock and one resend budget for every destination; a locked user gets no code', async () => {
    const { mfa, lastCode, withSms, clock } = setup();
    const { id } = await withSms();
    expect(await mfa.sendAuthenticatorChallenge('alice', id)).toMatchObject({ ok: true });
    // Default resend limit: one per 30 s per purpose, whichever authenticator asked.
    expect(await mfa.sendAuthenticatorChallenge('alice', id)).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(await mfa.sendAuthenticatorChallenge('alice', 'primary')).toEqual({ ok: false, reason: 'not_out_of_band' });
    expect(await mfa.sendAuthenticatorChallenge('alice', 'nope')).toEqual({ ok: false, reason: 'not_found' });
    expect(await mfa.sendAuthenticatorChallenge('alice', id, 'enroll')).toEqual({ ok: false, reason: 'wrong_state' });
    const wrong = lastCode() === '999999' ? '999998' : '999999';
    for (let i = 0; i < 3; i++) await mfa.verifyLogin('alice', wrong);
    expect((await mfa.getStatus('alice')).lockedUntil).not.toBeNull();
    clock.advance(31_000);
    expect(await mfa.sendAuthenticatorChallenge('alice', id)).toMatchObject({ ok: false, reason: 'locked' });
  });

  it('e-mail primary + a TOTP authenticator: either logs in; a code oneTimeCodes() sends to the primary replaces one sent to another authenticator', async () => {
    const { mfa, clock, sent, lastCode, code } = setup();
    await mfa.beginEnrollment('bob', { method: 'email', destination: 'bob@example.com' });
    expect(await mfa.confirmEnrollment('bob', lastCode())).toMatchObject({ ok: true });
    await mfa.sendChallenge('bob', 'login');
    expect(await mfa.verifyLogin('bob', lastCode())).toMatchObject({ ok: true, authenticator: 'primary' });
    const totpAdded = await mfa.addAuthenticator('bob', { name: 'App' });
    if (!totpAdded.ok) throw new Error(totpAdded.reason);
    expect(totpAdded.uri).toContain('Acme:bob@example.com');
    expect(await mfa.confirmAuthenticator('bob', totpAdded.id, code(totpAdded.secret))).toEqual({ ok: true });
    clock.advance(STEP);
    expect(await mfa.verifyLogin('bob', code(totpAdded.secret))).toMatchObject({ ok: true, method: 'totp', authenticator: totpAdded.id });
    const sms = await mfa.addAuthenticator('bob', { name: 'Phone', authenticator: 'sms', destination: PHONE });
    if (!sms.ok) throw new Error(sms.reason);
    expect(await mfa.confirmAuthenticator('bob', sms.id, lastCode())).toEqual({ ok: true });
    clock.advance(31_000);
    await mfa.sendAuthenticatorChallenge('bob', sms.id);
    const toPhone = lastCode();
    clock.advance(31_000);
    await mfa.sendChallenge('bob', 'login');
    expect(sent.at(-1)!.destination).toBe('bob@example.com');
    expect(await mfa.verifyLogin('bob', toPhone)).toMatchObject({ ok: false });
    expect(await mfa.verifyLogin('bob', lastCode())).toMatchObject({ ok: true, authenticator: 'primary' });
    expect((await mfa.listAuthenticators('bob')).map((a) => [a.type, a.maskedDestination ?? null])).toEqual([
      ['email', 'b••@example.com'],
      ['totp', null],
      ['sms', '••••••••0123'],
    ]);
  });

  it('rename, remove (a pending code to it stops working), admin reset and disable act on e-mail/SMS authenticators too', async () => {
    const { mfa, clock, lastCode, withSms, code, store } = setup();
    const { id, secret } = await withSms();
    expect(await mfa.renameAuthenticator('alice', id, 'Old phone')).toEqual({ ok: true });
    await mfa.sendAuthenticatorChallenge('alice', id);
    const pending = lastCode();
    expect(await mfa.removeAuthenticator('alice', id, { code: code(secret) })).toEqual({ ok: true, disabled: false });
    expect(await mfa.verifyLogin('alice', pending)).toMatchObject({ ok: false });
    clock.advance(STEP);
    const again = await withSms('carol');
    await mfa.adminReset('carol', { actor: 'admin' });
    expect((await store.get('carol'))!.authenticators ?? null).toBeNull();
    expect(await mfa.sendAuthenticatorChallenge('carol', again.id)).toEqual({ ok: false, reason: 'not_enrolled' });
    const dave = await withSms('dave');
    expect(await mfa.disable('dave', { code: code(dave.secret) })).toMatchObject({ ok: true });
    expect(await mfa.listAuthenticators('dave')).toEqual([]);
  });

  it('removing the primary promotes an SMS authenticator: codes sent to it then log in as the primary', async () => {
    const { mfa, clock, lastCode, withSms, code } = setup();
    const { id, secret } = await withSms();
    expect(await mfa.removeAuthenticator('alice', 'primary', { code: code(secret) })).toEqual({ ok: true, disabled: false });
    expect((await mfa.getStatus('alice')).method).toBe('sms');
    clock.advance(STEP);
    await mfa.sendChallenge('alice', 'login');
    expect(await mfa.verifyLogin('alice', lastCode())).toMatchObject({ ok: true, method: 'sms', authenticator: id });
  });

  it('one authenticators() value in two services: each delivers through its own Sender', async () => {
    const feature = authenticators({ channels: ['sms'] });
    const inbox: string[][] = [[], []];
    const services = [0, 1].map((n) => {
      const clock = new FakeClock(T0);
      const mfa = createMfa({
        store: new MemoryStore(),
        issuer: 'Acme',
        clock,
        rng: seededRandom(n),
        features: [feature, oneTimeCodes({ sender: { send: async (m) => void inbox[n]!.push(m.destination) } })],
      });
      return { mfa, clock };
    });
    for (const [n, { mfa, clock }] of services.entries()) {
      const begun = await mfa.beginEnrollment('u', { account: 'u@example.com' });
      if (!begun.ok) throw new Error('begin');
      await mfa.confirmEnrollment('u', totp(begun.secret, { time: clock.now() }));
      clock.advance(STEP);
      const proof = { code: totp(begun.secret, { time: clock.now() }) };
      expect(await mfa.addAuthenticator('u', { name: 'Phone', authenticator: 'sms', destination: `+44 7700 90000${n}`, proof })).toMatchObject({ ok: true });
    }
    expect(inbox).toEqual([['+44 7700 900000'], ['+44 7700 900001']]);
  });

  it('a lost enrolment code is sent again with purpose enroll; only the newest confirms', async () => {
    const { mfa, clock, lastCode, code, enrolTotp } = setup();
    const secret = await enrolTotp();
    const added = await mfa.addAuthenticator('alice', { name: 'Mail', authenticator: 'email', destination: 'alice@example.org', proof: { code: code(secret) } });
    if (!added.ok) throw new Error(added.reason);
    const first = lastCode();
    expect(await mfa.sendAuthenticatorChallenge('alice', added.id, 'enroll')).toMatchObject({ ok: false, reason: 'rate_limited' });
    clock.advance(31_000);
    expect(await mfa.sendAuthenticatorChallenge('alice', added.id, 'login')).toEqual({ ok: false, reason: 'wrong_state' });
    expect(await mfa.sendAuthenticatorChallenge('alice', added.id, 'enroll')).toMatchObject({ ok: true, sentTo: 'a••••@example.org' });
    if (first !== lastCode()) expect(await mfa.confirmAuthenticator('alice', added.id, first)).toEqual({ ok: false, reason: 'mismatch' });
    expect(await mfa.confirmAuthenticator('alice', added.id, lastCode())).toEqual({ ok: true });
    expect(await mfa.confirmAuthenticator('alice', added.id, lastCode())).toEqual({ ok: false, reason: 'not_pending' });
  });
});
