// Self-describing API keys: format, checksum, the scanner pattern, and the key id a server reads.
import { describe, expect, it } from 'vitest';
import { apiKeyPattern, checkApiPassword, createApiPassword, isApiPasswordFormat, parseApiKey } from '../src/index.js';
import { seededRandom } from '../src/testing/index.js';

const issue = (seed: string, options: { prefix?: string } = {}) => {
  const issued = createApiPassword([], { now: 0, rng: seededRandom(seed), withKeyId: true, ...options });
  if (!issued.ok) throw new Error('issue');
  return issued;
};

describe('self-describing API keys', () => {
  it('mfak_<keyId>_<secret><checksum>: the key id is the credential id, and the documented regex matches', () => {
    const { password, credential } = issue('shape');
    expect(password).toMatch(/^mfak_[0-9A-Za-z]{12}_[0-9A-Za-z]{38}$/);
    expect(password.slice(5, 17)).toBe(credential.id);
    expect(parseApiKey(password)).toEqual({ ok: true, keyId: credential.id });
    expect(apiKeyPattern().source).toBe('\\bmfak_[0-9A-Za-z]{12}_[0-9A-Za-z]{38}\\b');
    expect(`token=${password};`.match(apiKeyPattern())).toEqual([password]);
    expect(isApiPasswordFormat(password)).toBe(false); // the older, id-less format
  });

  it('every single-character typo, a swap of neighbours and a truncation is caught offline by the checksum or shape', () => {
    const { password } = issue('typos');
    const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    let tried = 0;
    for (let i = 0; i < password.length; i++) {
      for (const c of ['A', 'z', '0', '_', '-']) {
        if (password[i] === c) continue;
        const typo = password.slice(0, i) + c + password.slice(i + 1);
        expect(parseApiKey(typo).ok, typo).toBe(false);
        tried++;
      }
      if (i + 1 < password.length && password[i] !== password[i + 1]) {
        const swapped = password.slice(0, i) + password[i + 1] + password[i] + password.slice(i + 2);
        expect(parseApiKey(swapped).ok).toBe(false);
      }
    }
    expect(tried).toBeGreaterThan(200);
    expect(parseApiKey(password.slice(0, -1)).ok).toBe(false);
    expect(parseApiKey(password + chars[0]).ok).toBe(false);
  });

  it('never throws on what a client sends', () => {
    for (const bad of [undefined, null, 42, {}, [], '', 'mfak_', 'Bearer x', '\u0000'.repeat(56), 'é'.repeat(56)]) {
      expect(parseApiKey(bad)).toEqual({ ok: false });
    }
  });

  it('a custom prefix: its own pattern, and keys of another prefix are not read', () => {
    const { password, credential } = issue('prefix', { prefix: 'acme' });
    expect(password.startsWith(`acme_${credential.id}_`)).toBe(true);
    expect(parseApiKey(password, { prefix: 'acme' })).toEqual({ ok: true, keyId: credential.id });
    expect(parseApiKey(password).ok).toBe(false);
    expect(apiKeyPattern('acme').test(password)).toBe(true);
    expect(() => apiKeyPattern('A-B')).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('checkApiPassword accepts a key like a password (SHA-256 compared in constant time), and refuses a key with a wrong secret', () => {
    const { password, credentials } = issue('check');
    expect(checkApiPassword(credentials, password)).toMatchObject({ ok: true });
    const { password: other } = issue('check-other');
    expect(checkApiPassword(credentials, other)).toEqual({ ok: false, reason: 'mismatch' });
  });
});
