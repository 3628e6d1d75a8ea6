import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import {
  generateRecoveryCodes,
  isRecoveryCodeSetLow,
  markRecoveryCodeUsed,
  remainingRecoveryCodes,
  verifyRecoveryCode,
  type StoredRecoveryCode,
} from '../src/recovery-codes.js';
import { MfaError } from '../src/errors.js';
import { pbkdf2Kdf, scryptKdf } from '../src/recovery-kdfs.js';
import type { RandomSource } from '../src/random.js';

/** Deterministic RandomSource: xorshift32 from a seed. */
function seededRng(seed: number): RandomSource {
  let x = seed >>> 0 || 1;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13; x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5; x >>>= 0;
      out[i] = x & 0xff;
    }
    return out;
  };
}

const CROCKFORD = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
const PEPPER = new Uint8Array(32).fill(7);
const FAST_PBKDF2 = { algorithm: 'pbkdf2-sha256', iterations: 1000, kdf: pbkdf2Kdf } as const;
const FAST_SCRYPT = { algorithm: 'scrypt', scrypt: { N: 1024, r: 1, p: 1 }, kdf: scryptKdf } as const;

function expectMfaError(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MfaError);
    expect((err as MfaError).code).toBe(code);
    return;
  }
  throw new Error('expected an MfaError');
}

describe('generateRecoveryCodes', () => {
  it('defaults: 10 grouped Crockford codes of 12 characters (60 bits), one record each', () => {
    const { codes, hashes } = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(hashes).toHaveLength(10);
    for (const c of codes) expect(c).toMatch(CROCKFORD);
    expect(new Set(codes).size).toBe(10);
    const salt = hashes[0]!.salt;
    for (const h of hashes) {
      expect(h).toEqual({ v: 1, alg: 'hmac-sha256', salt, hash: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    }
    expect(salt).toMatch(/^[A-Za-z0-9_-]{22}$/); // 16 bytes
  });

  it('count 8 (seed 003) is one option away', () => {
    expect(generateRecoveryCodes({ count: 8 }).codes).toHaveLength(8);
  });

  it('is deterministic for a given rng and never stores the code', () => {
    const a = generateRecoveryCodes({ rng: seededRng(42) });
    const b = generateRecoveryCodes({ rng: seededRng(42) });
    expect(a).toEqual(b);
    const json = JSON.stringify(a.hashes);
    for (const c of a.codes) {
      expect(json).not.toContain(c);
      expect(json).not.toContain(c.replace(/-/g, ''));
    }
    expect(JSON.parse(json)).toEqual(a.hashes);
  });

  it('honours length, alphabet and groupSize', () => {
    const { codes } = generateRecoveryCodes({ length: 20, alphabet: '0123456789', groupSize: 5, rng: seededRng(1) });
    for (const c of codes) expect(c).toMatch(/^\d{5}-\d{5}-\d{5}-\d{5}$/);
    const flat = generateRecoveryCodes({ groupSize: 0 }).codes;
    for (const c of flat) expect(c).toMatch(/^[0-9A-Z]{12}$/);
    const uneven = generateRecoveryCodes({ length: 13, groupSize: 4 }).codes;
    for (const c of uneven) expect(c).toMatch(/^\w{4}-\w{4}-\w{4}-\w$/);
  });

  it('draws every alphabet symbol without modulo bias (10-symbol alphabet, rejection sampling)', () => {
    const counts = new Map<string, number>();
    const { codes } = generateRecoveryCodes({ count: 100, length: 30, alphabet: '0123456789', groupSize: 0, rng: seededRng(9) });
    for (const c of codes) for (const ch of c) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(10);
    for (const n of counts.values()) expect(Math.abs(n - 300)).toBeLessThan(75); // 3000 draws, ±4.5σ
  });

  it('refuses codes under 60 bits with the fast hash, accepts them with a KDF down to 24 bits', () => {
    expectMfaError(() => generateRecoveryCodes({ length: 11 }), 'INVALID_OPTION'); // 55 bits
    expectMfaError(() => generateRecoveryCodes({ length: 10, alphabet: '0123456789' }), 'INVALID_OPTION');
    const { codes, hashes } = generateRecoveryCodes({ length: 8, alphabet: '0123456789', hashing: FAST_PBKDF2 });
    expect(codes[0]).toMatch(/^\d{4}-\d{4}$/);
    expect(verifyRecoveryCode(hashes, codes[0]!, { hashing: FAST_PBKDF2 })).toEqual({ ok: true, index: 0 });
    expectMfaError(() => generateRecoveryCodes({ length: 7, alphabet: '0123456789', hashing: FAST_PBKDF2 }), 'INVALID_OPTION');
  });

  const badOptions: Array<[string, unknown, string]> = [
    ['count 0', { count: 0 }, 'INVALID_OPTION'],
    ['count 101', { count: 101 }, 'INVALID_OPTION'],
    ['count 2.5', { count: 2.5 }, 'INVALID_OPTION'],
    ['count "10"', { count: '10' }, 'INVALID_OPTION'],
    ['length 0', { length: 0 }, 'INVALID_OPTION'],
    ['length 65', { length: 65 }, 'INVALID_OPTION'],
    ['groupSize -1', { groupSize: -1 }, 'INVALID_OPTION'],
    ['alphabet with O', { alphabet: '0123456789ABCDEFGHJKMNOPQRSTVWXYZ' }, 'INVALID_OPTION'],
    ['alphabet lowercase', { alphabet: 'abcdefghjkmnpqrstvwxyz0123456789' }, 'INVALID_OPTION'],
    ['alphabet duplicate', { alphabet: '0123456789AA', length: 40 }, 'INVALID_OPTION'],
    ['alphabet of one', { alphabet: 'A' }, 'INVALID_OPTION'],
    ['alphabet with hyphen', { alphabet: '0123456789-' }, 'INVALID_OPTION'],
    ['alphabet not a string', { alphabet: 42 }, 'INVALID_OPTION'],
    ['rng not a function', { rng: 'x' }, 'INVALID_OPTION'],
    ['rng short', { rng: () => new Uint8Array(1) }, 'INVALID_OPTION'],
    ['rng not bytes', { rng: (n: number) => new Array(n).fill(0) }, 'INVALID_OPTION'],
    ['unknown algorithm', { hashing: { algorithm: 'md5' } }, 'UNSUPPORTED_ALGORITHM'],
    ['short pepper', { hashing: { pepper: new Uint8Array(8) } }, 'INVALID_OPTION'],
    ['pepper string', { hashing: { pepper: 'secret' } }, 'INVALID_OPTION'],
    ['pbkdf2 iterations 10', { hashing: { kdf: pbkdf2Kdf, iterations: 10 } }, 'INVALID_OPTION'],
    ['scrypt N not power of two', { hashing: { kdf: scryptKdf, scrypt: { N: 1000 } } }, 'INVALID_OPTION'],
    ['scrypt N too big', { hashing: { kdf: scryptKdf, scrypt: { N: 2 ** 21 } } }, 'INVALID_OPTION'],
    ['scrypt r too big', { hashing: { kdf: scryptKdf, scrypt: { N: 1024, r: 33 } } }, 'INVALID_OPTION'],
    ['scrypt over 1 GiB', { hashing: { kdf: scryptKdf, scrypt: { N: 2 ** 20, r: 16, p: 1 } } }, 'INVALID_OPTION'],
    ['pbkdf2 without its KDF', { hashing: { algorithm: 'pbkdf2-sha256' } }, 'INVALID_OPTION'],
    ['hashing not an object', { hashing: 3 }, 'INVALID_OPTION'],
    ['options not an object', 'x', 'INVALID_OPTION'],
  ];
  it.each(badOptions)('throws for %s', (_name, options, code) => {
    expectMfaError(() => generateRecoveryCodes(options as never), code);
  });
});

describe('verifyRecoveryCode', () => {
  const { codes, hashes } = generateRecoveryCodes({ rng: seededRng(7) });
  const code = codes[4]!; // e.g. 7K3Q-9XMD-2HFA

  it('accepts each code and returns its index', () => {
    codes.forEach((c, i) => expect(verifyRecoveryCode(hashes, c)).toEqual({ ok: true, index: i }));
  });

  it('normalises case, spaces, hyphens, dashes, full-width and Crockford confusables', () => {
    const raw = code.replace(/-/g, '');
    const confusable = raw.replace(/0/g, 'O').replace(/1/g, 'l');
    const variants = [
      raw,
      raw.toLowerCase(),
      ` ${code} `,
      code.replace(/-/g, ' '),
      code.replace(/-/g, '\u2013'),
      raw.replace(/(.{3})/g, '$1 '),
      code.replace(/./g, (ch) => (ch === '-' ? '-' : String.fromCharCode(ch.charCodeAt(0) + 0xfee0))), // full-width
      confusable,
      confusable.toLowerCase(),
      raw.replace(/1/g, 'I'),
      `\t${raw}\n`,
    ];
    for (const v of variants) expect(verifyRecoveryCode(hashes, v), JSON.stringify(v)).toEqual({ ok: true, index: 4 });
  });

  it('answers mismatch for a wrong code of the right shape, and for a code of another set', () => {
    expect(verifyRecoveryCode(hashes, '0000-0000-0000')).toEqual({ ok: false, reason: 'mismatch' });
    const other = generateRecoveryCodes({ rng: seededRng(8) });
    expect(verifyRecoveryCode(hashes, other.codes[0]!)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyRecoveryCode(hashes, code.slice(0, -1))).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyRecoveryCode([], code)).toEqual({ ok: false, reason: 'mismatch' });
  });

  const badInputs: Array<[string, unknown]> = [
    ['undefined', undefined],
    ['null', null],
    ['number', 123456789012],
    ['bigint', 10n],
    ['boolean', true],
    ['object', { code }],
    ['array', [code]],
    ['function', () => code],
    ['symbol', Symbol('x')],
    ['String object', new String(code)],
    ['empty string', ''],
    ['only separators', ' - - '],
    ['punctuation', `${code}!`],
    ['letter U', 'UUUU-UUUU-UUUU'],
    ['emoji', '🔑🔑🔑🔑'],
    ['lone surrogate', '\ud800ABC'],
    ['too long', 'A'.repeat(65)],
    ['huge', 'A'.repeat(1_000_000)],
  ];
  it.each(badInputs)('answers format and never throws for %s', (_name, input) => {
    expect(verifyRecoveryCode(hashes, input as string)).toEqual({ ok: false, reason: 'format' });
  });

  it('a used code answers used, other codes still work', () => {
    const first = verifyRecoveryCode(hashes, code);
    expect(first).toEqual({ ok: true, index: 4 });
    const after = markRecoveryCodeUsed(hashes, 4, 1_764_000_000_000);
    expect(verifyRecoveryCode(after, code)).toEqual({ ok: false, reason: 'used' });
    expect(verifyRecoveryCode(after, code.toLowerCase())).toEqual({ ok: false, reason: 'used' });
    expect(verifyRecoveryCode(after, codes[5]!)).toEqual({ ok: true, index: 5 });
  });

  it('regenerating replaces the set: every old code stops working', () => {
    const fresh = generateRecoveryCodes({ rng: seededRng(99) });
    for (const c of codes) expect(verifyRecoveryCode(fresh.hashes, c)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyRecoveryCode(fresh.hashes, fresh.codes[0]!)).toEqual({ ok: true, index: 0 });
  });

  it('verifies sets hashed with PBKDF2 and scrypt (alg read from the records)', () => {
    for (const hashing of [FAST_PBKDF2, FAST_SCRYPT]) {
      const set = generateRecoveryCodes({ count: 3, hashing });
      expect(set.hashes[0]!.alg).toBe(hashing.algorithm);
      expect(set.hashes[0]!.params).toBeDefined();
      expect(verifyRecoveryCode(set.hashes, set.codes[2]!, { hashing })).toEqual({ ok: true, index: 2 });
      expect(verifyRecoveryCode(set.hashes, codes[0]!, { hashing })).toEqual({ ok: false, reason: 'mismatch' });
    }
  });

  it('a KDF is reached only through hashing.kdf: without it, generate and verify say which one to pass', () => {
    const set = generateRecoveryCodes({ count: 2, hashing: { kdf: scryptKdf, scrypt: { N: 1024, r: 1, p: 1 } } });
    expect(set.hashes[0]!.alg).toBe('scrypt'); // the algorithm follows the kdf
    for (const fn of [
      () => generateRecoveryCodes({ count: 2, hashing: { algorithm: 'scrypt' } }),
      () => generateRecoveryCodes({ count: 2, hashing: { algorithm: 'scrypt', kdf: pbkdf2Kdf } }),
      () => verifyRecoveryCode(set.hashes, set.codes[0]!),
      () => verifyRecoveryCode(set.hashes, 'not a code'),
      () => verifyRecoveryCode(set.hashes, set.codes[0]!, { hashing: { kdf: pbkdf2Kdf } }),
    ]) {
      expect(fn).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringContaining('scryptKdf') }));
    }
    expect(verifyRecoveryCode(set.hashes, set.codes[0]!, { hashing: { kdf: [pbkdf2Kdf, scryptKdf] } })).toEqual({ ok: true, index: 0 });
    expectMfaError(() => verifyRecoveryCode(set.hashes, set.codes[0]!, { hashing: { kdf: {} as never } }), 'INVALID_OPTION');
  });

  it('peppered sets need the pepper: right pepper ok, wrong pepper mismatch, none throws', () => {
    for (const hashing of [{ pepper: PEPPER }, { ...FAST_PBKDF2, pepper: PEPPER }]) {
      const set = generateRecoveryCodes({ count: 2, hashing });
      expect(set.hashes[0]!.peppered).toBe(true);
      expect(verifyRecoveryCode(set.hashes, set.codes[1]!, { hashing })).toEqual({ ok: true, index: 1 });
      const wrong = new Uint8Array(32).fill(8);
      expect(verifyRecoveryCode(set.hashes, set.codes[1]!, { hashing: { ...hashing, pepper: wrong } })).toEqual({ ok: false, reason: 'mismatch' });
      const { pepper: _, ...noPepper } = hashing;
      expectMfaError(() => verifyRecoveryCode(set.hashes, set.codes[1]!, { hashing: noPepper }), 'INVALID_OPTION');
    }
  });

  it('an unpeppered set ignores a pepper (so a pepper can be introduced for new sets only)', () => {
    expect(verifyRecoveryCode(hashes, code, { hashing: { pepper: PEPPER } })).toEqual({ ok: true, index: 4 });
  });

  it('handles a mixed set (records from two schemes)', () => {
    const a = generateRecoveryCodes({ count: 2, rng: seededRng(3) });
    const b = generateRecoveryCodes({ count: 2, hashing: FAST_PBKDF2 });
    const mixed = [...a.hashes, ...b.hashes];
    expect(verifyRecoveryCode(mixed, a.codes[1]!, { hashing: FAST_PBKDF2 })).toEqual({ ok: true, index: 1 });
    expect(verifyRecoveryCode(mixed, b.codes[1]!, { hashing: FAST_PBKDF2 })).toEqual({ ok: true, index: 3 });
  });

  const good = hashes[0]!;
  const badRecords: Array<[string, unknown, string]> = [
    ['not an array', { length: 1 }, 'INVALID_RECORD'],
    ['null record', [null], 'INVALID_RECORD'],
    ['version 2', [{ ...good, v: 2 }], 'INVALID_RECORD'],
    ['unknown alg', [{ ...good, alg: 'md5' }], 'UNSUPPORTED_ALGORITHM'],
    ['hash not base64url', [{ ...good, hash: 'a+b/' }], 'INVALID_RECORD'],
    ['empty hash', [{ ...good, hash: '' }], 'INVALID_RECORD'],
    ['salt number', [{ ...good, salt: 5 }], 'INVALID_RECORD'],
    ['usedAt string', [{ ...good, usedAt: 'yesterday' }], 'INVALID_RECORD'],
    ['params on hmac', [{ ...good, params: { c: 1000 } }], 'INVALID_RECORD'],
    ['pbkdf2 without params', [{ ...good, alg: 'pbkdf2-sha256' }], 'INVALID_RECORD'],
    ['pbkdf2 absurd cost', [{ ...good, alg: 'pbkdf2-sha256', params: { c: 1e9 } }], 'INVALID_RECORD'],
    ['scrypt absurd memory', [{ ...good, alg: 'scrypt', params: { N: 2 ** 20, r: 32, p: 16 } }], 'INVALID_RECORD'],
    ['peppered "yes"', [{ ...good, peppered: 'yes' }], 'INVALID_RECORD'],
  ];
  it.each(badRecords)('throws for a malformed stored set: %s', (_name, stored, code) => {
    // Both KDFs passed: the cost bounds of a stored record come with its KDF.
    expectMfaError(() => verifyRecoveryCode(stored as StoredRecoveryCode[], codes[0]!, { hashing: { kdf: [pbkdf2Kdf, scryptKdf] } }), code);
  });

  it('a stored set hashed with a KDF the caller did not pass is INVALID_OPTION naming it, whatever its costs', () => {
    for (const params of [{ c: 1000 }, { c: 1e9 }]) {
      const stored = [{ ...good, alg: 'pbkdf2-sha256', params }] as StoredRecoveryCode[];
      expect(() => verifyRecoveryCode(stored, codes[0]!)).toThrow(/pbkdf2Kdf/);
      expectMfaError(() => verifyRecoveryCode(stored, codes[0]!), 'INVALID_OPTION');
    }
  });

  it('throws for a bad pepper option (configuration, not user input)', () => {
    expectMfaError(() => verifyRecoveryCode(hashes, code, { hashing: { pepper: new Uint8Array(3) } }), 'INVALID_OPTION');
  });

  it('never puts a code, salt or hash in an error message', () => {
    const bad = [{ ...good, v: 3 }];
    try {
      verifyRecoveryCode(bad as never, code);
    } catch (err) {
      const text = `${(err as Error).message} ${inspect(err)} ${JSON.stringify(err)}`;
      expect(text).not.toContain(good.hash);
      expect(text).not.toContain(good.salt!);
      expect(text).not.toContain(code.replace(/-/g, ''));
      return;
    }
    throw new Error('expected a throw');
  });
});

describe('markRecoveryCodeUsed / remainingRecoveryCodes / isRecoveryCodeSetLow', () => {
  const { hashes } = generateRecoveryCodes({ rng: seededRng(11) });

  it('is pure: new array, input untouched, code keeps its hash and gets usedAt', () => {
    const snapshot = structuredClone(hashes);
    const next = markRecoveryCodeUsed(hashes, 2, 1000);
    expect(hashes).toEqual(snapshot);
    expect(next).not.toBe(hashes);
    expect(next).toHaveLength(10);
    expect(next[2]).toEqual({ ...hashes[2], usedAt: 1000 });
    expect(next[3]).toBe(hashes[3]);
  });

  it('marking twice keeps the first usedAt', () => {
    const once = markRecoveryCodeUsed(hashes, 2, 1000);
    expect(markRecoveryCodeUsed(once, 2, 5000)[2]!.usedAt).toBe(1000);
  });

  it.each<[string, unknown, unknown]>([
    ['index -1', -1, 0],
    ['index 10', 10, 0],
    ['index 1.5', 1.5, 0],
    ['now NaN', 0, Number.NaN],
    ['now negative', 0, -1],
    ['now string', 0, '2026'],
  ])('throws INVALID_OPTION for %s', (_name, index, now) => {
    expectMfaError(() => markRecoveryCodeUsed(hashes, index as number, now as number), 'INVALID_OPTION');
  });

  it('counts remaining codes and signals a low set at 2 by default', () => {
    let set: StoredRecoveryCode[] = hashes;
    expect(remainingRecoveryCodes(set)).toBe(10);
    for (let i = 0; i < 7; i++) set = markRecoveryCodeUsed(set, i, 1000 + i);
    expect(remainingRecoveryCodes(set)).toBe(3);
    expect(isRecoveryCodeSetLow(set)).toBe(false);
    expect(isRecoveryCodeSetLow(set, 3)).toBe(true);
    set = markRecoveryCodeUsed(set, 7, 2000);
    expect(isRecoveryCodeSetLow(set)).toBe(true);
    expect(remainingRecoveryCodes([])).toBe(0);
    expect(isRecoveryCodeSetLow([])).toBe(true);
    expectMfaError(() => isRecoveryCodeSetLow(set, -1), 'INVALID_OPTION');
    expectMfaError(() => remainingRecoveryCodes('x' as never), 'INVALID_RECORD');
  });
});
