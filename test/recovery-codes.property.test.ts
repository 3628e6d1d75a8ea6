import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateRecoveryCodes, markRecoveryCodeUsed, verifyRecoveryCode } from '../src/recovery-codes.js';
import { normaliseCode } from '../src/_internal/crockford.js';

/** RandomSource replaying fast-check bytes (cycled), so every run is reproducible from its seed. */
const rngFrom = (bytes: Uint8Array) => {
  let i = 0;
  return (n: number): Uint8Array => {
    const out = new Uint8Array(n);
    for (let k = 0; k < n; k++) out[k] = (bytes[i++ % bytes.length]! + Math.floor(i / bytes.length)) & 0xff;
    return out;
  };
};

const seedBytes = fc.uint8Array({ minLength: 64, maxLength: 256 });
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A typed variant of `code`: random case, confusables, separators between characters. */
const variantOf = (code: string) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: code.length, maxLength: code.length }),
      fc.array(fc.constantFrom('', '', '', ' ', '-', '  ', '\u2013', '\u00a0'), { minLength: code.length + 1, maxLength: code.length + 1 }),
    )
    .map(([lower, seps]) => {
      let out = seps[0]!;
      [...code.replace(/-/g, '')].forEach((ch, i) => {
        let c = ch;
        if (c === '0' && lower[i]) c = 'O';
        else if (c === '1' && lower[i]) c = i % 2 ? 'I' : 'L';
        out += (lower[i] ? c.toLowerCase() : c) + seps[i + 1]!;
      });
      return out;
    });

describe('recovery codes (properties)', () => {
  it('every generated code verifies exactly once, then answers used', () => {
    fc.assert(
      fc.property(seedBytes, fc.integer({ min: 1, max: 12 }), (bytes, count) => {
        const { codes, hashes } = generateRecoveryCodes({ count, rng: rngFrom(bytes) });
        let set = hashes;
        codes.forEach((code, i) => {
          const r = verifyRecoveryCode(set, code);
          expect(r).toEqual({ ok: true, index: i });
          set = markRecoveryCodeUsed(set, i, 1000 + i);
          expect(verifyRecoveryCode(set, code)).toEqual({ ok: false, reason: 'used' });
        });
      }),
      { numRuns: 60 },
    );
  });

  it('a code that is not in the set never verifies', () => {
    const { codes, hashes } = generateRecoveryCodes();
    const canonical = new Set(codes.map((c) => c.replace(/-/g, '')));
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...CROCKFORD), minLength: 1, maxLength: 20 }), (guess) => {
        fc.pre(!canonical.has(guess));
        expect(verifyRecoveryCode(hashes, guess)).toEqual({ ok: false, reason: 'mismatch' });
      }),
      { numRuns: 300 },
    );
  });

  it('normalisation variants (case, confusables, separators) verify', () => {
    const { codes, hashes } = generateRecoveryCodes({ rng: rngFrom(new Uint8Array([1, 0, 7, 31, 200, 33])) });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: codes.length - 1 }).chain((i) => fc.tuple(fc.constant(i), variantOf(codes[i]!))), ([i, typed]) => {
        expect(verifyRecoveryCode(hashes, typed)).toEqual({ ok: true, index: i });
      }),
      { numRuns: 300 },
    );
  });

  it('verify never throws, whatever the input', () => {
    const { hashes } = generateRecoveryCodes({ count: 3 });
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme', maxLength: 300 })), (input) => {
        const r = verifyRecoveryCode(hashes, input as string);
        expect(r.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('normalisation is idempotent and its output only holds canonical characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (s) => {
        const n = normaliseCode(s);
        if (n !== undefined) {
          expect(n).toMatch(/^[0-9A-HJKMNP-Z]+$/);
          expect(normaliseCode(n)).toBe(n);
        }
      }),
      { numRuns: 500 },
    );
  });
});
