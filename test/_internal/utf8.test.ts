// The portable UTF-8 codec (used where TextEncoder/TextDecoder are missing) agrees with the
// native one on every string and every byte sequence, including the ones a strict decoder rejects.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, encodeUtf8 } from '../../src/_internal/utf8.js';

const native = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }); // as utf8Decode: a leading U+FEFF is data
const nativeDecode = (bytes: Uint8Array): string | null => {
  try {
    return native.decode(bytes);
  } catch {
    return null;
  }
};

describe('portable UTF-8', () => {
  it('encodes like TextEncoder, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(encodeUtf8(s)).toEqual(new TextEncoder().encode(s));
      }),
      { numRuns: 500 },
    );
    for (const s of ['', 'a\uD800b', '\uDC00', '\uD83D\uDE00', 'zoë:pässword', '\u07FF\u0800\uFFFF']) {
      expect(encodeUtf8(s)).toEqual(new TextEncoder().encode(s));
    }
  });

  it('decodes like a fatal TextDecoder: same text, same rejections', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (bytes) => {
        expect(decodeUtf8(bytes)).toBe(nativeDecode(bytes));
      }),
      { numRuns: 5000 },
    );
    const cases = [
      [0xef, 0xbb, 0xbf, 0x41], // a leading U+FEFF is kept (data, not a document's BOM)
      [0xc0, 0xaf], // overlong
      [0xe0, 0x80, 0xaf], // overlong
      [0xed, 0xa0, 0x80], // surrogate
      [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
      [0xf0, 0x9f, 0x98], // truncated
      [0xf0, 0x9f, 0x98, 0x80],
      [0x80],
    ];
    for (const c of cases) expect(decodeUtf8(Uint8Array.from(c))).toBe(nativeDecode(Uint8Array.from(c)));
  });

  it('round-trips well-formed text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(decodeUtf8(encodeUtf8(s))).toBe(s);
      }),
    );
  });
});

describe('a leading U+FEFF survives decoding (found by npm run fuzz: migration round trip)', () => {
  it('in utf8Decode, both the native and the portable path', async () => {
    const { utf8Decode } = await import('../../src/_internal/utf8.js');
    expect(utf8Decode(Uint8Array.from([0xef, 0xbb, 0xbf, 0x41]))).toBe('\ufeffA');
    expect(decodeUtf8(Uint8Array.from([0xef, 0xbb, 0xbf, 0x41]))).toBe('\ufeffA');
  });
});
