// RFC 3986 percent-encoding for otpauth URIs. Encoding keeps only unreserved characters (plus the
// ones a caller allows), so spaces are always %20, never '+'. Decoding returns null instead of
// throwing on malformed escapes or invalid UTF-8.

/**
 * Percent-encodes UTF-8 text, keeping only A–Z a–z 0–9 - . _ ~ and the characters in `keep`.
 * Returns null for text with unpaired surrogates (not representable in UTF-8).
 */
export function percentEncode(text: string, keep = ''): string | null {
  let encoded: string;
  try {
    encoded = encodeURIComponent(text);
  } catch {
    return null;
  }
  // encodeURIComponent leaves ! ' ( ) * alone; encode them too, then restore what the caller keeps.
  encoded = encoded.replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  for (const c of keep) encoded = encoded.split('%' + c.charCodeAt(0).toString(16).toUpperCase()).join(c);
  return encoded;
}

/** Decodes percent-escapes as UTF-8; `plusIsSpace` applies form encoding (query values). */
export function percentDecode(text: string, plusIsSpace: boolean): string | null {
  try {
    return decodeURIComponent(plusIsSpace ? text.replace(/\+/g, ' ') : text);
  } catch {
    return null;
  }
}
