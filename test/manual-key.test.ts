import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatManualKey } from '../src/manual-key.js';
import { decodeBase32, encodeBase32 } from '../src/base32.js';
import { MfaError, type MfaErrorCode } from '../src/errors.js';

describe('formatManualKey', () => {
  it('groups canonical base32 in fours (seed 002 secret)', () => {
    expect(formatManualKey('3QEYAIQAKPC2A4ENSZEXHL4OQLWJ4XNC')).toBe('3QEY AIQA KPC2 A4EN SZEX HL4O QLWJ 4XNC');
  });

  it('formats bytes, normalises sloppy base32 text, and leaves a short last group', () => {
    const rfc = new TextEncoder().encode('12345678901234567890');
    expect(formatManualKey(rfc)).toBe('GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ');
    expect(formatManualKey('jbsw-y3dp ehpk 3pxp====')).toBe('JBSW Y3DP EHPK 3PXP');
    expect(formatManualKey(new Uint8Array(11))).toBe('AAAA AAAA AAAA AAAA AA');
    expect(formatManualKey(new Uint8Array(0))).toBe('');
  });

  it('takes a group size and a hyphen separator', () => {
    expect(formatManualKey('3QEYAIQAKPC2A4ENSZEXHL4OQLWJ4XNC', { groupSize: 8, separator: '-' })).toBe(
      '3QEYAIQA-KPC2A4EN-SZEXHL4O-QLWJ4XNC',
    );
  });

  it('is accepted back by the tolerant decoder, as shown, lower-cased or re-spaced (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(' ' as const, '-' as const),
        (bytes, groupSize, separator) => {
          const shown = formatManualKey(bytes, { groupSize, separator });
          expect(decodeBase32(shown)).toEqual(bytes);
          expect(decodeBase32(shown.toLowerCase())).toEqual(bytes);
          expect(decodeBase32(shown.replace(/ /g, '  '))).toEqual(bytes);
          expect(shown.replace(/[ -]/g, '')).toBe(encodeBase32(bytes));
        },
      ),
    );
  });

  const bad: Array<[string, () => unknown, MfaErrorCode]> = [
    ['non-base32 text', () => formatManualKey('not base32!'), 'INVALID_BASE32'],
    ['impossible length', () => formatManualKey('ABC'), 'INVALID_BASE32'],
    ['a number', () => formatManualKey(42 as unknown as string), 'INVALID_OPTION'],
    ['group size 0', () => formatManualKey('JBSWY3DPEHPK3PXP', { groupSize: 0 }), 'INVALID_OPTION'],
    ['dot separator', () => formatManualKey('JBSWY3DPEHPK3PXP', { separator: '.' as ' ' }), 'INVALID_OPTION'],
  ];
  it.each(bad)('throws MfaError for %s', (_name, call, code) => {
    expect(call).toThrow(MfaError);
    try {
      call();
    } catch (err) {
      expect((err as MfaError).code).toBe(code);
    }
  });
});
