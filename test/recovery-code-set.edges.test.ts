// The packed recovery-code set at its edges: which field each malformed set is blamed on (the name
// goes into INVALID_RECORD messages and never the value), the limits (1 to 1,000 codes, a pepper id
// of 1 to 64 characters), what packRecoveryCodes refuses and says, and what the used marks do.
import { describe, expect, it } from 'vitest';
import { markSetCodeUsed, packRecoveryCodes, recoveryCodeSetProblem, unpackRecoveryCodes, unusedInSet, type StoredRecoveryCodeSet } from '../src/recovery-code-set.js';
import type { StoredRecoveryCode } from '../src/recovery-codes.js';
import { thrownCodeAndMessage as thrown } from './support/rejection.js';

const SET = { v: 1, alg: 'hmac-sha256', salt: 's', hashes: ['a', 'b'], usedAt: [null, 5] };
const n = (count: number) => Array.from({ length: count }, (_, i) => `h${i}`);


describe('recoveryCodeSetProblem', () => {
  it.each<[string, unknown, string | null]>([
    ['no set', null, null],
    ['a valid set', SET, null],
    ['a number', 5, 'recoveryCodes'],
    ['a string', 'set', 'recoveryCodes'],
    ['an array', [SET], 'recoveryCodes'],
    ['undefined', undefined, 'recoveryCodes'],
    ['another version', { ...SET, v: 2 }, 'recoveryCodes.v'],
    ['no algorithm', { ...SET, alg: undefined }, 'recoveryCodes.alg'],
    ['a salt that is not text', { ...SET, salt: 1 }, 'recoveryCodes.salt'],
    ['no salt', { ...SET, salt: undefined }, null],
    ['params null', { ...SET, params: null }, 'recoveryCodes.params'],
    ['params text', { ...SET, params: 'c=1' }, 'recoveryCodes.params'],
    ['params an object', { ...SET, params: { c: 1 } }, null],
    ['peppered false', { ...SET, peppered: false }, 'recoveryCodes.peppered'],
    ['peppered true', { ...SET, peppered: true }, null],
    ['a pepper id without peppered', { ...SET, pepperId: 'k1' }, 'recoveryCodes.pepperId'],
    ['an empty pepper id', { ...SET, peppered: true, pepperId: '' }, 'recoveryCodes.pepperId'],
    ['a pepper id of 65 characters', { ...SET, peppered: true, pepperId: 'k'.repeat(65) }, 'recoveryCodes.pepperId'],
    ['a pepper id of 64 characters', { ...SET, peppered: true, pepperId: 'k'.repeat(64) }, null],
    ['a pepper id of 1 character', { ...SET, peppered: true, pepperId: 'k' }, null],
    ['a numeric pepper id', { ...SET, peppered: true, pepperId: 7 }, 'recoveryCodes.pepperId'],
    ['no hashes', { ...SET, hashes: [], usedAt: [] }, 'recoveryCodes.hashes'],
    ['hashes not an array', { ...SET, hashes: 'ab' }, 'recoveryCodes.hashes'],
    ['a hash that is not text', { ...SET, hashes: ['a', 2] }, 'recoveryCodes.hashes'],
    ['1,000 codes', { ...SET, hashes: n(1000), usedAt: n(1000).map(() => null) }, null],
    ['1,001 codes', { ...SET, hashes: n(1001), usedAt: n(1001).map(() => null) }, 'recoveryCodes.hashes'],
    ['usedAt not an array', { ...SET, usedAt: null }, 'recoveryCodes.usedAt'],
    ['usedAt shorter', { ...SET, usedAt: [null] }, 'recoveryCodes.usedAt'],
    ['usedAt longer', { ...SET, usedAt: [null, null, null] }, 'recoveryCodes.usedAt'],
    ['a fractional usedAt', { ...SET, usedAt: [null, 1.5] }, 'recoveryCodes.usedAt'],
    ['a text usedAt', { ...SET, usedAt: ['5', null] }, 'recoveryCodes.usedAt'],
    ['usedAt 0', { ...SET, usedAt: [0, null] }, null],
  ])('%s', (_, set, problem) => {
    expect(recoveryCodeSetProblem(set)).toBe(problem);
  });
});

describe('packRecoveryCodes: refusals and what it copies', () => {
  const code = (hash: string, extra: Partial<StoredRecoveryCode> = {}): StoredRecoveryCode => ({ v: 1, alg: 'hmac-sha256', salt: 's', hash, ...extra });

  it.each<[string, unknown, string, string]>([
    ['not an array', 'codes', 'INVALID_RECORD', 'stored recovery codes must be an array'],
    ['a first record that is not an object', [null], 'INVALID_RECORD', 'recovery code record 0 is not an object'],
    ['a first record that is text', ['x'], 'INVALID_RECORD', 'recovery code record 0 is not an object'],
    ['a later record that is null', [code('a'), null], 'INVALID_RECORD', 'recovery code record 1 is malformed or has another scheme than record 0'],
    ['another version', [code('a'), code('b', { v: 2 as 1 })], 'INVALID_RECORD', 'recovery code record 1 is malformed or has another scheme than record 0'],
    ['a hash that is not text', [code('a'), code(7 as unknown as string)], 'INVALID_RECORD', 'recovery code record 1 is malformed or has another scheme than record 0'],
    ['a fractional usedAt', [code('a'), code('b'), code('c', { usedAt: 1.5 })], 'INVALID_RECORD', 'recovery code record 2 is malformed or has another scheme than record 0'],
    ['another salt', [code('a'), code('b', { salt: 't' })], 'INVALID_RECORD', 'recovery code record 1 is malformed or has another scheme than record 0'],
    ['a bad first version', [code('a', { v: 3 as 1 })], 'INVALID_RECORD', 'recovery code record 0 is malformed or has another scheme than record 0'],
    ['a pepper id without the pepper flag', [code('a', { pepperId: 'k1' })], 'INVALID_RECORD', 'recovery code set is invalid: recoveryCodes.pepperId'],
  ])('%s', (_, records, code_, message) => {
    expect(thrown(() => packRecoveryCodes(records as StoredRecoveryCode[]))).toEqual({ code: code_, message });
  });

  it('copies the scheme once, the used marks per code, and the params as a copy', () => {
    const params = { c: 1000 };
    const records = [code('a', { alg: 'pbkdf2-sha256', params, peppered: true, pepperId: 'k1' }), code('b', { alg: 'pbkdf2-sha256', params: { c: 1000 }, peppered: true, pepperId: 'k1', usedAt: 0 })];
    const set = packRecoveryCodes(records)!;
    expect(set).toEqual({ v: 1, alg: 'pbkdf2-sha256', salt: 's', params: { c: 1000 }, peppered: true, pepperId: 'k1', hashes: ['a', 'b'], usedAt: [null, 0] });
    expect(set.params).not.toBe(params);
    const bare = packRecoveryCodes([{ v: 1, alg: 'hmac-sha256', hash: 'a' }])!;
    expect(bare).toEqual({ v: 1, alg: 'hmac-sha256', hashes: ['a'], usedAt: [null] });
    expect(Object.keys(bare)).toEqual(['v', 'alg', 'hashes', 'usedAt']);
  });
});

describe('unpackRecoveryCodes', () => {
  it('refuses a malformed set naming the field; null is no codes', () => {
    expect(thrown(() => unpackRecoveryCodes({ ...SET, usedAt: [null] } as StoredRecoveryCodeSet))).toEqual({
      code: 'INVALID_RECORD',
      message: 'recovery code set is invalid: recoveryCodes.usedAt',
    });
    expect(unpackRecoveryCodes(null)).toEqual([]);
  });

  it('writes the fields in the order generateRecoveryCodes does, each record with its own params', () => {
    const set: StoredRecoveryCodeSet = { v: 1, alg: 'scrypt', salt: 's', params: { N: 2, r: 1, p: 1 }, peppered: true, pepperId: 'k', hashes: ['a', 'b'], usedAt: [0, null] };
    const records = unpackRecoveryCodes(set);
    expect(records).toEqual([
      { v: 1, alg: 'scrypt', salt: 's', hash: 'a', usedAt: 0, params: { N: 2, r: 1, p: 1 }, peppered: true, pepperId: 'k' },
      { v: 1, alg: 'scrypt', salt: 's', hash: 'b', params: { N: 2, r: 1, p: 1 }, peppered: true, pepperId: 'k' },
    ]);
    expect(Object.keys(records[0]!)).toEqual(['v', 'alg', 'salt', 'hash', 'usedAt', 'params', 'peppered', 'pepperId']);
    expect(records[0]!.params).not.toBe(set.params);
    expect(records[0]!.params).not.toBe(records[1]!.params);
    const noSalt = unpackRecoveryCodes({ v: 1, alg: 'hmac-sha256', hashes: ['a'], usedAt: [null] });
    expect(noSalt).toEqual([{ v: 1, alg: 'hmac-sha256', hash: 'a' }]);
    expect(Object.keys(noSalt[0]!)).toEqual(['v', 'alg', 'hash']);
  });
});

describe('markSetCodeUsed and unusedInSet', () => {
  it('marks one unused code, keeps a first mark, touches nothing else', () => {
    const set = SET as StoredRecoveryCodeSet;
    expect(markSetCodeUsed(set, 0, 9).usedAt).toEqual([9, 5]);
    expect(markSetCodeUsed(set, 1, 9).usedAt).toEqual([null, 5]);
    expect(markSetCodeUsed(set, 0, 0).usedAt).toEqual([0, 5]);
    expect(set.usedAt).toEqual([null, 5]);
    expect(unusedInSet(set)).toBe(1);
    expect(unusedInSet(markSetCodeUsed(set, 0, 9))).toBe(0);
    expect(unusedInSet({ ...set, usedAt: [null, null] })).toBe(2);
    expect(unusedInSet(null)).toBe(0);
  });
});
