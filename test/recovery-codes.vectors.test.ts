// Known answers for the v1 storage format: records written today must verify forever, and each
// digest is recomputed here with node:crypto (an implementation independent of @noble/hashes).
import { describe, expect, it } from 'vitest';
import { createHmac, pbkdf2Sync, scryptSync } from 'node:crypto';
import { generateRecoveryCodes, verifyRecoveryCode, type StoredRecoveryCode } from '../src/recovery-codes.js';
import { MfaError } from '../src/errors.js';
import { pbkdf2Kdf, scryptKdf } from '../src/recovery-kdfs.js';

const kdf = [pbkdf2Kdf, scryptKdf];

const b64u = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
const fromB64u = (s: string): Buffer => Buffer.from(s, 'base64url');
const PEPPER = new Uint8Array(16).fill(9);

/** Frozen v1 records (generated with a fixed rng) and the code each one holds. */
const V1: Array<{ name: string; code: string; record: StoredRecoveryCode; pepper?: Uint8Array }> = [
  {
    name: 'hmac-sha256',
    code: 'NX5D-NX5D-NX5D',
    record: { v: 1, alg: 'hmac-sha256', salt: 'BW3VPaUNdd1FrRV95U21HQ', hash: 'TMQVJU46cjrlLP5XgukWLRjyYfxVmqIFKHuWuLpgWWo' },
  },
  {
    name: 'pbkdf2-sha256, peppered',
    code: 'NX5D-NX5D-NX5D',
    record: { v: 1, alg: 'pbkdf2-sha256', salt: 'BW3VPaUNdd1FrRV95U21HQ', hash: 'LVShedYxKN-4e8GF8eTK5hP9c8YBgR_u661GC4_tO4c', params: { c: 1000 }, peppered: true },
    pepper: PEPPER,
  },
  {
    name: 'scrypt',
    code: 'NX5D-NX5D-NX5D',
    record: { v: 1, alg: 'scrypt', salt: 'BW3VPaUNdd1FrRV95U21HQ', hash: 'uav-duYE-1q6sp538M7jWW1cmJ_QY7bkkL21qO9NKCg', params: { N: 1024, r: 8, p: 1 } },
  },
];

/** The v1 derivations, spelled out with node:crypto. `code` is canonical (no hyphens). */
function nodeDigest(r: StoredRecoveryCode, code: string, pepper?: Uint8Array): string {
  const salt = fromB64u(r.salt ?? '');
  const codeBytes = Buffer.from(code, 'utf8');
  if (r.alg === 'hmac-sha256') {
    return b64u(createHmac('sha256', pepper ?? salt).update(Buffer.concat([salt, codeBytes])).digest());
  }
  const password = pepper ? createHmac('sha256', pepper).update(codeBytes).digest() : codeBytes;
  if (r.alg === 'pbkdf2-sha256') return b64u(pbkdf2Sync(password, salt, r.params!.c!, 32, 'sha256'));
  return b64u(scryptSync(password, salt, 32, { N: r.params!.N!, r: r.params!.r!, p: r.params!.p! }));
}

describe('v1 record format', () => {
  it.each(V1)('$name: frozen record verifies, and node:crypto agrees on the digest', ({ code, record, pepper }) => {
    const opts = { hashing: pepper ? { pepper, kdf } : { kdf } };
    expect(verifyRecoveryCode([record], code, opts)).toEqual({ ok: true, index: 0 });
    expect(verifyRecoveryCode([record], code.toLowerCase().replace(/-/g, ' '), opts)).toEqual({ ok: true, index: 0 });
    expect(nodeDigest(record, code.replace(/-/g, ''), pepper)).toBe(record.hash);
  });

  it('fresh sets of every scheme match node:crypto', () => {
    const schemes = [
      {},
      { pepper: PEPPER },
      { algorithm: 'pbkdf2-sha256', iterations: 1000, kdf },
      { algorithm: 'scrypt', scrypt: { N: 1024, r: 2, p: 1 }, pepper: PEPPER, kdf },
    ] as const;
    for (const hashing of schemes) {
      const { codes, hashes } = generateRecoveryCodes({ count: 2, hashing });
      codes.forEach((c, i) => expect(nodeDigest(hashes[i]!, c.replace(/-/g, ''), 'pepper' in hashing ? hashing.pepper : undefined)).toBe(hashes[i]!.hash));
    }
  });

  it('a record without salt (allowed by the type) verifies with an empty salt', () => {
    const code = 'ABCD-EFGH-JKMN';
    const record: StoredRecoveryCode = { v: 1, alg: 'hmac-sha256', hash: '' };
    record.hash = nodeDigest(record, 'ABCDEFGHJKMN');
    expect(verifyRecoveryCode([record], code)).toEqual({ ok: true, index: 0 });
  });

  it('a broken rng that repeats itself throws instead of looping', () => {
    expect(() => generateRecoveryCodes({ count: 2, rng: (n) => new Uint8Array(n) })).toThrow(MfaError);
  });
});
