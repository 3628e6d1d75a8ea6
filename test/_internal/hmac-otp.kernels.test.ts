// The hash kernels (src/_internal/sha1.ts, sha2.ts, md.ts, hmac-otp.ts) against @noble/hashes on
// random inputs: plain hashes of every length class (one block, padding spilling into a second
// block, many blocks) and HMAC of an 8-byte counter with keys shorter than, equal to and longer
// than the block (64 bytes for SHA-1/SHA-256, 128 for SHA-512; longer keys are hashed first,
// RFC 2104 §2).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashBytes, hmacCounter } from '../../src/_internal/hmac-otp.js';
import { sha2Tables } from '../../src/_internal/sha2-constants.js';
import type { OtpAlgorithm } from '../../src/index.js';
import { hex, REFERENCE_HASH, referenceHmac } from '../support/otp-reference.js';

const ALGORITHMS: readonly OtpAlgorithm[] = ['SHA1', 'SHA256', 'SHA512'];
const BLOCK: Record<OtpAlgorithm, number> = { SHA1: 64, SHA256: 64, SHA512: 128 };
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

describe.each(ALGORITHMS)('%s kernel equals @noble/hashes', (algorithm) => {
  const block = BLOCK[algorithm];

  it('hashes every length around the block and padding edges', () => {
    for (let length = 0; length <= 2 * block + 1; length++) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 151 + length) & 0xff);
      expect(hex(hashBytes(algorithm, data)), `length ${length}`).toBe(hex(REFERENCE_HASH[algorithm](data)));
    }
  });

  it('hashes random data (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4 * block }), (data) => {
        expect(hex(hashBytes(algorithm, data))).toBe(hex(REFERENCE_HASH[algorithm](data)));
      }),
      { numRuns: 300 },
    );
  });

  it('HMACs a random counter under a random key, including keys longer than the block (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3 * block }), u64, (key, counter) => {
        const hi = Number(counter >> 32n);
        const lo = Number(counter & 0xffffffffn);
        expect(hex(hmacCounter(algorithm, key, hi, lo))).toBe(hex(referenceHmac(algorithm, key, counter)));
      }),
      { numRuns: 500 },
    );
  });

  it.each([0, 1, block - 1, block, block + 1, 2 * block, 1000])('HMAC with a %i-byte key', (length) => {
    const key = Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff);
    for (const counter of [0n, 1n, 0xffffffffn, 0x100000000n, (1n << 64n) - 1n]) {
      const hi = Number(counter >> 32n);
      const lo = Number(counter & 0xffffffffn);
      expect(hex(hmacCounter(algorithm, key, hi, lo))).toBe(hex(referenceHmac(algorithm, key, counter)));
    }
  });
});

describe('derived SHA-2 constants (FIPS 180-4 §4.2.2, §4.2.3, §5.3)', () => {
  // Spot checks against the printed tables; the hash comparisons above cover every word.
  const words = (at: number) => (sha2Tables()[at]! >>> 0).toString(16).padStart(8, '0');
  it('SHA-512 K[0] = 428a2f98d728ae22, K[79] = 6c44198c4a475817', () => {
    expect(words(0) + words(1)).toBe('428a2f98d728ae22');
    expect(words(158) + words(159)).toBe('6c44198c4a475817');
  });
  it('SHA-512 H(0)[0] = 6a09e667f3bcc908, SHA-256 H(0)[7] = 5be0cd19', () => {
    expect(words(160) + words(161)).toBe('6a09e667f3bcc908');
    expect(words(183)).toBe('5be0cd19');
  });
  it('SHA-256 K[63] = c67178f2 (the high half of SHA-512 K[63])', () => {
    expect(words(126)).toBe('c67178f2');
  });
});
