// The authenticators() feature, one test per transition, on the memory store with a FakeClock.
import { describe, expect, it } from 'vitest';
import {
  aesGcmCipher,
  encryptedSecrets,
  policies,
  authenticators,
  createMfa,
  recoveryCodes,
  hotp,
  MemoryStore,
  totp,
  type AuthenticatorsOptions,
  type MfaEvent,
  type SecretCipher,
} from '../../../../src/index.js';
import { FakeClock, seededRandom } from '../../../../src/testing/index.js';

const T0 = Date.UTC(2026, 0, 1, 12) + 10_000;
const STEP = 30_000;

function setup(options: AuthenticatorsOptions = {}, extra: { cipher?: SecretCipher; store?: MemoryStore } = {}) {
  const clock = new FakeClock(T0);
  const events: MfaEvent[] = [];
  const store = extra.store ?? new MemoryStore();
  const mfa = createMfa({
    store,
    issuer: 'Acme',
    clock,
    rng: seededRandom(11),
    onEvent: (e) => events.push(e),
    features: [recoveryCodes(), authenticators(options), policies(), ...(extra.cipher === undefined ? [] : [encryptedSecrets(extra.cipher)])],
  });
  const code = (secret: Uint8Array, offset = 0) => totp(secret, { time: clock.now() + offset * STEP });
  async function enrol(userId = 'alice') {
    const begun = await mfa.beginEnrollment(userId, { account: 'alice@example.com' });
    if (!begun.ok) throw new Error('begin');
    const confirmed = await mfa.confirmEnrollment(userId, code(begun.secret));
    if (!confirmed.ok) throw new Error('confirm');
    clock.advance(STEP);
    return { secret: begun.secret, recoveryCodes: confirmed.recoveryCodes };
  }
  async function addTotp(userId: string, name: string, proofSecret: Uint8Array) {
    const added = await mfa.addAuthenticator(userId, { name, proof: { code: code(proofSecret) } });
    if (!added.ok) throw new Error(`add: ${added.reason}`);
    clock.advance(STEP);
    const confirmed = await mfa.confirmAuthenticator(userId, added.id, code(added.secret));
    if (!confirmed.ok) throw new Error(`confirm: ${confirmed.reason}`);
    clock.advance(STEP);
    return { id: added.id, secret: added.secret };
  }
  return { mfa, clock, events, store, code, enrol, addTotp };
}

describe('authenticators(): several named authenticators', () => {
  it('a record written without the feature reads as one authenticator "Authenticator", and is written back in the new shape', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(T0);
    const plain = createMfa({ store, issuer: 'Acme', clock, rng: seededRandom(1) });
    const begun = await plain.beginEnrollment('bob', { account: 'bob@example.com' });
    if (!begun.ok) throw new Error('begin');
    await plain.confirmEnrollment('bob', totp(begun.secret, { time: clock.now() }));
    clock.advance(STEP);
    const feature = setup({}, { store });
    const { mfa } = feature;
    const list = await mfa.listAuthenticators('bob');
    expect(list).toEqual([{ id: 'primary', type: 'totp', name: 'Authenticator', status: 'active', createdAt: T0, lastUsedAt: null, drift: 0 }]);
    expect((await store.get('bob'))!.authenticators).toBeUndefined();
    feature.clock.advance(STEP);
    expect(await mfa.verifyLogin('bob', feature.code(begun.secret))).toMatchObject({ ok: true, authenticator: 'primary' });
    expect((await store.get('bob'))!.authenticators).toEqual({ primary: { id: 'primary', name: 'Authenticator', lastUsedAt: T0 + STEP }, extra: [] });
  });

  it('add (with proof) → confirm by its own code → a login with either answers which matched; replay is per authenticator', async () => {
    const { mfa, clock, code, enrol, events } = setup();
    const { secret } = await enrol();
    const refused = await mfa.addAuthenticator('alice', { name: 'Second phone', proof: { code: '000000' } });
    expect(refused).toMatchObject({ ok: false, reason: 'mismatch' });
    const added = await mfa.addAuthenticator('alice', { name: 'Second phone', proof: { code: code(secret) } });
    if (!added.ok) throw new Error(added.reason);
    expect(added.uri).toMatch(/^otpauth:\/\/totp\/Acme:alice@example.com\?secret=/);
    expect(JSON.stringify(await mfa.listAuthenticators('alice'))).not.toContain(added.manualKey.replace(/ /g, ''));
    // Pending: its codes do not log in yet.
    clock.advance(STEP);
    expect(await mfa.verifyLogin('alice', code(added.secret))).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(await mfa.confirmAuthenticator('alice', added.id, code(added.secret))).toEqual({ ok: true });
    clock.advance(STEP);
    const both = [code(secret), code(added.secret)];
    expect(await mfa.verifyLogin('alice', both[1]!)).toMatchObject({ ok: true, method: 'totp', authenticator: added.id });
    // The same code again is a replay of that authenticator; the other one's code of this step still works.
    expect(await mfa.verifyLogin('alice', both[1]!)).toMatchObject({ ok: false, reason: 'replayed' });
    expect(await mfa.verifyLogin('alice', both[0]!)).toMatchObject({ ok: true, authenticator: 'primary' });
    const list = await mfa.listAuthenticators('alice');
    expect(list.map((a) => [a.name, a.status, a.lastUsedAt])).toEqual([
      ['Authenticator', 'active', clock.now()],
      ['Second phone', 'active', clock.now()],
    ]);
    expect(events.map((e) => e.type)).toContain('authenticator_added');
    expect(events.filter((e) => e.type === 'verified').at(-1)).toMatchObject({ authenticator: 'primary' });
  });

  it('at most `max`, the primary included', async () => {
    const { mfa, enrol, addTotp, code } = setup({ max: 2 });
    const { secret } = await enrol();
    await addTotp('alice', 'two', secret);
    expect(await mfa.addAuthenticator('alice', { name: 'three', proof: { code: code(secret) } })).toEqual({ ok: false, reason: 'limit_reached' });
  });

  it('rename; remove one with a proof (the MFA epoch moves); removing the primary promotes another; the last one goes through disable and its policy', async () => {
    const { mfa, clock, enrol, addTotp, code, events, store } = setup();
    const { secret } = await enrol();
    const second = await addTotp('alice', 'Second', secret);
    expect(await mfa.renameAuthenticator('alice', second.id, 'Work phone')).toEqual({ ok: true });
    expect(await mfa.renameAuthenticator('alice', 'nope', 'x')).toEqual({ ok: false });
    expect(await mfa.removeAuthenticator('alice', 'primary', { code: '123456' })).toMatchObject({ ok: false, reason: 'mismatch' });
    const epoch = (await store.get('alice'))!.epoch ?? 0;
    expect(await mfa.removeAuthenticator('alice', 'primary', { code: code(second.secret) })).toEqual({ ok: true, disabled: false });
    expect((await store.get('alice'))!.epoch).toBe((epoch as number) + 1);
    clock.advance(STEP);
    expect(await mfa.verifyLogin('alice', code(secret))).toMatchObject({ ok: false, reason: 'mismatch' });
    expect((await mfa.listAuthenticators('alice')).map((a) => [a.id, a.name])).toEqual([[second.id, 'Work phone']]);
    expect(await mfa.verifyLogin('alice', code(second.secret))).toMatchObject({ ok: true, authenticator: second.id });
    await mfa.setPolicy({ userId: 'alice' }, { required: true }, { actor: 'admin' });
    clock.advance(STEP);
    expect(await mfa.removeAuthenticator('alice', second.id, { code: code(second.secret) })).toEqual({ ok: false, reason: 'policy' });
    await mfa.setPolicy({ userId: 'alice' }, null, { actor: 'admin' });
    expect(await mfa.removeAuthenticator('alice', second.id, { code: code(second.secret) })).toEqual({ ok: true, disabled: true });
    expect((await mfa.getStatus('alice')).status).toBe('disabled');
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['authenticator_renamed', 'authenticator_removed', 'disabled']));
  });

  it('resetSecret, adminReset and disable act on every authenticator', async () => {
    const { mfa, clock, enrol, addTotp, code, store } = setup();
    const { secret } = await enrol();
    const second = await addTotp('alice', 'Second', secret);
    await mfa.adminReset('alice', { actor: 'admin' });
    expect((await store.get('alice'))!.authenticators).toBeNull();
    const again = await enrol();
    const third = await addTotp('alice', 'Third', again.secret);
    const reset = await mfa.resetSecret('alice', { proof: { code: code(third.secret) } });
    expect(reset.ok).toBe(true);
    expect(await mfa.listAuthenticators('alice')).toHaveLength(1);
    clock.advance(STEP);
    expect(await mfa.verifyLogin('alice', code(second.secret))).toMatchObject({ ok: false });
  });

  it('the lock threshold scales with the authenticators: with 5, one wrong code uses the whole budget of 5', async () => {
    const { mfa, enrol, addTotp, events } = setup();
    const { secret } = await enrol();
    for (const n of [2, 3, 4, 5]) await addTotp('alice', `phone ${n}`, secret);
    const wrong = await mfa.verifyLogin('alice', '000000');
    expect(wrong).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(wrong.ok === false && wrong.retryAt).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === 'failed').at(-1)).toMatchObject({ failures: 5 });
    // With one authenticator, five wrong codes before the lock (unchanged).
    const one = setup();
    await one.enrol('bob');
    for (let i = 0; i < 4; i++) expect(await one.mfa.verifyLogin('bob', '000000')).toEqual({ ok: false, reason: 'mismatch' });
    expect(await one.mfa.verifyLogin('bob', '000000')).toMatchObject({ ok: false, reason: 'mismatch', retryAt: expect.any(Number) });
  });

  it('the extra secrets are sealed by the cipher like the primary one', async () => {
    const cipher = aesGcmCipher({ keys: { k1: new Uint8Array(32).fill(7) }, current: 'k1' });
    const { mfa, enrol, addTotp, store, clock, code } = setup({}, { cipher });
    const { secret } = await enrol();
    const second = await addTotp('alice', 'Second', secret);
    const stored = (await store.get('alice')) as unknown as { authenticators: { extra: { method: { secret: string; secretSealed?: boolean } }[] } };
    expect(stored.authenticators.extra[0]!.method.secretSealed).toBe(true);
    clock.advance(STEP);
    expect(await mfa.verifyLogin('alice', code(second.secret))).toMatchObject({ ok: true, authenticator: second.id });
    // requireSealed: a plaintext secret planted in the slice is refused, not used.
    const strict = createMfa({ store, issuer: 'Acme', clock, features: [authenticators(), encryptedSecrets(cipher, { requireSealed: true })] });
    expect((await strict.verifyLogin('alice', '000000')).ok).toBe(false);
    const planted = structuredClone(await store.get('alice')) as unknown as typeof stored & { version: number };
    planted.authenticators.extra[0]!.method = { ...planted.authenticators.extra[0]!.method, secret: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA' };
    delete planted.authenticators.extra[0]!.method.secretSealed;
    await store.compareAndSet('alice', planted.version, { ...planted, version: planted.version + 1 } as never);
    await expect(strict.verifyLogin('alice', '000000')).rejects.toMatchObject({ code: 'INVALID_RECORD' });
    // Without the cipher a sealed slice secret is a CIPHER_FAILURE, never used as a key.
    await store.compareAndSet('alice', planted.version + 1, { ...stored, version: planted.version + 2 } as never);
    const keyless = createMfa({ store, issuer: 'Acme', clock, features: [authenticators()] });
    await expect(keyless.verifyLogin('alice', '000000')).rejects.toMatchObject({ code: 'CIPHER_FAILURE' });
  });
});

describe('authenticators(): HOTP tokens', () => {
  const secret = new TextEncoder().encode('12345678901234567890');
  it('a programmed token: imported with its counter; look-ahead 10; counter advanced past the match; no replay', async () => {
    const { mfa } = setup();
    const imported = await mfa.importAuthenticator('alice', { secret, type: 'hotp', counter: 5, name: 'Token' });
    if (!imported.ok) throw new Error('import');
    expect(imported.recoveryCodes.length).toBe(10);
    expect(await mfa.verifyLogin('alice', hotp(secret, 16))).toMatchObject({ ok: false, reason: 'mismatch' });
    // Wrong codes against an HOTP window of 11 weigh ceil(11/3) = 4: reset the count with a success.
    expect(await mfa.verifyLogin('alice', hotp(secret, 15))).toMatchObject({ ok: true, authenticator: imported.ids[0] });
    // The code just used is a replay (no failure counted), an older one a mismatch.
    expect(await mfa.verifyLogin('alice', hotp(secret, 15))).toEqual({ ok: false, reason: 'replayed' });
    expect(await mfa.verifyLogin('alice', hotp(secret, 16))).toMatchObject({ ok: true });
  });

  it('resync (RFC 4226 §7.4): two consecutive codes within the window move the counter; one code or a gap does not', async () => {
    const { mfa, events } = setup();
    const r = await mfa.importAuthenticator('alice', { secret, type: 'hotp', counter: 0, name: 'Token' });
    if (!r.ok) throw new Error('import');
    const id = r.ids[0]!;
    expect(await mfa.resyncHotp('alice', id, [hotp(secret, 50), hotp(secret, 52)])).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(await mfa.resyncHotp('alice', id, [hotp(secret, 150), hotp(secret, 151)])).toMatchObject({ ok: false, reason: 'mismatch' });
    await mfa.unlock('alice', { actor: 'support' });
    expect(await mfa.resyncHotp('alice', id, [hotp(secret, 60), hotp(secret, 61)])).toEqual({ ok: true, skipped: 60 });
    expect(await mfa.verifyLogin('alice', hotp(secret, 61))).toMatchObject({ ok: false });
    expect(await mfa.verifyLogin('alice', hotp(secret, 62))).toMatchObject({ ok: true });
    expect(events.filter((e) => e.type === 'hotp_resynced')).toEqual([expect.objectContaining({ id, skipped: 60 })]);
  });

  it('a soft HOTP authenticator gets an otpauth hotp URI with counter=0', async () => {
    const { mfa, enrol, code } = setup();
    const { secret: primary } = await enrol();
    const added = await mfa.addAuthenticator('alice', { name: 'HOTP app', authenticator: 'hotp', proof: { code: code(primary) } });
    if (!added.ok) throw new Error(added.reason);
    expect(added.uri).toMatch(/^otpauth:\/\/hotp\/.*counter=0/);
    expect(await mfa.confirmAuthenticator('alice', added.id, hotp(added.secret, 0))).toEqual({ ok: true });
    expect(await mfa.verifyLogin('alice', hotp(added.secret, 1))).toMatchObject({ ok: true, authenticator: added.id });
  });
});

describe('authenticators(): learned drift', () => {
  it('off by default: a token 2 steps fast fails with window 1', async () => {
    const { mfa, clock } = setup();
    const secret = new Uint8Array(20).fill(3);
    await mfa.importAuthenticator('alice', { secret, name: 'Fob' });
    expect(await mfa.verifyLogin('alice', totp(secret, { time: clock.now() + 2 * STEP }))).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('three accepted codes at +1 move the centre by one step (bounded by maxSteps), audited; a reset clears it', async () => {
    const { mfa, clock, events } = setup({ drift: { maxSteps: 1 } });
    const secret = new Uint8Array(20).fill(3);
    await mfa.importAuthenticator('alice', { secret, name: 'Fob' });
    for (let i = 0; i < 3; i++) {
      clock.advance(STEP * 3);
      expect(await mfa.verifyLogin('alice', totp(secret, { time: clock.now() + STEP }))).toMatchObject({ ok: true });
    }
    expect(events.filter((e) => e.type === 'authenticator_drift')).toEqual([expect.objectContaining({ drift: 1, previous: 0 })]);
    expect((await mfa.listAuthenticators('alice'))[0]!.drift).toBe(1);
    clock.advance(STEP * 3);
    // Now +2 is inside the window (centre +1), and the bound keeps it from moving further.
    expect(await mfa.verifyLogin('alice', totp(secret, { time: clock.now() + 2 * STEP }))).toMatchObject({ ok: true });
    for (let i = 0; i < 3; i++) {
      clock.advance(STEP * 3);
      await mfa.verifyLogin('alice', totp(secret, { time: clock.now() + 2 * STEP }));
    }
    expect((await mfa.listAuthenticators('alice'))[0]!.drift).toBe(1);
    await mfa.adminReset('alice', { actor: 'admin' });
    await mfa.importAuthenticator('alice', { secret, name: 'Fob' });
    expect((await mfa.listAuthenticators('alice'))[0]!.drift).toBe(0);
  });
});
