// Turns what a person typed into the numeric code, or -1 when it cannot be one. Accepts surrounding
// and inner whitespace and hyphens ("123 456", "123-456", " 123456\n") and full-width digits
// (IME input, U+FF10..U+FF19). One pass, no allocation. Anything else, or a digit count other than
// `digits`, is -1 (a `format` result, never an exception).

/** What people put between digit groups: whitespace and hyphens (also skipped in typed base32 keys). */
export const SEPARATOR = /[\s-]/;

export function parseToken(token: unknown, digits: number): number {
  if (typeof token !== 'string' || token.length > 64) return -1;
  let value = 0;
  let count = 0;
  for (let i = 0; i < token.length; i++) {
    let c = token.charCodeAt(i);
    if (c >= 0xff10 && c <= 0xff19) c -= 0xfee0; // full-width 0-9 → ASCII
    if (c >= 48 && c <= 57) {
      value = value * 10 + c - 48;
      count++;
    } else if (!SEPARATOR.test(token[i]!)) return -1;
  }
  return count === digits ? value : -1;
}
