// parseToken (src/_internal/token.ts): the 64-character cap is inclusive, and full-width digits
// map to ASCII across the whole range U+FF10..U+FF19 (StrykerJS found both ends untested).
import { describe, expect, it } from 'vitest';
import { parseToken } from '../../src/_internal/token.js';

const fullWidth = (digits: string): string => [...digits].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');

describe('parseToken', () => {
  it('reads a token of exactly 64 characters and refuses 65', () => {
    const padded = (length: number) => '123456'.padStart(length, ' ');
    expect(parseToken(padded(64), 6)).toBe(123456);
    expect(parseToken(padded(65), 6)).toBe(-1);
  });

  it('reads every full-width digit, 0 and 9 included', () => {
    expect(parseToken(fullWidth('0123456789'), 10)).toBe(123456789);
    expect(parseToken(fullWidth('909090'), 6)).toBe(909090);
    expect(parseToken(`${fullWidth('00')} 9${fullWidth('9')}-00`, 6)).toBe(99 * 100);
  });

  it('refuses the characters just outside the full-width digit range', () => {
    expect(parseToken(`${String.fromCharCode(0xff0f)}12345`, 6)).toBe(-1);
    expect(parseToken(`${String.fromCharCode(0xff1a)}12345`, 6)).toBe(-1);
  });
});
