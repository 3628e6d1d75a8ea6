// Trusted devices, transition by transition, with a fake clock crossing every expiry: the trust TTL,
// the verifiedWithin window, the one-login-one-device rule, eviction past `max`, revocation one by one
// and all at once, and the revocations that come with a recovery-code login and every epoch bump.
import { describe, expect, it } from 'vitest';
import { clientThrottle, createMfa, MemoryStore, recoveryCodes, totp, trustedDevices, type MfaEvent } from '../../../../src/index.js';
import { FakeClock, seededRandom } from '../../../../src/testing/index.js';
import { enrolledUser } from '../../../support/enrolled-user.js';

const T0 = Date.UTC(2026, 0, 1, 12) + 10_000;
const DAY = 86_400_000;

function setup(o: Parameters<typeof trustedDevices>[0] = {}) {
  const clock = new FakeClock(T0);
  const events: MfaEvent[] = [];
  const store = new MemoryStore();
  const mfa = createMfa({ store, issuer: 'Acme', clock, rng: seededRandom(21), onEvent: (e) => events.push(e), features: [recoveryCodes(), trustedDevices(o)] });
  const code = (secret: Uint8Array) => totp(secret, { time: clock.now() });
  const enrol = (userId = 'alice') => enrolledUser(mfa, clock, userId, { account: 'alice@example.com' });
  /** A login with a fresh code (a new TOTP step), then trustDevice. */
  async function loginAndTrust(secret: Uint8Array, label = 'laptop', userId = 'alice') {
    clock.advance(30_000);
    const login = await mfa.verifyLogin(userId, code(secret));
    if (!login.ok) throw new Error(`login: ${login.reason}`);
    const trusted = await mfa.trustDevice(userId, { label });
    if (!trusted.ok) throw new Error(`trust: ${trusted.reason}`);
    return trusted;
  }
  return { mfa, clock, events, enrol, code, store, loginAndTrust };
}

describe('trustDevice', () => {
  it('after a code login: a token (mfad_ + 256 bits) shown once, only its hash stored; verifyLogin accepts it', async () => {
    const { mfa, enrol, loginAndTrust, store, events } = setup();
    const { secret } = await enrol();
    const trusted = await loginAndTrust(secret);
    expect(trusted.token).toMatch(/^mfad_[A-Za-z0-9_-]{43}$/);
    expect(trusted.expiresAt).toBe(T0 + 60_000 + 30 * DAY);
    const raw = JSON.stringify(await store.get('alice'));
    expect(raw).not.toContain(trusted.token);
    expect(raw).not.toContain(trusted.token.slice(5));
    expect(await mfa.verifyLogin('alice', trusted.token)).toEqual({ ok: true, method: 'device', remainingRecoveryCodes: 10, epoch: 0 });
    expect(events.filter((e) => e.type === 'device_trusted')).toEqual([
      { type: 'device_trusted', userId: 'alice', at: T0 + 60_000, deviceId: trusted.id, label: 'laptop', expiresAt: trusted.expiresAt },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'verified', method: 'device' });
  });

  it('refused without MFA, without a recent code login, and after a device login alone', async () => {
    const { mfa, enrol, clock, code, loginAndTrust } = setup({ verifiedWithin: 60_000 });
    expect(await mfa.trustDevice('alice')).toEqual({ ok: false, reason: 'not_active' });
    const { secret } = await enrol();
    expect(await mfa.trustDevice('alice')).toEqual({ ok: false, reason: 'verification_required' }); // confirming is not a login
    clock.advance(30_000);
    expect((await mfa.verifyLogin('alice', code(secret))).ok).toBe(true);
    clock.advance(60_000);
    expect((await mfa.trustDevice('alice')).ok).toBe(true); // exactly at the window's end
    const { token } = await loginAndTrust(secret, 'second');
    clock.advance(60_001);
    expect(await mfa.trustDevice('alice')).toEqual({ ok: false, reason: 'verification_required' }); // window passed
    expect((await mfa.verifyLogin('alice', token)).ok).toBe(true);
    expect(await mfa.trustDevice('alice')).toEqual({ ok: false, reason: 'verification_required' }); // a device login is not a verification
  });

  it('one code login trusts one device', async () => {
    const { mfa, enrol, loginAndTrust } = setup();
    const { secret } = await enrol();
    await loginAndTrust(secret);
    expect(await mfa.trustDevice('alice', { label: 'another' })).toEqual({ ok: false, reason: 'verification_required' });
  });

  it('the token stops working at expiresAt (a per-call ttl below the feature ttl), and leaves the list', async () => {
    const { mfa, enrol, clock, code } = setup({ ttl: 7 * DAY });
    const { secret } = await enrol();
    clock.advance(30_000);
    await mfa.verifyLogin('alice', code(secret));
    await expect(mfa.trustDevice('alice', { ttl: 8 * DAY })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    const trusted = await mfa.trustDevice('alice', { label: 'kiosk', ttl: DAY });
    if (!trusted.ok) throw new Error('trust');
    clock.set(trusted.expiresAt - 1);
    expect((await mfa.verifyLogin('alice', trusted.token)).ok).toBe(true);
    expect((await mfa.listDevices('alice')).map((d) => d.label)).toEqual(['kiosk']);
    clock.set(trusted.expiresAt);
    expect(await mfa.verifyLogin('alice', trusted.token)).toEqual({ ok: false, reason: 'expired' });
    expect(await mfa.listDevices('alice')).toEqual([]);
  });

  it('past max the least recently used device is evicted, with an event', async () => {
    const { mfa, enrol, loginAndTrust, clock, events } = setup({ max: 2 });
    const { secret } = await enrol();
    const a = await loginAndTrust(secret, 'a');
    const b = await loginAndTrust(secret, 'b');
    clock.advance(120_000);
    expect((await mfa.verifyLogin('alice', a.token)).ok).toBe(true); // a is now used more recently than b
    const c = await loginAndTrust(secret, 'c');
    expect(c.evicted).toEqual([b.id]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'device_revoked', deviceId: b.id, reason: 'evicted' }));
    expect(await mfa.verifyLogin('alice', b.token)).toEqual({ ok: false, reason: 'expired' });
    expect((await mfa.listDevices('alice')).map((d) => d.label)).toEqual(['c', 'a']);
  });

  it('lastUsedAt is recorded to the minute (a second login within a minute writes nothing)', async () => {
    const { mfa, enrol, loginAndTrust, clock, store } = setup();
    const { secret } = await enrol();
    const t = await loginAndTrust(secret);
    await mfa.verifyLogin('alice', t.token);
    const used = clock.now();
    const version = ((await store.get('alice')) as { version: number }).version;
    clock.advance(59_999);
    await mfa.verifyLogin('alice', t.token);
    expect(((await store.get('alice')) as { version: number }).version).toBe(version);
    clock.advance(1);
    await mfa.verifyLogin('alice', t.token);
    expect((await mfa.listDevices('alice'))[0]).toMatchObject({ lastUsedAt: used + 60_000, label: 'laptop' });
  });
});

describe('verifyLogin with a device token', () => {
  it('unknown, malformed or revoked tokens answer expired/format and never count toward the lockout', async () => {
    const { mfa, enrol, loginAndTrust } = setup();
    const { secret } = await enrol();
    const t = await loginAndTrust(secret);
    const forged = `mfad_${'A'.repeat(43)}`;
    for (let i = 0; i < 20; i++) expect(await mfa.verifyLogin('alice', forged)).toEqual({ ok: false, reason: 'expired' });
    expect(await mfa.verifyLogin('alice', 'mfad_short')).toEqual({ ok: false, reason: 'format' });
    expect((await mfa.getStatus('alice')).failures).toBe(0);
    expect(await mfa.revokeDevice('alice', t.id)).toEqual({ ok: true, revoked: true });
    expect(await mfa.revokeDevice('alice', t.id)).toEqual({ ok: true, revoked: false });
    expect(await mfa.verifyLogin('alice', t.token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('a locked account refuses the token like a code', async () => {
    const { mfa, enrol, loginAndTrust } = setup();
    const { secret } = await enrol();
    const t = await loginAndTrust(secret);
    for (let i = 0; i < 5; i++) await mfa.verifyLogin('alice', '000000');
    expect(await mfa.verifyLogin('alice', t.token)).toMatchObject({ ok: false, reason: 'locked' });
  });

  it('with clientThrottle(), a client that locked itself is refused; the owner\'s device from another client is not', async () => {
    const clock = new FakeClock(T0);
    const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', clock, rng: seededRandom(5), features: [trustedDevices(), clientThrottle()] });
    const begun = await mfa.beginEnrollment('erin', { account: 'erin@example.com' });
    if (!begun.ok) throw new Error('begin');
    await mfa.confirmEnrollment('erin', totp(begun.secret, { time: clock.now() }));
    clock.advance(30_000);
    await mfa.verifyLogin('erin', totp(begun.secret, { time: clock.now() }), { client: 'owner-laptop' });
    const t = await mfa.trustDevice('erin');
    if (!t.ok) throw new Error('trust');
    let last;
    for (let i = 0; i < 20; i++) last = await mfa.verifyLogin('erin', '000000', { client: 'attacker' });
    expect(last).toMatchObject({ ok: false, reason: 'locked' });
    expect(await mfa.verifyLogin('erin', t.token, { client: 'attacker' })).toMatchObject({ ok: false, reason: 'locked' });
    expect(await mfa.verifyLogin('erin', t.token, { client: 'owner-laptop' })).toMatchObject({ ok: true, method: 'device' });
  });

  it('without the feature a device token is just a wrong recovery code', async () => {
    const clock = new FakeClock(T0);
    const store = new MemoryStore();
    const plain = createMfa({ store, issuer: 'Acme', clock, rng: seededRandom(3), features: [recoveryCodes()] });
    const begun = await plain.beginEnrollment('bob', { account: 'b' });
    if (!begun.ok) throw new Error('begin');
    await plain.confirmEnrollment('bob', totp(begun.secret, { time: T0 }));
    expect(await plain.verifyLogin('bob', `mfad_${'A'.repeat(43)}`)).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('revocation', () => {
  it('revokeAllDevices revokes every device and moves the epoch on; audited with actor when an admin does it', async () => {
    const { mfa, enrol, loginAndTrust, events } = setup();
    const { secret } = await enrol();
    const a = await loginAndTrust(secret, 'a');
    const b = await loginAndTrust(secret, 'b');
    expect(await mfa.revokeAllDevices('alice')).toEqual({ ok: true, revoked: 2 });
    expect((await mfa.getStatus('alice')).epoch).toBe(1);
    for (const t of [a, b]) expect(await mfa.verifyLogin('alice', t.token)).toEqual({ ok: false, reason: 'expired' });
    expect(await mfa.revokeAllDevices('alice', { actor: 'support' })).toEqual({ ok: true, revoked: 0 });
    expect(events.filter((e) => e.type === 'devices_revoked')).toMatchObject([
      { count: 2, reason: 'user' },
      { count: 0, reason: 'admin', actor: 'support' },
    ]);
    await expect(mfa.revokeAllDevices('alice', { actor: '' })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('a recovery-code login revokes every device (the phone is probably lost), without moving the epoch', async () => {
    const { mfa, enrol, loginAndTrust, events } = setup();
    const { secret, recoveryCodes } = await enrol();
    const t = await loginAndTrust(secret);
    expect(await mfa.verifyLogin('alice', recoveryCodes[0]!)).toMatchObject({ ok: true, method: 'recovery', epoch: 0 });
    expect(await mfa.verifyLogin('alice', t.token)).toEqual({ ok: false, reason: 'expired' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'devices_revoked', count: 1, reason: 'recovery_code' }));
  });

  for (const change of ['resetSecret', 'disable', 'adminReset'] as const) {
    it(`${change} revokes every device (security_change) and moves the epoch on`, async () => {
      const { mfa, enrol, loginAndTrust, events, code } = setup();
      const { secret } = await enrol();
      const t = await loginAndTrust(secret);
      if (change === 'resetSecret') expect((await mfa.resetSecret('alice', { proof: { fresh: true } })).ok).toBe(true);
      if (change === 'disable') expect((await mfa.disable('alice', { fresh: true })).ok).toBe(true);
      if (change === 'adminReset') await mfa.adminReset('alice', { actor: 'support' });
      expect(events).toContainEqual(expect.objectContaining({ type: 'devices_revoked', count: 1, reason: 'security_change' }));
      expect((await mfa.getStatus('alice')).epoch).toBe(1);
      expect(await mfa.listDevices('alice')).toEqual([]);
      const after = await mfa.verifyLogin('alice', t.token);
      expect(after.ok).toBe(false);
      void code;
    });
  }

  it('a device stored in an older epoch is refused even if a write left it in the record', async () => {
    const { mfa, enrol, loginAndTrust, store } = setup();
    const { secret } = await enrol();
    const t = await loginAndTrust(secret);
    const raw = (await store.get('alice')) as Record<string, unknown> & { version: number };
    // The record as if the epoch moved on without the feature (e.g. a service built without it).
    await store.compareAndSet('alice', raw.version, { ...raw, version: raw.version + 1, epoch: 1 });
    expect(await mfa.verifyLogin('alice', t.token)).toEqual({ ok: false, reason: 'expired' });
    expect(await mfa.listDevices('alice')).toEqual([]);
  });
});

describe('options and stored data', () => {
  it('bad options are INVALID_OPTION; a bad stored slice is INVALID_RECORD naming the field only', async () => {
    expect(() => trustedDevices({ ttl: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => trustedDevices({ max: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => trustedDevices({ verifiedWithin: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    const { mfa, enrol, store } = setup();
    await enrol();
    const raw = (await store.get('alice')) as Record<string, unknown> & { version: number };
    await store.compareAndSet('alice', raw.version, { ...raw, version: raw.version + 1, trustedDevices: [{ id: 'x', hash: 'secret-hash' }] });
    const err = await mfa.listDevices('alice').catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'INVALID_RECORD' });
    expect(String((err as Error).message)).toContain('trustedDevices');
    expect(String((err as Error).message)).not.toContain('secret-hash');
  });

  it('labels with control characters are refused before anything is read', async () => {
    const { mfa, enrol, loginAndTrust } = setup();
    const { secret } = await enrol();
    await loginAndTrust(secret);
    await expect(mfa.trustDevice('alice', { label: 'evil\u0000' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
