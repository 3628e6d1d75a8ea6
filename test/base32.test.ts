// RFC 4648 base32: the §10 test vectors, tolerant decoding of what people type, strict decoding
// of canonical text, and round trips (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase32, encodeBase32, MfaError } from '../src/index.js';

const ascii = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** RFC 4648 §10, BASE32 test vectors (with their padding). */
const RFC4648_SECTION_10: ReadonlyArray<[plain: string, padded: string]> = [
  ['', ''],
  ['f', 'MY======'],
  ['fo', 'MZXQ===='],
  ['foo', 'MZXW6==='],
  ['foob', 'MZXW6YQ='],
  ['fooba', 'MZXW6YTB'],
  ['foobar', 'MZXW6YTBOI======'],
];

describe('RFC 4648 §10 vectors', () => {
  it.each(RFC4648_SECTION_10)('%j ↔ %j', (plain, padded) => {
    const unpadded = padded.replace(/=+$/, '');
    expect(encodeBase32(ascii(plain))).toBe(unpadded);
    expect(text(decodeBase32(padded))).toBe(plain);
    expect(text(decodeBase32(unpadded))).toBe(plain);
    expect(text(decodeBase32(padded, { strict: true }))).toBe(plain);
    expect(text(decodeBase32(unpadded, { strict: true }))).toBe(plain);
  });
});

describe('tolerant decoding (default)', () => {
  const key = 'JBSWY3DPEHPK3PXP';
  const bytes = decodeBase32(key, { strict: true });
  it.each([
    ['lower case', key.toLowerCase()],
    ['mixed case', 'jBsWy3DpEhPk3PxP'],
    ['groups of four with spaces', 'JBSW Y3DP EHPK 3PXP'],
    ['groups with hyphens', 'JBSW-Y3DP-EHPK-3PXP'],
    ['surrounding whitespace and newlines', '\n  JBSWY3DP\nEHPK3PXP \t'],
    ['extra padding', `${key}========`],
    ['partial padding', 'MZXW6YQ'.concat('==')],
  ])('%s', (_, input) => {
    const expected = input.startsWith('MZXW6YQ') ? ascii('foob') : bytes;
    expect(decodeBase32(input)).toEqual(expected);
  });

  it('returns a tight Uint8Array (no spare bytes in its buffer)', () => {
    const out = decodeBase32('JBSW Y3DP EHPK 3PXP');
    expect(out.byteLength).toBe(10);
    expect(out.buffer.byteLength).toBe(10);
  });
});

describe('strict decoding', () => {
  it.each([
    ['lower case', 'jbswy3dpehpk3pxp'],
    ['spaces', 'JBSW Y3DP EHPK 3PXP'],
    ['hyphens', 'JBSW-Y3DP'],
    ['too much padding', 'MZXW6YQ=='],
    ['too little padding', 'MZXW6=='],
    ['padding after a full group', 'MZXW6YTB========'],
    ['non-zero unused bits (RFC 4648 §3.5)', 'MZ'],
    ['non-zero unused bits, padded', 'MZXW6YR='],
  ])('rejects %s', (_, input) => {
    expect(() => decodeBase32(input, { strict: true })).toThrow(MfaError);
    try {
      decodeBase32(input, { strict: true });
    } catch (err) {
      expect((err as MfaError).code).toBe('INVALID_BASE32');
    }
  });

  it('tolerant mode accepts the same non-canonical bits', () => {
    expect(decodeBase32('MZ')).toEqual(ascii('f'));
  });
});

describe('round trips (property)', () => {
  it('decode(encode(bytes)) = bytes, strict and tolerant', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const encoded = encodeBase32(bytes);
        expect(encoded).toMatch(/^[A-Z2-7]*$/);
        expect(encoded.length).toBe(Math.ceil((bytes.length * 8) / 5));
        expect(decodeBase32(encoded, { strict: true })).toEqual(bytes);
        expect(decodeBase32(encoded)).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with a bit-string reference encoder (property)', () => {
    const reference = (bytes: Uint8Array) => {
      let bits = '';
      for (const b of bytes) bits += b.toString(2).padStart(8, '0');
      let out = '';
      for (let i = 0; i < bits.length; i += 5) {
        out += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[Number.parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
      }
      return out;
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(encodeBase32(bytes)).toBe(reference(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('typed with spaces every n characters, lower case and padding, still decodes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.integer({ min: 1, max: 8 }), fc.boolean(), (bytes, group, lower) => {
        const canonical = encodeBase32(bytes);
        let typed = canonical.replace(new RegExp(`(.{${group}})`, 'g'), '$1 ').trim();
        if (lower) typed = typed.toLowerCase();
        typed += '='.repeat((8 - (canonical.length % 8)) % 8);
        expect(decodeBase32(typed)).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });
});
