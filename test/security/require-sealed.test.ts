// Someone who can write to the store but does not hold the cipher key must not be able to plant a
// TOTP secret they know. With `requireSealed: true` a plaintext secret found in the store is
// INVALID_RECORD (before, it was silently accepted and sealed on the next write). The AAD of
// aesGcmCipher binds the user id and the value's purpose ('totp-secret'), so a ciphertext moved to
// another user or to another sealed field does not open; legacy v1 ciphertexts (user id only) still
// open and are re-sealed as v2 on the next write.
//
// Fails on the code before this change: `requireSealed` did not exist (the planted secret logged
// in), and the AAD held no purpose.
import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aesGcmCipher, createMfa, encryptedSecrets, MemoryStore, totp } from '../../src/index.js';
import { FakeClock, seededRandom } from '../../src/testing/index.js';

const k1 = new Uint8Array(32).fill(0x41);
const cipher = aesGcmCipher({ keys: { k1 }, current: 'k1' });

type Raw = { version: number; method: { secret: string; secretSealed?: true } };

/** Alice enrolled and confirmed with the cipher; then an attacker with store write access plants a known secret in plaintext. */
async function planted() {
  const store = new MemoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
  const mfa = createMfa({ store, issuer: 'Acme', clock, features: [encryptedSecrets(cipher)], rng: seededRandom('sealed') });
  const begun = await mfa.beginEnrollment('alice', { account: 'alice@example.com' });
  if (!begun.ok) throw new Error('begin');
  await mfa.confirmEnrollment('alice', totp(begun.secret, { time: clock.now() }));
  const known = new Uint8Array(20).fill(0x42);
  const raw = (await store.get('alice')) as unknown as Raw;
  const { secretSealed: _s, ...method } = raw.method;
  const tampered = { ...raw, version: raw.version + 1, method: { ...method, secret: Buffer.from(known).toString('base64url') } };
  expect(await store.compareAndSet('alice', raw.version, tampered as never)).toBe(true);
  clock.advance(60_000);
  return { store, clock, known };
}

describe('requireSealed', () => {
  it('a plaintext secret planted in the store is INVALID_RECORD on every read path', async () => {
    const { store, clock, known } = await planted();
    const strict = createMfa({ store, issuer: 'Acme', clock, features: [encryptedSecrets(cipher, { requireSealed: true })] });
    const code = totp(known, { time: clock.now() });
    await expect(strict.verifyLogin('alice', code)).rejects.toMatchObject({ code: 'INVALID_RECORD' });
    await expect(strict.getStatus('alice')).rejects.toMatchObject({ code: 'INVALID_RECORD' });
    await expect(strict.pendingEnrollment('alice')).rejects.toMatchObject({ code: 'INVALID_RECORD' });
    await expect(strict.disable('alice', { code })).rejects.toMatchObject({ code: 'INVALID_RECORD' });
  });

  it('without it (the default, for migrating to a cipher) the planted secret is accepted: the gap it closes', async () => {
    const { store, clock, known } = await planted();
    const lenient = createMfa({ store, issuer: 'Acme', clock, features: [encryptedSecrets(cipher)] });
    expect(await lenient.verifyLogin('alice', totp(known, { time: clock.now() }))).toMatchObject({ ok: true });
  });

  it('sealed records work as usual under requireSealed', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
    const mfa = createMfa({ store, issuer: 'Acme', clock, features: [encryptedSecrets(cipher, { requireSealed: true })] });
    const begun = await mfa.beginEnrollment('bob', { account: 'bob@example.com' });
    if (!begun.ok) throw new Error('begin');
    expect((await mfa.confirmEnrollment('bob', totp(begun.secret, { time: clock.now() }))).ok).toBe(true);
    clock.advance(30_000);
    expect((await mfa.verifyLogin('bob', totp(begun.secret, { time: clock.now() }))).ok).toBe(true);
  });

  it('requireSealed is an option of encryptedSecrets: on createMfa it is INVALID_OPTION naming the feature', () => {
    expect(() => createMfa({ store: new MemoryStore(), issuer: 'Acme', requireSealed: true } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringContaining('encryptedSecrets(cipher, { requireSealed })') }),
    );
  });
});

describe('what the aesGcmCipher AAD binds', () => {
  const plain = new Uint8Array(20).fill(7);

  it('the user id and the purpose: another user or another purpose does not open', async () => {
    const sealed = await cipher.encrypt(plain, { userId: 'alice', purpose: 'totp-secret' });
    expect(await cipher.decrypt(sealed, { userId: 'alice', purpose: 'totp-secret' })).toEqual(plain);
    await expect(cipher.decrypt(sealed, { userId: 'bob', purpose: 'totp-secret' })).rejects.toMatchObject({ code: 'CIPHER_FAILURE' });
    await expect(cipher.decrypt(sealed, { userId: 'alice', purpose: 'other-field' })).rejects.toMatchObject({ code: 'CIPHER_FAILURE' });
    await expect(cipher.decrypt(sealed, { userId: 'alice' })).rejects.toMatchObject({ code: 'CIPHER_FAILURE' });
    // The length prefix keeps (purpose, userId) pairs apart even when their concatenations match.
    const a = await cipher.encrypt(plain, { userId: 'b', purpose: 'a' });
    await expect(cipher.decrypt(a, { userId: 'ab', purpose: '' })).rejects.toMatchObject({ code: 'CIPHER_FAILURE' });
  });

  it('the lifecycle seals TOTP secrets with purpose totp-secret', async () => {
    const store = new MemoryStore();
    const mfa = createMfa({ store, issuer: 'Acme', features: [encryptedSecrets(cipher)] });
    await mfa.beginEnrollment('carol', { account: 'carol@example.com' });
    const raw = (await store.get('carol')) as unknown as Raw;
    expect(raw.method.secret.startsWith('v2.k1.')).toBe(true);
    expect(await cipher.decrypt(raw.method.secret, { userId: 'carol', purpose: 'totp-secret' })).toHaveLength(20);
    await expect(cipher.decrypt(raw.method.secret, { userId: 'carol' })).rejects.toMatchObject({ code: 'CIPHER_FAILURE' });
  });

  it('legacy v1 ciphertexts (user id only) still open, need rotation, and are re-sealed as v2 on the next write', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
    const mfa = createMfa({ store, issuer: 'Acme', clock, features: [encryptedSecrets(cipher, { requireSealed: true })] });
    const begun = await mfa.beginEnrollment('dave', { account: 'dave@example.com' });
    if (!begun.ok) throw new Error('begin');
    // What the previous release wrote: v1.<kid>.<iv>.<ct> with AAD 'v1.k1.' + user id.
    const iv = new Uint8Array(12).fill(3);
    const node = createCipheriv('aes-256-gcm', k1, iv);
    node.setAAD(Buffer.from('v1.k1.dave'));
    const body = Buffer.concat([node.update(begun.secret), node.final(), node.getAuthTag()]);
    const v1 = `v1.k1.${Buffer.from(iv).toString('base64url')}.${body.toString('base64url')}`;
    expect(cipher.needsRotation(v1)).toBe(true);
    const raw = (await store.get('dave')) as unknown as Raw;
    await store.compareAndSet('dave', raw.version, { ...raw, version: raw.version + 1, method: { ...raw.method, secret: v1 } } as never);
    expect((await mfa.confirmEnrollment('dave', totp(begun.secret, { time: clock.now() }))).ok).toBe(true);
    const after = (await store.get('dave')) as unknown as Raw;
    expect(after.method.secret.startsWith('v2.k1.')).toBe(true);
  });
});
