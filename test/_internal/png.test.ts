// The PNG encoder behind mfakit/qr: its zlib stream must inflate with a real zlib, its CRCs and
// Adler-32 must match the reference implementations.
import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { adler32, deflateRaw, zlibDeflate } from '../../src/_internal/deflate.js';
import { crc32, encodeBilevelPng } from '../../src/_internal/png.js';

describe('zlibDeflate', () => {
  const repetitive = fc
    .tuple(fc.integer({ min: 1, max: 300 }), fc.array(fc.tuple(fc.nat(3), fc.nat(255)), { maxLength: 2000 }))
    .map(([stride, ops]) => {
      const out: number[] = [];
      for (const [op, byte] of ops) {
        // literal, run of the previous byte, copy from one stride back
        if (op === 0 || out.length === 0) out.push(byte);
        else if (op === 1) for (let i = 0; i < byte % 40; i++) out.push(out[out.length - 1]!);
        else if (out.length >= stride) for (let i = 0; i < byte; i++) out.push(out[out.length - stride]!);
      }
      return { data: Uint8Array.from(out), stride };
    });

  it('inflates back to the input with node:zlib (fast-check, random and repetitive data)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 3000 }).map((data) => ({ data, stride: 7 })), repetitive), ({ data, stride }) => {
        expect(new Uint8Array(inflateSync(zlibDeflate(data, [1, stride])))).toEqual(data);
      }),
      { numRuns: 300 },
    );
  });

  it('handles the edges: empty input, every literal, maximum-length matches', () => {
    for (const data of [new Uint8Array(0), Uint8Array.from({ length: 256 }, (_, i) => i), new Uint8Array(100_000).fill(0xff)]) {
      expect(inflateSync(zlibDeflate(data)).equals(data)).toBe(true);
    }
    expect(deflateRaw(new Uint8Array(100_000)).length).toBeLessThan(700); // 388 matches of 13 bits
  });

  it('Adler-32 matches RFC 1950 on a known value and across the 5552-byte chunking', () => {
    expect(adler32(new TextEncoder().encode('Wikipedia'))).toBe(0x11e60398);
    const big = new Uint8Array(20_000).fill(0xff);
    const stream = zlibDeflate(big);
    expect(new DataView(stream.buffer).getUint32(stream.length - 4)).toBe(adler32(big));
    expect(() => inflateSync(stream)).not.toThrow();
  });
});

describe('png', () => {
  it('CRC-32 matches node:zlib', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), (b) => {
        expect(crc32(b)).toBe(zlibCrc32(b));
      }),
    );
  });

  it('encodes odd widths with the pixels where they belong', () => {
    const png = encodeBilevelPng({ width: 11, height: 3, pixel: (x, y) => x === y * 5, foreground: [1, 2, 3], background: [4, 5, 6] });
    const idat = png.subarray(8 + 25 + 18 + 8); // signature, IHDR (12+13), PLTE (12+6), IDAT header
    const raw = new Uint8Array(inflateSync(idat.subarray(0, new DataView(png.buffer).getUint32(8 + 25 + 18))));
    // rows: filter byte + 2 bytes for 11 pixels
    expect([...raw]).toEqual([0, 0x80, 0x00, 0, 0x04, 0x00, 0, 0x00, 0x20]);
    expect([...png.subarray(8 + 25 + 8, 8 + 25 + 14)]).toEqual([4, 5, 6, 1, 2, 3]); // PLTE: background, foreground
  });
});
