// With a cipher configured the TOTP secret is sealed; the recovery codes next to it must not be the
// weakest thing in a leaked store. By default their hashes are keyed with a pepper the cipher derives
// from its current key (aesGcmCipher: HKDF-SHA-256 of the key), and the set records that key's id, so
// the codes keep working after the key rotates, for as long as the cipher holds the old key. A cipher
// that cannot derive a pepper needs an explicit `recoveryCodes.hashing.pepper`.
//
// Fails on the code before this change: the stored set was unpeppered (HMAC keyed with its own salt),
// so anyone holding the store could test guesses offline.
import { createHmac, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  aesGcmCipher,
  createMfa,
  encryptedSecrets,
  MemoryStore,
  recoveryCodes,
  unpackRecoveryCodes,
  verifyRecoveryCode,
  type CreateMfaOptions,
  type SecretCipher,
  type StoredRecoveryCodeSet,
} from '../../src/index.js';
import { decodeBase64Url, encodeBase64Url } from '../../src/_internal/base64.js';
import { normaliseCode } from '../../src/_internal/crockford.js';
import { FakeClock, seededRandom } from '../../src/testing/index.js';
import { enrolledUser } from '../support/enrolled-user.js';

const k1 = new Uint8Array(32).fill(0x11);
const k2 = new Uint8Array(32).fill(0x22);

async function enrolled(store: MemoryStore, options: Partial<CreateMfaOptions>, user = 'alice') {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
  // recoveryCodes() unless the test passes its own (with options).
  const features = options.features ?? [];
  const withCodes = features.some((f) => f.name === 'recoveryCodes') ? features : [recoveryCodes(), ...features];
  const mfa = createMfa({ store, issuer: 'Acme', clock, rng: seededRandom(`pepper-${user}`), ...options, features: withCodes });
  const { secret, recoveryCodes: codes } = await enrolledUser(mfa, clock, user, { advance: false });
  return { mfa, clock, codes, secret };
}

async function storedSet(store: MemoryStore, user = 'alice'): Promise<StoredRecoveryCodeSet> {
  return ((await store.get(user)) as unknown as { recoveryCodes: StoredRecoveryCodeSet }).recoveryCodes;
}

/** What an attacker holding only the store computes: the unpeppered digest (HMAC keyed with the salt). */
function saltOnlyDigest(set: StoredRecoveryCodeSet, code: string): string {
  const salt = decodeBase64Url(set.salt!, { canonical: false })!;
  const text = new TextEncoder().encode(normaliseCode(code)!);
  const msg = new Uint8Array(salt.length + text.length);
  msg.set(salt);
  msg.set(text, salt.length);
  return encodeBase64Url(new Uint8Array(createHmac('sha256', salt).update(msg).digest()));
}

describe('recovery-code hashes are peppered when a cipher is configured', () => {
  it('aesGcmCipher: the stored set is peppered with the current key id; the salt alone verifies nothing', async () => {
    const store = new MemoryStore();
    const { codes } = await enrolled(store, { features: [encryptedSecrets(aesGcmCipher({ keys: { k1 }, current: 'k1' }))] });
    const set = await storedSet(store);
    expect(set).toMatchObject({ peppered: true, pepperId: 'k1' });
    for (const code of codes) expect(set.hashes).not.toContain(saltOnlyDigest(set, code));
    // The public verifier refuses a peppered set without its pepper rather than guessing.
    expect(() => verifyRecoveryCode(unpackRecoveryCodes(set), codes[0])).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('without a cipher the set stays unpeppered (the salt-only digest matches: the baseline this guards)', async () => {
    const store = new MemoryStore();
    const { codes } = await enrolled(store, {});
    const set = await storedSet(store);
    expect(set.peppered).toBeUndefined();
    expect(set.hashes).toContain(saltOnlyDigest(set, codes[0]!));
  });

  it('login by recovery code works, once', async () => {
    const store = new MemoryStore();
    const { mfa, codes } = await enrolled(store, { features: [encryptedSecrets(aesGcmCipher({ keys: { k1 }, current: 'k1' }))] });
    expect(await mfa.verifyLogin('alice', codes[3]!)).toEqual({ ok: true, method: 'recovery', remainingRecoveryCodes: 9, epoch: 0 });
    expect(await mfa.verifyLogin('alice', codes[3]!)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('rotation: codes made under k1 keep working once k2 is current; regenerated codes use k2', async () => {
    const store = new MemoryStore();
    const before = await enrolled(store, { features: [encryptedSecrets(aesGcmCipher({ keys: { k1 }, current: 'k1' }))] });
    const clock = before.clock;
    const rotated = createMfa({ store, issuer: 'Acme', clock, features: [encryptedSecrets(aesGcmCipher({ keys: { k1, k2 }, current: 'k2' })), recoveryCodes()] });
    expect(await rotated.verifyLogin('alice', before.codes[0]!)).toMatchObject({ ok: true, method: 'recovery' });
    expect((await storedSet(store)).pepperId).toBe('k1'); // the set is not re-keyed (the codes are unknown)

    const regenerated = await rotated.regenerateRecoveryCodes('alice', { code: before.codes[1]! });
    if (!regenerated.ok) throw new Error('regenerate');
    expect(await storedSet(store)).toMatchObject({ peppered: true, pepperId: 'k2' });

    // k1 retired: the new set (k2) works without it.
    const k2Only = createMfa({ store, issuer: 'Acme', clock, features: [encryptedSecrets(aesGcmCipher({ keys: { k2 }, current: 'k2' })), recoveryCodes()] });
    expect(await k2Only.verifyLogin('alice', regenerated.recoveryCodes[0]!)).toMatchObject({ ok: true, method: 'recovery' });
  });

  it('a set whose key was retired fails loudly (CIPHER_FAILURE), not as a wrong code', async () => {
    const store = new MemoryStore();
    const { clock, codes } = await enrolled(store, { features: [encryptedSecrets(aesGcmCipher({ keys: { k1 }, current: 'k1' }))] });
    // The sealed secret needs k1 too; keep k1 for the secret's sake in a cipher that derives no k1 pepper.
    const full = aesGcmCipher({ keys: { k1, k2 }, current: 'k2' });
    const noK1Pepper: SecretCipher = {
      encrypt: (p, c) => full.encrypt(p, c),
      decrypt: (s, c) => full.decrypt(s, c),
      derivePepper: (keyId = 'k2') => (keyId === 'k1' ? null : full.derivePepper(keyId)),
    };
    const mfa = createMfa({ store, issuer: 'Acme', clock, features: [encryptedSecrets(noK1Pepper), recoveryCodes()] });
    await expect(mfa.verifyLogin('alice', codes[0]!)).rejects.toMatchObject({ code: 'CIPHER_FAILURE' });
  });

  it('turning a cipher on keeps older unpeppered sets working until they are regenerated', async () => {
    const store = new MemoryStore();
    const { clock, codes } = await enrolled(store, {});
    const mfa = createMfa({ store, issuer: 'Acme', clock, features: [encryptedSecrets(aesGcmCipher({ keys: { k1 }, current: 'k1' })), recoveryCodes()] });
    expect(await mfa.verifyLogin('alice', codes[0]!)).toMatchObject({ ok: true, method: 'recovery' });
  });

  it('a cipher without derivePepper needs recoveryCodes({ hashing: { pepper } }) (INVALID_OPTION otherwise); an explicit pepper wins', async () => {
    const aes = aesGcmCipher({ keys: { k1 }, current: 'k1' });
    const plain: SecretCipher = { encrypt: (p, c) => aes.encrypt(p, c), decrypt: (s, c) => aes.decrypt(s, c) };
    expect(() => createMfa({ store: new MemoryStore(), issuer: 'Acme', features: [encryptedSecrets(plain), recoveryCodes()] })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringContaining('recoveryCodes({ hashing: { pepper } })') }),
    );
    // Without recovery codes there is nothing to key: such a cipher is fine.
    expect(createMfa({ store: new MemoryStore(), issuer: 'Acme', features: [encryptedSecrets(plain)] }).options.issuer).toBe('Acme');
    const pepper = new Uint8Array(32).fill(0x77);
    const store = new MemoryStore();
    const { mfa, codes } = await enrolled(store, { features: [encryptedSecrets(plain), recoveryCodes({ hashing: { pepper } })] });
    const set = await storedSet(store);
    expect(set.peppered).toBe(true);
    expect(set.pepperId).toBeUndefined();
    expect(verifyRecoveryCode(unpackRecoveryCodes(set), codes[0], { hashing: { pepper } })).toEqual({ ok: true, index: 0 });
    expect(await mfa.verifyLogin('alice', codes[0]!)).toMatchObject({ ok: true, method: 'recovery' });
  });

  it('an explicit pepper configured later: new sets use it, sets keyed by the cipher still verify', async () => {
    const store = new MemoryStore();
    const aes = aesGcmCipher({ keys: { k1 }, current: 'k1' });
    const { clock, codes } = await enrolled(store, { features: [encryptedSecrets(aes)] });
    const pepper = new Uint8Array(32).fill(0x55);
    const mfa = createMfa({ store, issuer: 'Acme', clock, features: [encryptedSecrets(aes), recoveryCodes({ hashing: { pepper } })] });
    expect(await mfa.verifyLogin('alice', codes[0]!)).toMatchObject({ ok: true, method: 'recovery' });
    const regenerated = await mfa.regenerateRecoveryCodes('alice', { code: codes[1]! });
    if (!regenerated.ok) throw new Error('regenerate');
    const set = await storedSet(store);
    expect(set.peppered).toBe(true);
    expect(set.pepperId).toBeUndefined();
    expect(verifyRecoveryCode(unpackRecoveryCodes(set), regenerated.recoveryCodes[0], { hashing: { pepper } })).toEqual({ ok: true, index: 0 });
  });

  it('aesGcmCipher.derivePepper: 32 bytes per key, distinct per key, stable, null for an unknown id', () => {
    const c = aesGcmCipher({ keys: { k1, k2 }, current: 'k2' });
    const current = c.derivePepper();
    expect(current?.keyId).toBe('k2');
    expect(current?.pepper).toHaveLength(32);
    expect(c.derivePepper('k1')?.pepper).not.toEqual(current?.pepper);
    expect(aesGcmCipher({ keys: { k2 }, current: 'k2' }).derivePepper()?.pepper).toEqual(current?.pepper);
    expect(c.derivePepper('nope')).toBeNull();
    // The pepper is not the AES key itself: it is HKDF-SHA-256 (RFC 5869) with its own info string.
    expect(current?.pepper).not.toEqual(k2);
    const expected = new Uint8Array(hkdfSync('sha256', k2, new Uint8Array(32), 'mfakit recovery-code pepper v1', 32));
    expect(current?.pepper).toEqual(expected);
  });
});
