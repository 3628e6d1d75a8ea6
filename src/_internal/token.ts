// Turns what a person typed into the numeric code, or -1 when it cannot be one. Accepts surrounding
// whitespace, inner spaces/hyphens ("123 456", "123-456") and full-width digits (IME input).

export function parseToken(token: unknown, digits: number): number {
  if (typeof token !== 'string') return -1;
  // Fast path: exactly `digits` ASCII digits, no allocation.
  if (token.length === digits) {
    let v = 0;
    for (let i = 0; i < digits; i++) {
      const c = token.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return parseSlow(token, digits);
      v = v * 10 + c;
    }
    return v;
  }
  return parseSlow(token, digits);
}

function parseSlow(token: string, digits: number): number {
  if (token.length > 64) return -1;
  const cleaned = token.trim().replace(/[\s\u00a0\u3000-]/g, '');
  if (cleaned.length !== digits) return -1;
  let v = 0;
  for (let i = 0; i < digits; i++) {
    let c = cleaned.charCodeAt(i);
    if (c >= 0xff10 && c <= 0xff19) c -= 0xff10 - 48; // full-width 0-9
    c -= 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}
