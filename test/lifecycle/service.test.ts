// The service shell: compare-and-set retry, events only after commit, store and cipher wiring,
// validation on read, misuse errors.
import { describe, expect, it } from 'vitest';
import {
  createMfa,
  encodeBase32,
  encryptedSecrets,
  policies,
  MemoryStore,
  recoveryCodes,
  totp,
  type MfaEvent,
  type MfaFeature,
  type MfaStore,
  type SecretCipher,
  type StoredRecord,
} from '../../src/index.js';
import { FakeClock, seededRandom } from '../../src/testing/index.js';
import { enrolledUser } from '../support/enrolled-user.js';

const T0 = Date.UTC(2026, 0, 1, 12) + 10_000;

function setup(store: MfaStore = new MemoryStore(), extra: { features?: readonly MfaFeature[] } = {}) {
  const clock = new FakeClock(T0);
  const events: MfaEvent[] = [];
  const { features = [], ...rest } = extra;
  const mfa = createMfa({ store, issuer: 'Acme', clock, rng: seededRandom(7), onEvent: (e) => events.push(e), ...rest, features: [recoveryCodes(), ...features] });
  const enrol = (userId = 'alice') => enrolledUser(mfa, clock, userId, { account: 'alice@example.com' });
  const code = (secret: Uint8Array) => totp(secret, { time: clock.now() });
  return { mfa, clock, events, enrol, code, store };
}

/** Wraps a store, letting a test intercept compareAndSet. */
class InterceptStore implements MfaStore {
  readonly inner = new MemoryStore();
  onCas: ((id: string) => boolean | 'throw' | undefined) | undefined;
  casCalls = 0;
  get(id: string) {
    return this.inner.get(id);
  }
  async compareAndSet(id: string, expected: number | null, record: StoredRecord) {
    this.casCalls++;
    const verdict = this.onCas?.(id);
    if (verdict === 'throw') throw new Error('connection reset');
    if (verdict === false) return false;
    return this.inner.compareAndSet(id, expected, record);
  }
  delete(id: string) {
    return this.inner.delete(id);
  }
}

describe('createMfa: compare-and-set and events', () => {
  it('a lost race reloads and retries; events are emitted once, after the commit', async () => {
    const store = new InterceptStore();
    const { mfa, events, enrol, code } = setup(store);
    const { secret } = await enrol();
    events.length = 0;
    let lose = 2;
    store.onCas = () => (lose-- > 0 ? false : undefined);
    const before = store.casCalls;
    expect(await mfa.verifyLogin('alice', code(secret))).toMatchObject({ ok: true });
    expect(store.casCalls - before).toBe(3);
    expect(events.map((e) => e.type)).toEqual(['verified']);
  });

  it('gives up with CONFLICT after maxAttempts and emits nothing', async () => {
    const store = new InterceptStore();
    const { mfa, events, enrol, code } = setup(store);
    const { secret } = await enrol();
    events.length = 0;
    store.onCas = () => false;
    await expect(mfa.verifyLogin('alice', code(secret))).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(events).toEqual([]);
  });

  it('a store failure is STORE_UNAVAILABLE with the cause, and no event', async () => {
    const store = new InterceptStore();
    const { mfa, events } = setup(store);
    store.onCas = () => 'throw';
    const err = await mfa.beginEnrollment('bob', { account: 'bob' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'STORE_UNAVAILABLE', cause: expect.objectContaining({ message: 'connection reset' }) });
    expect(events).toEqual([]);
  });

  it('an onEvent error reaches the caller after the write stands', async () => {
    const store = new MemoryStore();
    const mfa = createMfa({ store, issuer: 'Acme', onEvent: () => { throw new Error('log down'); } });
    await expect(mfa.beginEnrollment('carol', { account: 'carol' })).rejects.toThrow('log down');
    expect((await mfa.getStatus('carol')).status).toBe('pending');
  });

  it('a no-op (e.g. a replay) writes nothing', async () => {
    const store = new InterceptStore();
    const { mfa, enrol, code } = setup(store);
    const { secret } = await enrol();
    await mfa.verifyLogin('alice', code(secret));
    const calls = store.casCalls;
    expect(await mfa.verifyLogin('alice', code(secret))).toEqual({ ok: false, reason: 'replayed' });
    expect(store.casCalls).toBe(calls);
  });

  it('versions go 1, 2, 3 … one per committed write', async () => {
    const { mfa, enrol, code, store } = setup();
    const { secret } = await enrol();
    expect((await store.get('alice'))?.version).toBe(2);
    await mfa.verifyLogin('alice', code(secret));
    expect((await store.get('alice'))?.version).toBe(3);
  });

  it('events never carry the secret, a code or a hash', async () => {
    const { mfa, events, enrol, code, clock, store } = setup();
    const { secret, recoveryCodes } = await enrol();
    const typed = [code(secret), '000000', recoveryCodes[0]!];
    for (const t of typed) await mfa.verifyLogin('alice', t);
    clock.advance(30_000);
    const regenerated = await mfa.regenerateRecoveryCodes('alice', { code: code(secret) });
    const raw = JSON.stringify(await store.get('alice'));
    const hashes = [...raw.matchAll(/"hash":"([^"]+)"/g)].map((m) => m[1]!);
    const reset = await mfa.resetSecret('alice');
    const forbidden = [
      encodeBase32(secret),
      Buffer.from(secret).toString('base64url'),
      ...typed,
      ...recoveryCodes,
      ...(regenerated.ok ? regenerated.recoveryCodes : []),
      ...hashes,
      ...(reset.ok ? [encodeBase32(reset.secret), reset.uri] : []),
    ];
    const text = JSON.stringify(events);
    for (const f of forbidden) expect(text).not.toContain(f);
    expect(events.map((e) => e.type)).toContain('recovery_used');
  });
});

describe('createMfa: secrets at rest', () => {
  const rotating = new Set<string>();
  let encryptions = 0;
  const cipher: SecretCipher = {
    async encrypt(plaintext, { userId }) {
      encryptions++;
      return `v2:${userId}:${Buffer.from(plaintext).reverse().toString('hex')}`;
    },
    async decrypt(sealed, { userId }) {
      const [, who, hex] = sealed.split(':');
      if (who !== userId) throw new Error('aad mismatch');
      return Uint8Array.from(Buffer.from(hex!, 'hex').reverse());
    },
    needsRotation: (sealed) => rotating.has(sealed),
    derivePepper: (keyId = 'test') => (keyId === 'test' ? { keyId, pepper: new Uint8Array(32).fill(7) } : null),
  };

  it('stores ciphertext, keeps it while the secret is unchanged, re-encrypts when rotation is due', async () => {
    const { mfa, enrol, code, store, clock } = setup(new MemoryStore(), { features: [encryptedSecrets(cipher)] });
    const { secret } = await enrol();
    const sealed = ((await store.get('alice')) as unknown as { method: { secret: string; secretSealed: boolean } }).method;
    expect(sealed.secretSealed).toBe(true);
    expect(sealed.secret).not.toContain(Buffer.from(secret).toString('hex'));
    const n = encryptions;
    expect((await mfa.verifyLogin('alice', code(secret))).ok).toBe(true);
    expect(encryptions).toBe(n);
    rotating.add(sealed.secret);
    clock.advance(30_000);
    expect((await mfa.verifyLogin('alice', code(secret))).ok).toBe(true);
    expect(encryptions).toBe(n + 1);
  });

  it('a sealed record without a cipher is CIPHER_FAILURE; a cipher error too', async () => {
    const store = new MemoryStore();
    const { enrol } = setup(store, { features: [encryptedSecrets(cipher)] });
    await enrol();
    const plain = createMfa({ store, issuer: 'Acme' });
    await expect(plain.verifyLogin('alice', '123456')).rejects.toMatchObject({ code: 'CIPHER_FAILURE' });
    const broken = createMfa({ store, issuer: 'Acme', features: [encryptedSecrets({ ...cipher, decrypt: async () => { throw new Error('kms'); } })] });
    await expect(broken.verifyLogin('alice', '123456')).rejects.toMatchObject({ code: 'CIPHER_FAILURE' });
  });

  it('a plain record is sealed on its next write once a cipher is configured', async () => {
    const store = new MemoryStore();
    const { enrol, clock } = setup(store);
    const { secret } = await enrol();
    const sealedMfa = createMfa({ store, issuer: 'Acme', clock, features: [encryptedSecrets(cipher)] });
    expect((await sealedMfa.verifyLogin('alice', totp(secret, { time: clock.now() }))).ok).toBe(true);
    expect(((await store.get('alice')) as unknown as { method: { secretSealed?: boolean } }).method.secretSealed).toBe(true);
  });
});

/** A valid stored record of a user without MFA, for the malformed variants below. */
const DISABLED = {
  kind: 'user', version: 1, userId: 'alice', status: 'disabled', method: null, failures: 0,
  lockedUntil: null, policy: null, createdAt: 0, updatedAt: 0, activatedAt: null,
};

describe('createMfa: reading records and misuse', () => {
  it('a valid record of either schema reads (the base of the malformed variants)', async () => {
    for (const [schema, recoveryCodes] of [[1, []], [2, null]] as const) {
      const store = new MemoryStore();
      await store.compareAndSet('alice', null, { ...DISABLED, schema, recoveryCodes } as unknown as StoredRecord);
      expect((await setup(store).mfa.getStatus('alice')).status).toBe('disabled');
    }
  });

  it.each([
    ['not an object', 'x'],
    ['unknown schema', { version: 1, schema: 99, kind: 'user', userId: 'alice' }],
    ['userId of another user', { version: 1, schema: 1, kind: 'user', userId: 'mallory', status: 'disabled' }],
    ['holding recovery codes that are neither a set nor per-code records', { ...DISABLED, schema: 2, recoveryCodes: 'x' }],
    ['holding a recovery-code set without hashes', { ...DISABLED, schema: 2, recoveryCodes: { v: 1, alg: 'hmac-sha256', hashes: [], usedAt: [] } }],
    ['schema 1 whose recovery codes mix two salts', { ...DISABLED, schema: 1, recoveryCodes: [
      { v: 1, alg: 'hmac-sha256', salt: 'AAAAAAAAAAAAAAAAAAAAAA', hash: 'AAAA' },
      { v: 1, alg: 'hmac-sha256', salt: 'BBBBBBBBBBBBBBBBBBBBBB', hash: 'AAAA' },
    ] }],
  ])('a stored record that is %s is INVALID_RECORD', async (_name, data) => {
    const store = new MemoryStore();
    await store.compareAndSet('alice', null, (typeof data === 'string' ? data : data) as unknown as StoredRecord);
    const { mfa } = setup(store);
    await expect(mfa.verifyLogin('alice', '123456')).rejects.toMatchObject({ code: 'INVALID_RECORD' });
  });

  it('without recoveryCodes() the recovery-code field is kept as stored, never read; with it, per-code records in either schema are packed', async () => {
    const perCode = [{ v: 1, alg: 'hmac-sha256', salt: 'AAAAAAAAAAAAAAAAAAAAAA', hash: 'AAAA' }];
    for (const recoveryCodes of ['x', perCode]) {
      const store = new MemoryStore();
      await store.compareAndSet('alice', null, { ...DISABLED, schema: 2, recoveryCodes } as unknown as StoredRecord);
      const plain = createMfa({ store, issuer: 'Acme' });
      expect(await plain.getStatus('alice')).toMatchObject({ status: 'disabled', remainingRecoveryCodes: 0 });
      expect((await store.get('alice'))!.recoveryCodes).toEqual(recoveryCodes);
    }
    const store = new MemoryStore();
    await store.compareAndSet('alice', null, { ...DISABLED, schema: 2, recoveryCodes: perCode } as unknown as StoredRecord);
    expect((await setup(store).mfa.getStatus('alice')).remainingRecoveryCodes).toBe(1);
  });

  it('the INVALID_RECORD message never contains the secret', async () => {
    const { enrol, store, mfa } = setup();
    await enrol();
    const rec = (await store.get('alice'))!;
    const broken = { ...rec, method: { ...(rec.method as object), digits: 99 }, version: 3 };
    await store.compareAndSet('alice', rec.version, broken);
    const err = (await mfa.verifyLogin('alice', '1').catch((e: unknown) => e)) as Error;
    expect(err.message).not.toContain((rec.method as { secret: string }).secret);
    expect(err.message).toContain('method.digits');
  });

  it.each(['', 'mfakit:policy:x', 'x'.repeat(513)])('user id %j is INVALID_OPTION', async (id) => {
    const { mfa } = setup();
    await expect(mfa.verifyLogin(id, '123456')).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it.each([{ issuer: '' }, { issuer: 'A:B' }, { issuer: 'A', maxAttempts: 0 }, { issuer: 'A', throttle: { maxFailures: 0 } }])(
    'options %j are INVALID_OPTION',
    (o) => {
      expect(() => createMfa({ store: new MemoryStore(), ...o })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    },
  );

  it('getStatus and pendingEnrollment show state without secrets in the status', async () => {
    const { mfa } = setup();
    expect(await mfa.pendingEnrollment('dave')).toBeNull();
    const begun = await mfa.beginEnrollment('dave', { account: 'dave@example.com' });
    const pending = await mfa.pendingEnrollment('dave');
    expect(pending?.uri).toBe(begun.ok ? begun.uri : 'x');
    expect(pending?.uri).toContain('issuer=Acme');
    const status = await mfa.getStatus('dave');
    expect(status).toEqual({
      status: 'pending',
      method: 'totp',
      required: false,
      loginRequirement: 'confirm',
      remainingRecoveryCodes: 0,
      failures: 0,
      lockedUntil: null,
      activatedAt: null,
      epoch: 0,
    });
  });

  it('scope policies resolve through policies({ scopes }); removeUser deletes the record', async () => {
    const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', features: [policies({ scopes: (u) => (u.startsWith('acme/') ? ['org:acme'] : []) })] });
    await mfa.setPolicy({ scope: 'org:acme' }, { required: true }, { actor: 'root' });
    expect(await mfa.loginRequirement('acme/bob')).toBe('enroll');
    expect(await mfa.loginRequirement('other/bob')).toBe('none');
    await mfa.setPolicy({ userId: 'other/bob' }, { required: true }, { actor: 'admin' });
    expect(await mfa.loginRequirement('other/bob')).toBe('enroll');
    await mfa.removeUser('other/bob');
    expect(await mfa.loginRequirement('other/bob')).toBe('none');
    await expect(mfa.setPolicy({ scope: '' }, { required: true }, { actor: 'admin' })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});

describe('createMfa: lockout back-off through the service', () => {
  it('5 failures lock for 30 s; each failure after a lock expires doubles it; a success resets', async () => {
    const { mfa, enrol, clock, code, events } = setup();
    const { secret } = await enrol();
    const t = clock.now();
    for (let i = 0; i < 4; i++) expect(await mfa.verifyLogin('alice', '000000')).toEqual({ ok: false, reason: 'mismatch' });
    expect(await mfa.verifyLogin('alice', '000000')).toEqual({ ok: false, reason: 'mismatch', retryAt: t + 30_000 });
    expect(await mfa.verifyLogin('alice', code(secret))).toEqual({ ok: false, reason: 'locked', retryAt: t + 30_000 });
    clock.set(t + 30_000);
    expect(await mfa.verifyLogin('alice', '000000')).toEqual({ ok: false, reason: 'mismatch', retryAt: t + 90_000 });
    clock.set(t + 90_000);
    expect(await mfa.verifyLogin('alice', '000000')).toEqual({ ok: false, reason: 'mismatch', retryAt: t + 210_000 });
    expect(events.filter((e) => e.type === 'locked')).toHaveLength(3);
    clock.set(t + 210_000);
    expect((await mfa.verifyLogin('alice', code(secret))).ok).toBe(true);
    expect(await mfa.getStatus('alice')).toMatchObject({ failures: 0, lockedUntil: null });
  });
});
