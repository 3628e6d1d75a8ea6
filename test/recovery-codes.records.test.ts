// verifyRecoveryCode over stored records it did not make: every malformed record is refused with
// INVALID_RECORD naming the record and the field (never its value), the limits of what is read
// (1,000 records, 1,024-character hashes and salts, non-canonical spellings), and sets that mix
// schemes — each record is checked against the digest of its own scheme, never another's. Also the
// packed-set matcher the lifecycle uses (matchSetCode).
import { describe, expect, it } from 'vitest';
import { generateRecoveryCodes, pbkdf2Kdf, scryptKdf, seededRandom, verifyRecoveryCode, type StoredRecoveryCode } from '../src/index.js';
import { matchSetCode } from '../src/_internal/recovery-verify.js';
import { checkKdfParams } from '../src/_internal/recovery-hash.js';
import { normaliseCode } from '../src/_internal/crockford.js';
import { thrownCodeAndMessage as thrown } from './support/rejection.js';


const pepper = new Uint8Array(32).fill(3);
const fast = generateRecoveryCodes({ count: 2, rng: seededRandom('records') });
const [r0, r1] = fast.hashes as [StoredRecoveryCode, StoredRecoveryCode];
const pbkdf2 = generateRecoveryCodes({ count: 2, rng: seededRandom('kdf'), hashing: { kdf: pbkdf2Kdf, iterations: 1000 } });
const kdf = { hashing: { kdf: [pbkdf2Kdf, scryptKdf] } };
/** An rng whose first draw (the salt) is fixed and whose codes come from `seed`. */
function sameSalt(seed: string) {
  const codes = seededRandom(seed);
  let first = true;
  return (n: number) => (first ? ((first = false), new Uint8Array(n).fill(9)) : codes(n));
}
/** Flips the unused low bits of the last base64url character: same bytes, another spelling. */
const respelled = (text: string) => text.slice(0, -1) + String.fromCharCode(text.charCodeAt(text.length - 1) + 1);

describe('verifyRecoveryCode: malformed stored records', () => {
  it.each<[string, unknown, string, string]>([
    ['not an array', { 0: r0 }, 'INVALID_RECORD', 'stored recovery codes must be an array'],
    ['a record that is not an object', [r0, null], 'INVALID_RECORD', 'recovery code record 1 is not an object'],
    ['another version', [r0, { ...r1, v: 2 }], 'INVALID_RECORD', 'recovery code record 1 has an unsupported version'],
    ['an empty hash', [r0, { ...r1, hash: '' }], 'INVALID_RECORD', 'recovery code record 1 has a malformed hash'],
    ['a hash that is not base64url', [{ ...r0, hash: 'a+b' }], 'INVALID_RECORD', 'recovery code record 0 has a malformed hash'],
    ['a numeric hash', [{ ...r0, hash: 12 }], 'INVALID_RECORD', 'recovery code record 0 has a malformed hash'],
    ['a hash that is an array', [{ ...r0, hash: ['AAAA'] }], 'INVALID_RECORD', 'recovery code record 0 has a malformed hash'],
    ['a hash that is an object with a length', [{ ...r0, hash: { length: 4 } }], 'INVALID_RECORD', 'recovery code record 0 has a malformed hash'],
    ['a hash of 1,025 characters', [{ ...r0, hash: 'A'.repeat(1025) }], 'INVALID_RECORD', 'recovery code record 0 has a malformed hash'],
    ['a well-formed hash of 1,028 characters', [{ ...r0, hash: 'A'.repeat(1028) }], 'INVALID_RECORD', 'recovery code record 0 has a malformed hash'],
    ['a text usedAt', [r0, { ...r1, usedAt: '5' }], 'INVALID_RECORD', 'recovery code record 1 has a malformed usedAt'],
    ['a NaN usedAt', [r0, { ...r1, usedAt: Number.NaN }], 'INVALID_RECORD', 'recovery code record 1 has a malformed usedAt'],
    ['an unknown algorithm', [{ ...r0, alg: 'md5' }], 'UNSUPPORTED_ALGORITHM', 'recovery code record 0 names an unsupported algorithm'],
    ['no algorithm', [{ ...r0, alg: undefined }], 'UNSUPPORTED_ALGORITHM', 'recovery code record 0 names an unsupported algorithm'],
    ['a salt that is not base64url', [{ ...r0, salt: '$$' }], 'INVALID_RECORD', 'recovery code record 0 has a malformed salt'],
    ['a peppered flag that is not true', [{ ...r0, peppered: 'yes' }], 'INVALID_RECORD', 'recovery code record 0 has a malformed peppered flag'],
    ['a pepper id without the pepper flag', [{ ...r0, pepperId: 'k1' }], 'INVALID_RECORD', 'recovery code record 0 has a malformed pepperId'],
    ['a numeric pepper id', [{ ...r0, peppered: true, pepperId: 7 }], 'INVALID_RECORD', 'recovery code record 0 has a malformed pepperId'],
    ['cost parameters on HMAC', [{ ...r0, params: { c: 1000 } }], 'INVALID_RECORD', 'recovery code record 0 has invalid cost parameters'],
    ['PBKDF2 iterations under the floor', [{ ...pbkdf2.hashes[0], params: { c: 10 } }], 'INVALID_RECORD', 'recovery code record 0 has invalid cost parameters'],
    ['PBKDF2 without parameters', [{ ...pbkdf2.hashes[0], params: undefined }], 'INVALID_RECORD', 'recovery code record 0 has invalid cost parameters'],
    ['a later record with null parameters', [pbkdf2.hashes[0], { ...pbkdf2.hashes[1], params: null }], 'INVALID_RECORD', 'recovery code record 1 has invalid cost parameters'],
    ['a later record with another, malformed pepper id', [{ ...r0, peppered: true, pepperId: 'a' }, { ...r1, peppered: true, pepperId: 7 }], 'INVALID_RECORD', 'recovery code record 1 has a malformed pepperId'],
    ['1,001 records', Array.from({ length: 1001 }, () => r0), 'INVALID_RECORD', 'a recovery code set holds at most 1000 records'],
    ['a peppered set without the pepper', [{ ...r0, peppered: true }], 'INVALID_OPTION', 'these recovery codes were hashed with a pepper; pass hashing.pepper'],
  ])('%s', (_, stored, code, message) => {
    // The pepper is passed except to show that a peppered set needs it.
    const options = code === 'INVALID_OPTION' ? kdf : { hashing: { ...kdf.hashing, pepper } };
    expect(thrown(() => verifyRecoveryCode(stored as StoredRecoveryCode[], fast.codes[0], options))).toEqual({ code, message });
  });

  it('a set hashed with a KDF the caller did not pass names the KDF to pass', () => {
    expect(thrown(() => verifyRecoveryCode(pbkdf2.hashes, pbkdf2.codes[0]))).toEqual({
      code: 'INVALID_OPTION',
      message: "recovery codes hashed with pbkdf2-sha256 need hashing.kdf: pbkdf2Kdf (import { pbkdf2Kdf } from 'mfakit')",
    });
  });
});

describe('verifyRecoveryCode: what is read', () => {
  it('1,000 records; a 1,024-character hash never matches but is no error', () => {
    expect(verifyRecoveryCode(Array.from({ length: 1000 }, () => r1).concat([]), fast.codes[0])).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyRecoveryCode([{ ...r1, hash: 'A'.repeat(1024) }, r0], fast.codes[0])).toEqual({ ok: true, index: 1 });
  });

  it('non-canonical spellings: a salt still decodes to the same bytes; a hash never matches', () => {
    const salted = fast.hashes.map((r) => ({ ...r, salt: respelled(r.salt!) }));
    expect(verifyRecoveryCode(salted, fast.codes[1])).toEqual({ ok: true, index: 1 });
    expect(verifyRecoveryCode([{ ...r0, hash: respelled(r0.hash) }, r1], fast.codes[0])).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('verifyRecoveryCode: sets that mix schemes', () => {
  it('a record whose hash copies another scheme\'s digest is not selected by that scheme', () => {
    // Record 1 has another salt but record 0's hash: only record 0's scheme derives that digest.
    const other = generateRecoveryCodes({ count: 1, rng: seededRandom('other') }).hashes[0]!;
    expect(verifyRecoveryCode([r0, { ...other, hash: r0.hash }], fast.codes[0])).toEqual({ ok: true, index: 0 });
  });

  it('same salt, different PBKDF2 iterations: each code matches under its own cost', () => {
    const a = generateRecoveryCodes({ count: 1, rng: sameSalt('a'), hashing: { kdf: pbkdf2Kdf, iterations: 1000 } });
    const b = generateRecoveryCodes({ count: 1, rng: sameSalt('b'), hashing: { kdf: pbkdf2Kdf, iterations: 1001 } });
    expect(b.hashes[0]!.salt).toBe(a.hashes[0]!.salt);
    const stored = [...a.hashes, ...b.hashes];
    expect(verifyRecoveryCode(stored, a.codes[0], kdf)).toEqual({ ok: true, index: 0 });
    expect(verifyRecoveryCode(stored, b.codes[0], kdf)).toEqual({ ok: true, index: 1 });
  });

  it.each([
    ['N', { N: 2048, r: 1, p: 1 }],
    ['r', { N: 1024, r: 2, p: 1 }],
    ['p', { N: 1024, r: 1, p: 2 }],
  ])('same salt, scrypt %s differs: each code matches under its own cost', (_, costs) => {
    const a = generateRecoveryCodes({ count: 1, rng: sameSalt('a'), hashing: { kdf: scryptKdf, scrypt: { N: 1024, r: 1, p: 1 } } });
    const b = generateRecoveryCodes({ count: 1, rng: sameSalt('b'), hashing: { kdf: scryptKdf, scrypt: costs } });
    expect(b.hashes[0]!.salt).toBe(a.hashes[0]!.salt);
    const stored = [...a.hashes, ...b.hashes];
    expect(verifyRecoveryCode(stored, a.codes[0], kdf)).toEqual({ ok: true, index: 0 });
    expect(verifyRecoveryCode(stored, b.codes[0], kdf)).toEqual({ ok: true, index: 1 });
  });
});

describe('checkKdfParams messages', () => {
  it('names what is wrong', () => {
    expect(thrown(() => checkKdfParams('hmac-sha256', { c: 1 }, 'INVALID_RECORD', []))).toEqual({ code: 'INVALID_RECORD', message: 'hmac-sha256 takes no cost parameters' });
    expect(thrown(() => checkKdfParams('pbkdf2-sha256', undefined, 'INVALID_OPTION', [pbkdf2Kdf]))).toEqual({ code: 'INVALID_OPTION', message: 'pbkdf2-sha256 needs cost parameters' });
    expect(thrown(() => checkKdfParams('scrypt', null as never, 'INVALID_RECORD', [scryptKdf]))).toEqual({ code: 'INVALID_RECORD', message: 'scrypt needs cost parameters' });
    expect(() => checkKdfParams('pbkdf2-sha256', { c: 1000 }, 'INVALID_OPTION', [pbkdf2Kdf])).not.toThrow();
  });
});

describe('matchSetCode (the packed set of the lifecycle record)', () => {
  const set = { v: 1 as const, alg: r0.alg, salt: r0.salt!, hashes: [r0.hash, r1.hash], usedAt: [null, 5] };
  const code = (i: number) => normaliseCode(fast.codes[i]);

  it('answers the index of an unused code, used for a used one, mismatch and format', () => {
    expect(matchSetCode(set, code(0), undefined, [])).toEqual({ ok: true, index: 0 });
    expect(matchSetCode(set, code(1), undefined, [])).toEqual({ ok: false, reason: 'used' });
    expect(matchSetCode(set, normaliseCode('0000-0000-0000'), undefined, [])).toEqual({ ok: false, reason: 'mismatch' });
    expect(matchSetCode(set, undefined, undefined, [])).toEqual({ ok: false, reason: 'format' });
  });

  it('refuses a malformed hash naming its index, and a peppered set without the pepper, before reading the code', () => {
    expect(thrown(() => matchSetCode({ ...set, hashes: [r0.hash, ''] }, undefined, undefined, []))).toEqual({
      code: 'INVALID_RECORD',
      message: 'recovery code record 1 has a malformed hash',
    });
    expect(thrown(() => matchSetCode({ ...set, hashes: ['a+b', r1.hash] }, code(0), undefined, []))).toEqual({
      code: 'INVALID_RECORD',
      message: 'recovery code record 0 has a malformed hash',
    });
    expect(thrown(() => matchSetCode({ ...set, peppered: true }, undefined, undefined, []))).toEqual({
      code: 'INVALID_OPTION',
      message: 'these recovery codes were hashed with a pepper; pass hashing.pepper',
    });
    expect(thrown(() => matchSetCode({ ...set, pepperId: 'k' }, code(0), undefined, []))).toEqual({
      code: 'INVALID_RECORD',
      message: 'recovery code record 0 has a malformed pepperId',
    });
  });
});
