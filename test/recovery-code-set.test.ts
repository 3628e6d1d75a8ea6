import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  generateRecoveryCodes,
  markRecoveryCodeUsed,
  packRecoveryCodes,
  seededRandom,
  unpackRecoveryCodes,
  verifyRecoveryCode,
  type StoredRecoveryCode,
  type StoredRecoveryCodeSet,
  pbkdf2Kdf,
} from '../src/index.js';

const AT = Date.UTC(2026, 0, 1);
const pepper = new Uint8Array(32).fill(7);

describe('packRecoveryCodes / unpackRecoveryCodes', () => {
  it('one scheme written once: a set of ten is about half the JSON of the per-code records', () => {
    const { hashes } = generateRecoveryCodes({ rng: seededRandom('set') });
    const set = packRecoveryCodes(hashes)!;
    expect(set).toEqual({ v: 1, alg: 'hmac-sha256', salt: hashes[0]!.salt, hashes: hashes.map((h) => h.hash), usedAt: Array(10).fill(null) });
    expect(JSON.stringify(set).length).toBeLessThan(JSON.stringify(hashes).length * 0.55);
    expect(unpackRecoveryCodes(set)).toEqual(hashes);
  });

  it('keeps used marks, KDF parameters and the pepper flag; codes still verify after the round trip', () => {
    const { codes, hashes } = generateRecoveryCodes({
      count: 4,
      rng: seededRandom('kdf'),
      hashing: { algorithm: 'pbkdf2-sha256', iterations: 1000, pepper, kdf: pbkdf2Kdf },
    });
    const used = markRecoveryCodeUsed(hashes, 2, AT);
    const set = packRecoveryCodes(used)!;
    expect(set).toMatchObject({ alg: 'pbkdf2-sha256', params: { c: 1000 }, peppered: true, usedAt: [null, null, AT, null] });
    const back = unpackRecoveryCodes(set);
    expect(back).toEqual(used);
    expect(verifyRecoveryCode(back, codes[1], { hashing: { pepper, kdf: pbkdf2Kdf } })).toEqual({ ok: true, index: 1 });
    expect(verifyRecoveryCode(back, codes[2], { hashing: { pepper, kdf: pbkdf2Kdf } })).toEqual({ ok: false, reason: 'used' });
  });

  it('no codes is null, both ways', () => {
    expect(packRecoveryCodes([])).toBeNull();
    expect(unpackRecoveryCodes(null)).toEqual([]);
  });

  it('round-trips any set with any codes used (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 1, max: 30 }), fc.array(fc.nat({ max: 29 })), (seed, count, marks) => {
        let { hashes } = generateRecoveryCodes({ count, rng: seededRandom(seed) });
        for (const i of marks) if (i < count) hashes = markRecoveryCodeUsed(hashes, i, AT + i);
        const set = packRecoveryCodes(hashes)!;
        expect(set.hashes).toHaveLength(count);
        expect(unpackRecoveryCodes(set)).toEqual(hashes);
      }),
      { numRuns: 50 },
    );
  });

  it('the unpacked records are fresh objects: changing them leaves the set alone', () => {
    const set = packRecoveryCodes(generateRecoveryCodes({ count: 2, rng: seededRandom('fresh') }).hashes)!;
    const copy = JSON.stringify(set);
    const records = unpackRecoveryCodes(set);
    records[0]!.usedAt = 1;
    expect(JSON.stringify(set)).toBe(copy);
  });

  const { hashes: good } = generateRecoveryCodes({ count: 3, rng: seededRandom('bad') });
  it.each<[string, unknown]>([
    ['not an array', { length: 1 }],
    ['a null record', [null]],
    ['another salt in record 1', [good[0], { ...good[1], salt: 'AAAAAAAAAAAAAAAAAAAAAA' }]],
    ['another algorithm in record 2', [good[0], good[1], { ...good[2], alg: 'scrypt' }]],
    ['a pepper flag on one record only', [good[0], { ...good[1], peppered: true }]],
    ['params on one record only', [good[0], { ...good[1], params: { c: 1000 } }]],
    ['version 2', [{ ...good[0], v: 2 }]],
    ['a numeric hash', [{ ...good[0], hash: 5 }]],
    ['a fractional usedAt', [{ ...good[0], usedAt: 1.5 }]],
  ])('pack refuses %s: INVALID_RECORD', (_name, records) => {
    expect(() => packRecoveryCodes(records as StoredRecoveryCode[])).toThrow(expect.objectContaining({ code: 'INVALID_RECORD' }));
  });

  const set = packRecoveryCodes(good)!;
  it.each<[string, unknown]>([
    ['an array', [set]],
    ['version 2', { ...set, v: 2 }],
    ['no hashes', { ...set, hashes: [], usedAt: [] }],
    ['a hash that is not a string', { ...set, hashes: [1, 2, 3] }],
    ['usedAt of another length', { ...set, usedAt: [null] }],
    ['usedAt that is a date string', { ...set, usedAt: [null, '2026-01-01', null] }],
    ['a salt that is a number', { ...set, salt: 1 }],
    ['peppered "yes"', { ...set, peppered: 'yes' }],
  ])('unpack refuses a set that is %s: INVALID_RECORD, never quoting it', (_name, bad) => {
    let error: unknown;
    try {
      unpackRecoveryCodes(bad as StoredRecoveryCodeSet);
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'INVALID_RECORD' });
    expect((error as Error).message).not.toContain(set.hashes[0]);
    expect((error as Error).message).not.toContain(set.salt);
  });
});
