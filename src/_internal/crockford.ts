// Crockford base32 for human-typed codes: the alphabet, unbiased random strings over any alphabet,
// and the normalisation that turns what a person typed back into canonical characters.
import { MfaError } from '../errors.js';
import type { RandomSource } from '../random.js';

/** Crockford base32: digits and uppercase letters without I, L, O, U (32 symbols, 5 bits each). */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Longest raw input we look at; anything longer cannot be a code and answers `format`. */
export const MAX_INPUT_LENGTH = 256;

/** Longest canonical code (after normalisation) we accept. */
export const MAX_CODE_LENGTH = 64;

// Characters a canonical code may contain: the Crockford alphabet, i.e. 0-9 and A-Z without I, L, O
// (they normalise to 1, 1, 0) and U (excluded by Crockford, so a typed U is never part of a code).
function isCanonicalChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90 && c !== 73 && c !== 76 && c !== 79 && c !== 85);
}

/**
 * Checks a custom alphabet: 2 to 32 distinct characters of the Crockford alphabet (digits and
 * uppercase letters except I, L, O and U), so every generated code survives {@link normaliseCode}.
 */
export function checkAlphabet(alphabet: unknown): string {
  if (typeof alphabet !== 'string' || alphabet.length < 2 || alphabet.length > 32) {
    throw new MfaError('INVALID_OPTION', 'alphabet must be a string of 2 to 32 characters');
  }
  const seen = new Set<number>();
  for (let i = 0; i < alphabet.length; i++) {
    const c = alphabet.charCodeAt(i);
    if (!isCanonicalChar(c)) {
      throw new MfaError(
        'INVALID_OPTION',
        'alphabet may only use Crockford base32 characters (digits, uppercase letters except I, L, O, U)',
      );
    }
    if (seen.has(c)) throw new MfaError('INVALID_OPTION', 'alphabet characters must be distinct');
    seen.add(c);
  }
  return alphabet;
}

/**
 * `length` characters drawn uniformly from `alphabet` (rejection sampling on random bytes, so no
 * modulo bias for alphabets whose size does not divide 256).
 */
export function randomString(alphabet: string, length: number, rng: RandomSource): string {
  const n = alphabet.length;
  const limit = 256 - (256 % n); // accept bytes below the largest multiple of n
  let out = '';
  while (out.length < length) {
    const want = length - out.length;
    // Ask for a little more than needed so rejections rarely cost another call.
    const bytes = randomBytes(rng, want + (limit === 256 ? 0 : Math.ceil(want / 4) + 2));
    for (let i = 0; i < bytes.length && out.length < length; i++) {
      const b = bytes[i]!;
      if (b < limit) out += alphabet[b % n]!;
    }
  }
  return out;
}

function randomBytes(rng: RandomSource, length: number): Uint8Array {
  const out = rng(length);
  if (!(out instanceof Uint8Array) || out.length !== length) {
    throw new MfaError('INVALID_OPTION', 'rng must return a Uint8Array of the requested length');
  }
  return out;
}

/** Inserts a hyphen every `groupSize` characters (`0` = no grouping). */
export function groupCode(code: string, groupSize: number): string {
  if (groupSize === 0 || groupSize >= code.length) return code;
  const parts: string[] = [];
  for (let i = 0; i < code.length; i += groupSize) parts.push(code.slice(i, i + groupSize));
  return parts.join('-');
}

// Separators people type or paste: whitespace of any kind, ASCII hyphen, Unicode hyphens and dashes
// (U+2010..U+2015), minus sign, and the dots/underscores some password managers insert.
const SEPARATORS = /[\s\u2010-\u2015\u2212._-]/g;

/**
 * Canonical form of a typed code, or `undefined` when the input cannot be a code. Accepts any case,
 * spaces, hyphens and dashes, full-width characters (NFKC), and maps the Crockford confusables
 * O → 0 and I, L → 1. Never throws, whatever the value.
 */
export function normaliseCode(input: unknown): string | undefined {
  if (typeof input !== 'string' || input.length === 0 || input.length > MAX_INPUT_LENGTH) return undefined;
  let s: string;
  try {
    s = input.normalize('NFKC');
  } catch {
    return undefined; // lone surrogates cannot throw here, but never let user input escape as an error
  }
  s = s.replace(SEPARATORS, '').toUpperCase();
  if (s.length === 0 || s.length > MAX_CODE_LENGTH) return undefined;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 79) out += '0'; // O
    else if (c === 73 || c === 76) out += '1'; // I, L
    else if (isCanonicalChar(c)) out += s[i]!;
    else return undefined;
  }
  return out;
}
