// src/_internal/base64.ts against Node's Buffer: round trips, canonical spellings, bad input → null.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeBase64, decodeBase64Url, encodeBase64, encodeBase64Url } from '../../src/_internal/base64.js';

describe('_internal/base64', () => {
  it('matches Buffer for any bytes, both alphabets (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const buf = Buffer.from(bytes);
        expect(encodeBase64(bytes)).toBe(buf.toString('base64'));
        expect(encodeBase64Url(bytes)).toBe(buf.toString('base64url'));
        expect(decodeBase64(buf.toString('base64'))).toEqual(bytes);
        expect(decodeBase64(buf.toString('base64').replace(/=+$/, ''))).toEqual(bytes);
        expect(decodeBase64Url(buf.toString('base64url'))).toEqual(bytes);
      }),
    );
  });

  it.each([
    ['RFC 4648 §10', '', ''],
    ['f', 'f', 'Zg=='],
    ['fo', 'fo', 'Zm8='],
    ['foo', 'foo', 'Zm9v'],
    ['foob', 'foob', 'Zm9vYg=='],
    ['fooba', 'fooba', 'Zm9vYmE='],
    ['foobar', 'foobar', 'Zm9vYmFy'],
  ])('%s: %s', (_name, text, b64) => {
    expect(encodeBase64(new TextEncoder().encode(text))).toBe(b64);
  });

  it.each(['Zg', 'Zh==', 'Z', 'Zm9v=', 'Zm 9v', 'Zm9v\n', 'Zm-_', 'é'])('standard decoder refuses %j', (bad) => {
    if (bad === 'Zg') expect(decodeBase64(bad)).toEqual(new Uint8Array([0x66]));
    else expect(decodeBase64(bad)).toBeNull();
  });

  it.each(['Zg==', 'Zh', 'Z', 'Zm+/', 'Zm9v '])('url decoder refuses %j', (bad) => {
    expect(decodeBase64Url(bad)).toBeNull();
  });

  it('url decoder with canonical: false ignores stray low bits, nothing else', () => {
    expect(decodeBase64Url('Zh', { canonical: false })).toEqual(new Uint8Array([0x66]));
    expect(decodeBase64Url('Zm9vYh', { canonical: false })).toEqual(new Uint8Array([0x66, 0x6f, 0x6f, 0x62]));
    for (const bad of ['Zg==', 'Z', 'Zm+/', 'Zm9v ']) expect(decodeBase64Url(bad, { canonical: false })).toBeNull();
  });
});
