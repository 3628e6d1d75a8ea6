import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  generateApiPassword,
  isApiPasswordFormat,
  issueApiPassword,
  passwordAuthAllowed,
  revokeApiPassword,
  summarizeApiPasswords,
  verifyApiPassword,
  type StoredApiPassword,
} from '../src/api-credentials.js';

const now = 1_764_000_000_000;
const issue = (list: StoredApiPassword[], opts: Partial<Parameters<typeof issueApiPassword>[1]> = {}) => {
  const r = issueApiPassword(list, { now, ...opts });
  if (!r.ok) throw new Error('expected ok');
  return r;
};

describe('generateApiPassword / isApiPasswordFormat', () => {
  it('is mfak_ + 32 base62 + 6 base62 checksum characters, no colon', () => {
    const p = generateApiPassword();
    expect(p).toMatch(/^mfak_[0-9A-Za-z]{38}$/);
    expect(p).toHaveLength(43);
    expect(isApiPasswordFormat(p)).toBe(true);
  });

  it('checksum is CRC32 of prefix + body in 6 base62 digits', () => {
    const p = generateApiPassword();
    const head = p.slice(0, 37);
    const crc = (zlib as unknown as { crc32?: (s: string) => number }).crc32;
    expect(typeof crc).toBe('function');
    const value = crc!(head);
    {
      const B = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
      let v = value;
      let s = '';
      for (let i = 0; i < 6; i++) {
        s = B[v % 62] + s;
        v = Math.floor(v / 62);
      }
      expect(p.slice(37)).toBe(s);
    }
  });

  it('is deterministic under an injected rng and uniform over base62 (rejects bytes ≥ 248)', () => {
    const bytes = new Uint8Array(32).fill(250);
    bytes.set([0, 61, 62, 247], 0);
    let calls = 0;
    const rng = (n: number) => (calls++ === 0 ? bytes.slice(0, n) : new Uint8Array(n).fill(1));
    const p = generateApiPassword({ rng });
    // 0 → '0', 61 → 'z', 62 → '0', 247 → 'z'; the 28 bytes of 250 are rejected and redrawn
    expect(p.slice(5, 37)).toBe('0z0z' + '1'.repeat(28));
    expect(calls).toBe(2);
  });

  it('any single-character change fails the checksum or the alphabet (typo detection)', () => {
    const p = generateApiPassword();
    let caught = 0;
    for (let i = 5; i < p.length; i++) {
      const c = p[i] === 'a' ? 'b' : 'a';
      if (!isApiPasswordFormat(p.slice(0, i) + c + p.slice(i + 1))) caught++;
    }
    expect(caught).toBe(p.length - 5);
  });

  it('custom prefix', () => {
    const p = generateApiPassword({ prefix: 'acme' });
    expect(p.startsWith('acme_')).toBe(true);
    expect(isApiPasswordFormat(p, { prefix: 'acme' })).toBe(true);
    expect(isApiPasswordFormat(p)).toBe(false);
  });

  it.each([['', 'x'], ['A'], ['1abc'], ['a'], ['a_b'], ['abcdefghijklmnopq']].map((x) => x[0]!))(
    'bad prefix %j is INVALID_OPTION',
    (prefix) => {
      expect(() => generateApiPassword({ prefix })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION' }));
    },
  );

  it.each([undefined, null, 1, {}, '', 'mfak_', 'mfak_' + 'a'.repeat(38), 'ghp_' + 'a'.repeat(36)])(
    'not a password: %j',
    (text) => {
      expect(isApiPasswordFormat(text)).toBe(false);
    },
  );
});

describe('issueApiPassword / verifyApiPassword', () => {
  it('stores only the SHA-256, versioned, and verifies the shown password', () => {
    const r = issue([], { label: 'backup script' });
    expect(r.credential).toEqual({
      v: 1,
      alg: 'sha256',
      id: expect.stringMatching(/^[A-Za-z0-9_-]{12}$/),
      label: 'backup script',
      hash: createHash('sha256').update(r.password).digest('base64url'),
      createdAt: now,
    });
    expect(JSON.stringify(r.credentials)).not.toContain(r.password);
    expect(verifyApiPassword(r.credentials, r.password)).toEqual({ ok: true, id: r.credential.id, label: 'backup script' });
  });

  it('seed 001: one per user by default; a new password replaces the old, which stops working', () => {
    const first = issue([]);
    const second = issue(first.credentials);
    expect(second.credentials).toHaveLength(1);
    expect(second.replaced).toEqual([first.credential.id]);
    expect(verifyApiPassword(second.credentials, first.password)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyApiPassword(second.credentials, second.password).ok).toBe(true);
  });

  it('seed 000 API keys: a labelled list with a limit and revocation', () => {
    const a = issue([], { label: 'ci', maxPerUser: 2 });
    const b = issue(a.credentials, { label: 'backup', maxPerUser: 2 });
    expect(b.replaced).toEqual([]);
    expect(issueApiPassword(b.credentials, { now, maxPerUser: 2 })).toEqual({ ok: false, reason: 'limit_reached' });
    expect(verifyApiPassword(b.credentials, a.password)).toMatchObject({ ok: true, label: 'ci' });
    expect(verifyApiPassword(b.credentials, b.password)).toMatchObject({ ok: true, label: 'backup' });
    expect(summarizeApiPasswords(b.credentials)).toEqual([
      { id: a.credential.id, label: 'ci', createdAt: now },
      { id: b.credential.id, label: 'backup', createdAt: now },
    ]);
    const revoked = revokeApiPassword(b.credentials, a.credential.id);
    expect(revoked.revoked).toBe(true);
    expect(verifyApiPassword(revoked.credentials, a.password)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyApiPassword(revoked.credentials, b.password).ok).toBe(true);
    expect(revokeApiPassword(revoked.credentials, 'nope').revoked).toBe(false);
    expect(issueApiPassword(revoked.credentials, { now, maxPerUser: 2 }).ok).toBe(true);
  });

  it('format vs mismatch, never throws on what was presented', () => {
    const r = issue([]);
    const other = generateApiPassword();
    expect(verifyApiPassword(r.credentials, other)).toEqual({ ok: false, reason: 'mismatch' });
    for (const bad of [undefined, null, 42, '', 'hunter2', r.password + 'x', r.password.toUpperCase(), ` ${r.password}`]) {
      expect(verifyApiPassword(r.credentials, bad)).toEqual({ ok: false, reason: 'format' });
    }
    expect(verifyApiPassword([], r.password)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('a corrupted stored hash never matches and never throws', () => {
    const r = issue([]);
    const broken = [{ ...r.credential, hash: '***' }, { ...r.credential, hash: 'AAAA' }, null, 7] as unknown as StoredApiPassword[];
    expect(verifyApiPassword(broken, r.password)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('only the matching one verifies, among many (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.nat(), (n, pick) => {
        let list: StoredApiPassword[] = [];
        const passwords: string[] = [];
        for (let i = 0; i < n; i++) {
          const r = issue(list, { maxPerUser: 8, label: `k${i}` });
          list = r.credentials;
          passwords.push(r.password);
        }
        const i = pick % n;
        expect(verifyApiPassword(list, passwords[i])).toMatchObject({ ok: true, label: `k${i}` });
      }),
      { numRuns: 30 },
    );
  });

  it('misuse is INVALID_OPTION / INVALID_RECORD', () => {
    expect(() => issueApiPassword([], { now: NaN })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => issueApiPassword([], { now, label: 'x'.repeat(101) })).toThrowError(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => issueApiPassword([], { now, label: 'a\nb' })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => issueApiPassword([], { now, maxPerUser: 0 })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => issueApiPassword([], { now, rng: () => new Uint8Array(1) })).toThrowError(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => verifyApiPassword(null as never, 'x')).toThrowError(expect.objectContaining({ code: 'INVALID_RECORD' }));
  });
});

describe('passwordAuthAllowed (seeds 000, 001, 002)', () => {
  const table: [PasswordAuthCase, boolean][] = [
    [{ status: 'disabled', channel: 'api' }, true],
    [{ status: 'pending', channel: 'api' }, true],
    [{ status: 'active', channel: 'api' }, false],
    [{ status: 'active', channel: 'api', allowAccountPasswordOnApi: true }, true],
    [{ status: 'disabled', channel: 'ui' }, true],
    [{ status: 'pending', channel: 'ui' }, true],
    [{ status: 'active', channel: 'ui' }, true],
  ];
  type PasswordAuthCase = Parameters<typeof passwordAuthAllowed>[0];
  it.each(table)('%j → %s', (input, expected) => {
    expect(passwordAuthAllowed(input)).toBe(expected);
  });
  it('misuse is INVALID_OPTION', () => {
    expect(() => passwordAuthAllowed({ status: 'active', channel: 'ssh' as never })).toThrowError(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => passwordAuthAllowed({ status: 'on' as never, channel: 'api' })).toThrowError(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => passwordAuthAllowed(undefined as never)).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});
