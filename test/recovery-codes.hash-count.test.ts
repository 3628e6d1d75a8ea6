// Proof that verify does exactly ONE hash computation per attempt, however many codes are stored.
// The module that derives digests is spied on (`spy: true` keeps the real implementation and
// records the calls made through its exports), so production code carries no counter.
import { describe, expect, it, vi } from 'vitest';
import { generateRecoveryCodes, markRecoveryCodeUsed, verifyRecoveryCode } from '../src/recovery-codes.js';
import { deriveDigest } from '../src/_internal/recovery-hash.js';
import { pbkdf2Kdf } from '../src/recovery-kdfs.js';

vi.mock('../src/_internal/recovery-hash.js', { spy: true });

function hashesDuring(fn: () => unknown): number {
  const before = vi.mocked(deriveDigest).mock.calls.length;
  fn();
  return vi.mocked(deriveDigest).mock.calls.length - before;
}

describe('verifyRecoveryCode hashes once per attempt', () => {
  for (const count of [1, 20]) {
    describe(`with ${count} stored code(s)`, () => {
      const { codes, hashes } = generateRecoveryCodes({ count });

      it('right code (first and last position): one hash', () => {
        expect(hashesDuring(() => verifyRecoveryCode(hashes, codes[0]!))).toBe(1);
        expect(hashesDuring(() => verifyRecoveryCode(hashes, codes[count - 1]!))).toBe(1);
      });

      it('wrong code: one hash', () => {
        expect(hashesDuring(() => verifyRecoveryCode(hashes, 'ZZZZ-ZZZZ-ZZZZ'))).toBe(1);
      });

      it('used code: one hash', () => {
        const used = markRecoveryCodeUsed(hashes, count - 1, 1000);
        expect(hashesDuring(() => verifyRecoveryCode(used, codes[count - 1]!))).toBe(1);
      });

      it('with a KDF set: one KDF run', () => {
        const hashing = { kdf: pbkdf2Kdf, iterations: 1000 };
        const kdf = generateRecoveryCodes({ count, hashing });
        expect(hashesDuring(() => verifyRecoveryCode(kdf.hashes, kdf.codes[0]!, { hashing }))).toBe(1);
        expect(hashesDuring(() => verifyRecoveryCode(kdf.hashes, 'ZZZZ-ZZZZ-ZZZZ', { hashing }))).toBe(1);
      });
    });
  }

  it('malformed input costs no hash at all', () => {
    const { hashes } = generateRecoveryCodes();
    expect(hashesDuring(() => verifyRecoveryCode(hashes, 42 as never))).toBe(0);
    expect(hashesDuring(() => verifyRecoveryCode(hashes, '!!!'))).toBe(0);
  });

  it('generation hashes once per code', () => {
    expect(hashesDuring(() => generateRecoveryCodes({ count: 8 }))).toBe(8);
  });
});
