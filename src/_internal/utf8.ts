// UTF-8 for every runtime: TextEncoder/TextDecoder where the runtime has them (fast, native), and a
// small hand-written codec where it has not (QuickJS and other embedded engines, whose users pass
// only an `rng`). Both paths give the same bytes and the same verdicts; the tests compare them.
// The native objects are made on first use, so importing this module does no work.

let encoder: { encode(text: string): Uint8Array } | null | undefined;
let decoder: { decode(bytes: Uint8Array): string } | null | undefined;

/** UTF-8 bytes of `text`; a lone surrogate becomes U+FFFD, as TextEncoder does. */
export function utf8Encode(text: string): Uint8Array {
  encoder ??= typeof TextEncoder === 'function' ? new TextEncoder() : null;
  return encoder === null ? encodeUtf8(text) : encoder.encode(text);
}

/**
 * The text of UTF-8 `bytes`, or null when they are not well-formed UTF-8 (overlong forms,
 * surrogates, code points past U+10FFFF, truncated sequences). A leading U+FEFF is kept: the bytes
 * decoded here are fields (a protobuf string, Basic credentials), not documents, so it is data —
 * dropping it changed an account name or user-id that began with one.
 */
export function utf8Decode(bytes: Uint8Array): string | null {
  decoder ??= typeof TextDecoder === 'function' ? new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }) : null;
  if (decoder === null) return decodeUtf8(bytes);
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

/** The portable encoder (exported for the tests that compare it with TextEncoder). */
export function encodeUtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else c = 0xfffd;
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** The portable strict decoder (exported for the tests that compare it with TextDecoder). */
export function decodeUtf8(bytes: Uint8Array): string | null {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    // Sequence length and the smallest code point it may encode (anything less is overlong).
    const n = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (n < 0) return null;
    let c = n === 0 ? b : b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const t = bytes[i + k];
      if (t === undefined || (t & 0xc0) !== 0x80) return null;
      c = (c << 6) | (t & 63);
    }
    if ((n === 2 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) || (n === 3 && (c < 0x10000 || c > 0x10ffff))) return null;
    out += String.fromCodePoint(c);
    i += n + 1;
  }
  return out;
}
