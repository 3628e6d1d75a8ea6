// generateRecoveryCodes, markRecoveryCodeUsed, remainingRecoveryCodes and isRecoveryCodeSetLow at
// their edges, with exact messages: every option refusal, the entropy floors (60 bits for the fast
// hash, 24 with a KDF), a broken rng (duplicates, wrong lengths), custom alphabets, the rejection
// sampling that keeps codes unbiased (which bytes are dropped, how many are asked for), and the
// normalisation limits of verifyRecoveryCode's input (256 characters raw, 64 canonical, O/I/L).
import { describe, expect, it } from 'vitest';
import {
  generateRecoveryCodes,
  isRecoveryCodeSetLow,
  markRecoveryCodeUsed,
  pbkdf2Kdf,
  remainingRecoveryCodes,
  scryptKdf,
  seededRandom,
  verifyRecoveryCode,
  type GenerateRecoveryCodesOptions,
  type StoredRecoveryCode,
} from '../src/index.js';
import { thrownCodeAndMessage as thrown } from './support/rejection.js';


/** An rng that answers each request from `next(length)` and records the lengths asked for. */
function scripted(next: (length: number, call: number) => Uint8Array) {
  const asked: number[] = [];
  const rng = (length: number) => {
    asked.push(length);
    return next(length, asked.length - 1);
  };
  return { rng, asked };
}

describe('generateRecoveryCodes: every refusal, exactly', () => {
  const kdf = { hashing: { kdf: pbkdf2Kdf, iterations: 1000 } };
  it.each<[string, unknown, string, string]>([
    ['options null', null, 'INVALID_OPTION', 'options must be an object'],
    ['options text', 'count=8', 'INVALID_OPTION', 'options must be an object'],
    ['count 0', { count: 0 }, 'INVALID_OPTION', 'count must be an integer from 1 to 100'],
    ['count 101', { count: 101 }, 'INVALID_OPTION', 'count must be an integer from 1 to 100'],
    ['length 0', { length: 0 }, 'INVALID_OPTION', 'length must be an integer from 1 to 64'],
    ['length 65', { length: 65 }, 'INVALID_OPTION', 'length must be an integer from 1 to 64'],
    ['groupSize -1', { groupSize: -1 }, 'INVALID_OPTION', 'groupSize must be an integer from 0 to 64'],
    ['an rng that is not a function', { rng: 7 }, 'INVALID_OPTION', 'rng must be a function'],
    ['hashing text', { hashing: 'hmac' }, 'INVALID_OPTION', 'hashing must be an object'],
    ['hashing null', { hashing: null }, 'INVALID_OPTION', 'hashing must be an object'],
    ['an unknown algorithm', { hashing: { algorithm: 'md5' } }, 'UNSUPPORTED_ALGORITHM', 'hashing algorithm must be hmac-sha256, pbkdf2-sha256 or scrypt'],
    ['a KDF that is not one', { hashing: { kdf: {} } }, 'INVALID_OPTION', 'hashing.kdf must be pbkdf2Kdf or scryptKdf (or a list of them)'],
    ['a KDF without problem()', { hashing: { kdf: { derive: () => new Uint8Array(32) } } }, 'INVALID_OPTION', 'hashing.kdf must be pbkdf2Kdf or scryptKdf (or a list of them)'],
    ['a KDF without derive()', { hashing: { kdf: { problem: () => null } } }, 'INVALID_OPTION', 'hashing.kdf must be pbkdf2Kdf or scryptKdf (or a list of them)'],
    ['a null KDF in a list', { hashing: { kdf: [pbkdf2Kdf, null] } }, 'INVALID_OPTION', 'hashing.kdf must be pbkdf2Kdf or scryptKdf (or a list of them)'],
    ['a KDF algorithm without its KDF', { hashing: { algorithm: 'scrypt' } }, 'INVALID_OPTION', "recovery codes hashed with scrypt need hashing.kdf: scryptKdf (import { scryptKdf } from 'mfakit')"],
    ['PBKDF2 without its KDF', { hashing: { algorithm: 'pbkdf2-sha256' } }, 'INVALID_OPTION', "recovery codes hashed with pbkdf2-sha256 need hashing.kdf: pbkdf2Kdf (import { pbkdf2Kdf } from 'mfakit')"],
    ['too few PBKDF2 iterations', { hashing: { kdf: pbkdf2Kdf, iterations: 999 } }, 'INVALID_OPTION', 'pbkdf2-sha256 iterations must be an integer from 1000 to 10000000'],
    ['55 bits with the fast hash', { length: 11 }, 'INVALID_OPTION', 'codes carry 55 bits; the fast hash needs at least 60 (lengthen them or choose a KDF)'],
    ['20 bits with a KDF', { length: 4, ...kdf }, 'INVALID_OPTION', 'codes carry 20 bits; at least 24 are required'],
    ['a short pepper', { hashing: { pepper: new Uint8Array(15) } }, 'INVALID_OPTION', 'pepper must be a Uint8Array of at least 16 bytes'],
    ['an alphabet of one character', { alphabet: '0', length: 64 }, 'INVALID_OPTION', 'alphabet must be a string of 2 to 32 characters'],
    ['an alphabet of 33 characters', { alphabet: '0123456789ABCDEFGHJKMNPQRSTVWXYZ0' }, 'INVALID_OPTION', 'alphabet must be a string of 2 to 32 characters'],
    ['an alphabet that is not text', { alphabet: 12 }, 'INVALID_OPTION', 'alphabet must be a string of 2 to 32 characters'],
    ['an alphabet with I', { alphabet: '0I' }, 'INVALID_OPTION', 'alphabet may only use Crockford base32 characters (digits, uppercase letters except I, L, O, U)'],
    ['an alphabet with L', { alphabet: '0L' }, 'INVALID_OPTION', 'alphabet may only use Crockford base32 characters (digits, uppercase letters except I, L, O, U)'],
    ['an alphabet with O', { alphabet: '0O' }, 'INVALID_OPTION', 'alphabet may only use Crockford base32 characters (digits, uppercase letters except I, L, O, U)'],
    ['an alphabet with U', { alphabet: '0U' }, 'INVALID_OPTION', 'alphabet may only use Crockford base32 characters (digits, uppercase letters except I, L, O, U)'],
    ['an alphabet with a lower-case letter', { alphabet: '0a' }, 'INVALID_OPTION', 'alphabet may only use Crockford base32 characters (digits, uppercase letters except I, L, O, U)'],
    ['an alphabet with a repeat', { alphabet: '0120' }, 'INVALID_OPTION', 'alphabet characters must be distinct'],
  ])('%s', (_, options, code, message) => {
    expect(thrown(() => generateRecoveryCodes(options as GenerateRecoveryCodesOptions))).toEqual({ code, message });
  });

  it('a salt that is not a Uint8Array of 16 bytes, or code bytes of another length, is an rng error', () => {
    const message = { code: 'INVALID_OPTION', message: 'rng must return a Uint8Array of the requested length' };
    expect(thrown(() => generateRecoveryCodes({ rng: (n) => new Uint8Array(n + 1) }))).toEqual(message);
    expect(thrown(() => generateRecoveryCodes({ rng: (n) => Array.from({ length: n }, () => 1) as unknown as Uint8Array }))).toEqual(message);
    // The salt is wrong, the code bytes are right.
    expect(thrown(() => generateRecoveryCodes({ rng: (n) => new Uint8Array(n === 16 ? 17 : n) }))).toEqual(message);
    expect(thrown(() => generateRecoveryCodes({ rng: (n) => (n === 16 ? (Array.from({ length: 16 }, () => 1) as unknown as Uint8Array) : new Uint8Array(n)) }))).toEqual(message);
    // The salt is right, the code bytes are not.
    expect(thrown(() => generateRecoveryCodes({ rng: (n) => new Uint8Array(n === 16 ? 16 : n - 1) }))).toEqual(message);
    expect(thrown(() => generateRecoveryCodes({ rng: (n) => (n === 16 ? new Uint8Array(16) : (Array.from({ length: n }, () => 1) as unknown as Uint8Array)) }))).toEqual(message);
  });
});

describe('generateRecoveryCodes: the limits that pass', () => {
  it('exactly 60 bits with the fast hash and 24 with a KDF; 64-character codes; 100 codes', () => {
    expect(generateRecoveryCodes({ length: 12, count: 1 }).codes[0]).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(generateRecoveryCodes({ length: 5, count: 1, hashing: { kdf: pbkdf2Kdf, iterations: 1000 } }).codes[0]).toHaveLength(5 + 1);
    const long = generateRecoveryCodes({ length: 64, count: 1, groupSize: 0 });
    expect(long.codes[0]).toHaveLength(64);
    expect(verifyRecoveryCode(long.hashes, long.codes[0])).toEqual({ ok: true, index: 0 });
    expect(generateRecoveryCodes({ count: 100 }).codes).toHaveLength(100);
  });

  it('scrypt takes its defaults for a cost not given', () => {
    const { hashes } = generateRecoveryCodes({ count: 1, hashing: { kdf: scryptKdf, scrypt: { N: 1024, r: 1 } } });
    expect(hashes[0]!.params).toEqual({ N: 1024, r: 1, p: 1 });
    const pbkdf2 = generateRecoveryCodes({ count: 1, hashing: { kdf: pbkdf2Kdf } });
    expect(pbkdf2.hashes[0]!.params).toEqual({ c: 100_000 });
  });

  it('codes and hashes are redacted from JSON', () => {
    const generated = generateRecoveryCodes({ count: 2 });
    expect(JSON.parse(JSON.stringify(generated))).toEqual({ codes: '[redacted]', hashes: '[redacted]' });
    expect(generated.codes).toHaveLength(2);
  });

  it('up to 16 duplicate draws are skipped; the 17th is an rng error', () => {
    // Default alphabet: one byte per character, 12 per code. Code 1 is all zeros, then `repeats`
    // draws repeat it, then a new code.
    const run = (repeats: number) =>
      generateRecoveryCodes({ count: 2, rng: scripted((n, call) => (call === 0 || call <= repeats + 1 ? new Uint8Array(n) : new Uint8Array(n).fill(1))).rng });
    expect(run(16).codes).toEqual(['0000-0000-0000', '1111-1111-1111']);
    expect(thrown(() => run(17))).toEqual({ code: 'INVALID_OPTION', message: 'rng keeps returning the same values' });
  });
});

describe('generateRecoveryCodes: unbiased sampling', () => {
  it('with 32 symbols every byte is used: one byte per character', () => {
    const { rng, asked } = scripted((n) => new Uint8Array(n).fill(33));
    expect(generateRecoveryCodes({ count: 1, rng }).codes).toEqual(['1111-1111-1111']);
    expect(asked).toEqual([16, 12]);
  });

  it('with 5 symbols bytes from 255 (256 mod 5 = 1) are dropped, and a quarter more bytes plus two are asked for', () => {
    // 26 characters of 5 symbols carry 60.4 bits. First draw: 26 + 7 + 2 bytes, of which 20 usable.
    const { rng, asked } = scripted((n, call) => {
      if (call === 1) return Uint8Array.from({ length: n }, (_, i) => (i < 20 ? 1 : 255));
      return new Uint8Array(n).fill(7); // 7 mod 5 = 2
    });
    const { codes } = generateRecoveryCodes({ count: 1, alphabet: '01234', length: 26, groupSize: 0, rng });
    expect(codes).toEqual(['1'.repeat(20) + '2'.repeat(6)]);
    expect(asked).toEqual([16, 35, 6 + 2 + 2]);
  });

  it('an alphabet of two characters and one of all 32 (given explicitly) both work', () => {
    const two = generateRecoveryCodes({ count: 1, alphabet: '01', length: 60, groupSize: 0 });
    expect(two.codes[0]).toMatch(/^[01]{60}$/);
    const all = generateRecoveryCodes({ count: 1, alphabet: '0123456789ABCDEFGHJKMNPQRSTVWXYZ', rng: seededRandom('a') });
    expect(all.codes).toEqual(generateRecoveryCodes({ count: 1, rng: seededRandom('a') }).codes);
  });
});

describe('verifyRecoveryCode: what input can be a code', () => {
  const { codes, hashes } = generateRecoveryCodes({ count: 1, alphabet: '01', length: 60, groupSize: 0, rng: seededRandom('io') });
  const code = codes[0]!;

  it('O reads as 0 and I or L as 1, in any case', () => {
    const spelled = code.replace(/0/g, (_, i: number) => (i % 2 ? 'O' : 'o')).replace(/1/g, (_, i: number) => ['I', 'i', 'L', 'l'][i % 4]!);
    expect(spelled).not.toBe(code);
    expect(verifyRecoveryCode(hashes, spelled)).toEqual({ ok: true, index: 0 });
  });

  it('raw input up to 256 characters is read (separators dropped), 257 is a format answer', () => {
    const padded = (total: number) => code + ' '.repeat(total - code.length);
    expect(verifyRecoveryCode(hashes, padded(256))).toEqual({ ok: true, index: 0 });
    expect(verifyRecoveryCode(hashes, padded(257))).toEqual({ ok: false, reason: 'format' });
    expect(verifyRecoveryCode(hashes, '')).toEqual({ ok: false, reason: 'format' });
    expect(verifyRecoveryCode(hashes, ' - ')).toEqual({ ok: false, reason: 'format' });
  });

  it('a canonical code of 64 characters is read, 65 is a format answer', () => {
    const long = generateRecoveryCodes({ count: 1, length: 64, groupSize: 0 });
    expect(verifyRecoveryCode(long.hashes, long.codes[0])).toEqual({ ok: true, index: 0 });
    expect(verifyRecoveryCode(long.hashes, `${long.codes[0]}0`)).toEqual({ ok: false, reason: 'format' });
  });

  it('options may be null (no hashing options)', () => {
    expect(verifyRecoveryCode(hashes, code, null as never)).toEqual({ ok: true, index: 0 });
  });
});

describe('markRecoveryCodeUsed, remainingRecoveryCodes, isRecoveryCodeSetLow', () => {
  const { hashes } = generateRecoveryCodes({ count: 3 });
  it.each<[string, () => unknown, string, string]>([
    ['marking in something that is not an array', () => markRecoveryCodeUsed('x' as never, 0, 1), 'INVALID_RECORD', 'stored recovery codes must be an array'],
    ['marking in an empty set', () => markRecoveryCodeUsed([], 0, 1), 'INVALID_OPTION', 'there is no recovery code to mark'],
    ['an index past the end', () => markRecoveryCodeUsed(hashes, 3, 1), 'INVALID_OPTION', 'index must be an integer from 0 to 2'],
    ['a negative now', () => markRecoveryCodeUsed(hashes, 0, -1), 'INVALID_OPTION', 'now must be a finite, non-negative number of milliseconds'],
    ['an infinite now', () => markRecoveryCodeUsed(hashes, 0, Infinity), 'INVALID_OPTION', 'now must be a finite, non-negative number of milliseconds'],
    ['a text now', () => markRecoveryCodeUsed(hashes, 0, '5' as never), 'INVALID_OPTION', 'now must be a finite, non-negative number of milliseconds'],
    ['counting in something that is not an array', () => remainingRecoveryCodes({} as never), 'INVALID_RECORD', 'stored recovery codes must be an array'],
    ['a negative threshold', () => isRecoveryCodeSetLow(hashes, -1), 'INVALID_OPTION', `threshold must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}`],
  ])('%s', (_, f, code, message) => {
    expect(thrown(f)).toEqual({ code, message });
  });

  it('now 0 is a time; a missing entry counts as unused', () => {
    expect(markRecoveryCodeUsed(hashes, 1, 0)[1]!.usedAt).toBe(0);
    expect(remainingRecoveryCodes([null, hashes[0]] as unknown as StoredRecoveryCode[])).toBe(2);
    expect(isRecoveryCodeSetLow(hashes, 3)).toBe(true);
    expect(isRecoveryCodeSetLow(hashes, 2)).toBe(false);
    expect(isRecoveryCodeSetLow(markRecoveryCodeUsed(hashes, 0, 1))).toBe(true);
  });
});
