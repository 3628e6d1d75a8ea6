// Input generators shared by the fuzz targets: random text biased towards the characters parsers
// branch on, token soups built from each format's own vocabulary, and mutations of valid inputs
// (insert, delete, replace, duplicate, swap case, percent-encode) so the fuzzer reaches the deep
// paths a purely random string never gets past the scheme check to.
import fc from 'fast-check';

/** Characters parsers treat specially, plus a few hostile code units. */
const SPECIAL = [
  '%', '%2', '%25', '%3A', '%C3%A9', '%FF', '%ED%A0%80', ':', '/', '?', '&', '=', '#', '+', ' ', '\t', '\n', '\r', '-', '_',
  '.', '@', '0', '1', '9', 'A', 'Z', 'a', 'z', '2', '7', 'O', 'I', 'L', '\u0000', '\u007f', '\u0085', '\u00a0', '\u3000',
  '\uff10', '\uff19', '\ud800', '\udc00', '\ufeff', 'é', '東', '😀', '\\', '"', "'", '<', '>',
];

/** One short piece of text: a special character, a vocabulary word, or random code units. */
function piece(vocabulary: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...SPECIAL) },
    { weight: 3, arbitrary: fc.constantFrom(...vocabulary) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  );
}

/** Text made of the format's vocabulary and special characters, in any order. */
export function soup(vocabulary: readonly string[], maxPieces = 24): fc.Arbitrary<string> {
  return fc.array(piece(vocabulary), { maxLength: maxPieces }).map((parts) => parts.join(''));
}

type Edit = readonly [kind: number, at: number, length: number, text: string];

function applyEdit(s: string, [kind, at, length, text]: Edit): string {
  const i = s.length === 0 ? 0 : at % (s.length + 1);
  const j = Math.min(s.length, i + length);
  switch (kind) {
    case 0: // insert
      return s.slice(0, i) + text + s.slice(i);
    case 1: // delete a run
      return s.slice(0, i) + s.slice(j);
    case 2: // replace a run
      return s.slice(0, i) + text + s.slice(j);
    case 3: // duplicate a run
      return s.slice(0, j) + s.slice(i, j) + s.slice(j);
    case 4: // swap case of a run
      return s.slice(0, i) + swapCase(s.slice(i, j)) + s.slice(j);
    case 5: // percent-encode a run (UTF-16 code units as bytes, so invalid UTF-8 too)
      return s.slice(0, i) + [...s.slice(i, j)].map((c) => '%' + (c.charCodeAt(0) & 0xff).toString(16).padStart(2, '0')).join('') + s.slice(j);
    default: // truncate
      return s.slice(0, i);
  }
}

function swapCase(s: string): string {
  let out = '';
  for (const c of s) out += c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
  return out;
}

/** A valid input with 1 to 6 random edits. */
export function mutated(valid: fc.Arbitrary<string>, vocabulary: readonly string[]): fc.Arbitrary<string> {
  const edit: fc.Arbitrary<Edit> = fc.tuple(fc.nat(6), fc.nat(), fc.nat(12), piece(vocabulary));
  return fc.tuple(valid, fc.array(edit, { minLength: 1, maxLength: 6 })).map(([s, edits]) => edits.reduce(applyEdit, s));
}

/** Values of any type, for parameters typed `unknown` that must not throw on a non-string. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom(undefined, null, 0, NaN, -1, 1n, true, [], {}, Symbol('x'), () => 1, new Uint8Array(4), Object.create(null)),
);
