// The stored-digest SHA-256 and HMAC-SHA-256 agree with node:crypto on every length class: empty,
// around the padding edges (55, 56, 63, 64, 65 bytes), many blocks, and keys shorter than, equal to
// and longer than the 64-byte block.
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacSha256, sha256 } from '../../src/_internal/sha256.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const bytes = (n: number, seed = 1): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7) & 255);

describe('sha256 / hmacSha256', () => {
  it('FIPS 180-4 example: "abc"', () => {
    expect(hex(sha256(new TextEncoder().encode('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('matches node:crypto for every length from 0 to 200 bytes', () => {
    for (let n = 0; n <= 200; n++) {
      const data = bytes(n);
      expect(hex(sha256(data))).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });

  it('HMAC matches node:crypto for keys of 0 to 130 bytes', () => {
    for (let n = 0; n <= 130; n++) {
      const key = bytes(n, 3);
      const msg = bytes(n % 70, 5);
      expect(hex(hmacSha256(key, msg))).toBe(createHmac('sha256', key).update(msg).digest('hex'));
    }
  });

  it('random inputs (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 100 }), (key, msg) => {
        expect(hex(hmacSha256(key, msg))).toBe(createHmac('sha256', key).update(msg).digest('hex'));
        expect(hex(sha256(msg))).toBe(createHash('sha256').update(msg).digest('hex'));
      }),
      { numRuns: 300 },
    );
  });
});
