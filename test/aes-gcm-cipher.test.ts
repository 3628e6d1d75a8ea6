import { createCipheriv } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { aesGcmCipher } from '../src/aes-gcm-cipher.js';
import { isMfaError, MfaError } from '../src/errors.js';

const k1 = new Uint8Array(32).fill(1);
const k2 = new Uint8Array(32).fill(2);
const plain = new TextEncoder().encode('JBSWY3DPEHPK3PXP-secret');
const alice = { userId: 'alice' };

async function rejectsWith(p: Promise<unknown>, code: string): Promise<MfaError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isMfaError(err)).toBe(true);
  expect((err as MfaError).code).toBe(code);
  return err as MfaError;
}

describe('aesGcmCipher: round trip and format', () => {
  it('encrypts to v2.<kid>.<iv>.<ct> and decrypts back', async () => {
    const cipher = aesGcmCipher({ keys: { k1 }, current: 'k1' });
    const sealed = await cipher.encrypt(plain, alice);
    expect(sealed).toMatch(/^v2\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(await cipher.decrypt(sealed, alice)).toEqual(plain);
    expect(cipher.keyIdOf(sealed)).toBe('k1');
    expect(cipher.needsRotation(sealed)).toBe(false);
  });

  it('matches Node AES-256-GCM with the AAD v2.<kid>.<n>:<purpose><userId> (known answer)', async () => {
    const iv = Uint8Array.from({ length: 12 }, (_, i) => i);
    const cipher = aesGcmCipher({ keys: { k1 }, current: 'k1', rng: () => iv.slice() });
    const sealed = await cipher.encrypt(plain, alice);
    const node = createCipheriv('aes-256-gcm', k1, iv);
    node.setAAD(Buffer.from('v2.k1.0:alice')); // purpose '' (length 0)
    const body = Buffer.concat([node.update(plain), node.final(), node.getAuthTag()]);
    expect(sealed).toBe(`v2.k1.${Buffer.from(iv).toString('base64url')}.${body.toString('base64url')}`);
  });

  it('draws a fresh IV each time', async () => {
    const cipher = aesGcmCipher({ keys: { k1 }, current: 'k1' });
    const a = await cipher.encrypt(plain, alice);
    const b = await cipher.encrypt(plain, alice);
    expect(a).not.toBe(b);
  });

  it('round-trips any bytes and any user id (property)', async () => {
    const cipher = aesGcmCipher({ keys: { k1, k2 }, current: 'k2' });
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 128 }), fc.string({ unit: 'grapheme' }), async (bytes, userId) => {
        const sealed = await cipher.encrypt(bytes, { userId });
        expect(await cipher.decrypt(sealed, { userId })).toEqual(bytes);
      }),
      { numRuns: 100 },
    );
  });

  it('copies the keys: changing the caller array later has no effect', async () => {
    const key = k1.slice();
    const cipher = aesGcmCipher({ keys: { k1: key }, current: 'k1' });
    const sealed = await cipher.encrypt(plain, alice);
    key.fill(9);
    expect(await cipher.decrypt(sealed, alice)).toEqual(plain);
  });
});

describe('aesGcmCipher: rotation', () => {
  it('decrypts with any known key; needsRotation when not the current one; rotate re-encrypts', async () => {
    const old = aesGcmCipher({ keys: { k1 }, current: 'k1' });
    const sealed = await old.encrypt(plain, alice);
    const cipher = aesGcmCipher({ keys: { k1, k2 }, current: 'k2' });
    expect(cipher.needsRotation(sealed)).toBe(true);
    expect(await cipher.decrypt(sealed, alice)).toEqual(plain);
    const rotated = await cipher.rotate(sealed, alice);
    expect(cipher.keyIdOf(rotated)).toBe('k2');
    expect(cipher.needsRotation(rotated)).toBe(false);
    expect(await cipher.decrypt(rotated, alice)).toEqual(plain);
    expect(await cipher.rotate(rotated, alice)).toBe(rotated); // already current: unchanged
    // after retiring k1 the rotated value still opens, the old one does not
    const retired = aesGcmCipher({ keys: { k2 }, current: 'k2' });
    expect(await retired.decrypt(rotated, alice)).toEqual(plain);
    await rejectsWith(retired.decrypt(sealed, alice), 'CIPHER_FAILURE');
  });

  it('rotate rejects on a ciphertext it cannot open', async () => {
    const cipher = aesGcmCipher({ keys: { k1, k2 }, current: 'k2' });
    const sealed = await cipher.encrypt(plain, alice);
    await rejectsWith(cipher.rotate(sealed, { userId: 'mallory' }), 'CIPHER_FAILURE');
  });

  it('needsRotation is true for unreadable strings (they need attention)', () => {
    const cipher = aesGcmCipher({ keys: { k1 }, current: 'k1' });
    expect(cipher.needsRotation('garbage')).toBe(true);
    expect(cipher.keyIdOf('garbage')).toBeNull();
  });
});

describe('aesGcmCipher: failures are CIPHER_FAILURE without secrets', () => {
  const cipher = aesGcmCipher({ keys: { k1, k2 }, current: 'k1' });

  it('wrong user id (AAD)', async () => {
    const sealed = await cipher.encrypt(plain, alice);
    await rejectsWith(cipher.decrypt(sealed, { userId: 'bob' }), 'CIPHER_FAILURE');
  });

  it('wrong key under the same id', async () => {
    const sealed = await cipher.encrypt(plain, alice);
    const impostor = aesGcmCipher({ keys: { k1: k2 }, current: 'k1' });
    await rejectsWith(impostor.decrypt(sealed, alice), 'CIPHER_FAILURE');
  });

  it('relabelled key id (k1 ciphertext claimed as k2)', async () => {
    const sealed = await cipher.encrypt(plain, alice);
    await rejectsWith(cipher.decrypt(sealed.replace('v2.k1.', 'v2.k2.'), alice), 'CIPHER_FAILURE');
  });

  it('unknown key id', async () => {
    const sealed = await cipher.encrypt(plain, alice);
    await rejectsWith(cipher.decrypt(sealed.replace('v2.k1.', 'v2.k9.'), alice), 'CIPHER_FAILURE');
  });

  it('every flipped character of the IV or body', async () => {
    const sealed = await cipher.encrypt(plain, alice);
    const start = 'v2.k1.'.length;
    for (let i = start; i < sealed.length; i++) {
      if (sealed[i] === '.') continue;
      const c = sealed[i] === 'A' ? 'B' : 'A';
      const tampered = sealed.slice(0, i) + c + sealed.slice(i + 1);
      await rejectsWith(cipher.decrypt(tampered, alice), 'CIPHER_FAILURE');
    }
  });

  const garbage: [string, unknown][] = [
    ['empty', ''],
    ['no parts', 'abc'],
    ['other version', 'v2.k1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['short iv', 'v2.k1.AAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['short body', 'v2.k1.AAAAAAAAAAAAAAAA.AAAA'],
    ['bad base64url', 'v2.k1.AAAAAAAAAAAAAAA*.AAAAAAAAAAAAAAAAAAAAAA'],
    ['extra part', 'v2.k1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.x'],
    ['not a string', 42],
    ['null', null],
  ];
  it.each(garbage)('garbage: %s', async (_name, value) => {
    await rejectsWith(cipher.decrypt(value as string, alice), 'CIPHER_FAILURE');
  });

  it('messages and JSON/inspect views carry no key or plaintext', async () => {
    const sealed = await cipher.encrypt(plain, alice);
    const err = await rejectsWith(cipher.decrypt(sealed, { userId: 'bob' }), 'CIPHER_FAILURE');
    expect(err.message).not.toContain('secret');
    expect(err.message).not.toContain(sealed);
    const json = JSON.stringify(cipher);
    expect(json).toBe('{"type":"aes-256-gcm","current":"k1","keyIds":["k1","k2"]}');
    const shown = inspect(cipher, { showHidden: true, depth: 10 });
    expect(shown).not.toMatch(/1, 1, 1|2, 2, 2/);
    expect(shown).toContain('AesGcmCipher');
  });
});

describe('aesGcmCipher: configuration errors are INVALID_OPTION', () => {
  const bad: [string, unknown][] = [
    ['no options', undefined],
    ['keys missing', { current: 'k1' }],
    ['no keys', { keys: {}, current: 'k1' }],
    ['16-byte key', { keys: { k1: new Uint8Array(16) }, current: 'k1' }],
    ['31-byte key', { keys: { k1: new Uint8Array(31) }, current: 'k1' }],
    ['33-byte key', { keys: { k1: new Uint8Array(33) }, current: 'k1' }],
    ['string key', { keys: { k1: 'x'.repeat(32) }, current: 'k1' }],
    ['current unknown', { keys: { k1 }, current: 'k2' }],
    ['current missing', { keys: { k1 } }],
    ['dot in key id', { keys: { 'k.1': k1 }, current: 'k.1' }],
    ['empty key id', { keys: { '': k1 }, current: '' }],
    ['long key id', { keys: { ['k'.repeat(33)]: k1 }, current: 'k'.repeat(33) }],
  ];
  it.each(bad)('%s', (_name, options) => {
    expect(() => aesGcmCipher(options as never)).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('key length error does not print the key', () => {
    try {
      aesGcmCipher({ keys: { k1: new Uint8Array(16).fill(7) }, current: 'k1' });
    } catch (err) {
      expect((err as Error).message).not.toMatch(/7,7|0707/);
    }
  });

  it('bad rng output, bad plaintext or missing user id are INVALID_OPTION', async () => {
    const short = aesGcmCipher({ keys: { k1 }, current: 'k1', rng: () => new Uint8Array(8) });
    await rejectsWith(short.encrypt(plain, alice), 'INVALID_OPTION');
    const cipher = aesGcmCipher({ keys: { k1 }, current: 'k1' });
    await rejectsWith(cipher.encrypt('text' as never, alice), 'INVALID_OPTION');
    await rejectsWith(cipher.encrypt(plain, {} as never), 'INVALID_OPTION');
    await rejectsWith(cipher.decrypt('v2.k1.x.y', undefined as never), 'INVALID_OPTION');
  });
});
