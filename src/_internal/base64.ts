// Base64 (RFC 4648 §4) and base64url (§5) without Buffer, so the core runs in every runtime. The one
// codec of the library: JSON-safe bytes in records, tokens, ciphertexts, data URIs, Basic auth.
// Decoders return null on any invalid input instead of throwing: callers turn that into a result.

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// Decoding tables, made on first decode (no work at import).
let STD_LOOKUP: Int8Array | undefined;
let URL_LOOKUP: Int8Array | undefined;

function lookup(alphabet: string): Int8Array {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < 64; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
}

function encode(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + alphabet[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + (pad ? '==' : '');
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + (pad ? '=' : '');
  }
  return out;
}

function decode(text: string, table: Int8Array, padding: 'optional' | 'forbidden', canonical: boolean): Uint8Array | null {
  let end = text.length;
  if (padding === 'optional' && end % 4 === 0) {
    if (text.charCodeAt(end - 1) === 61) end--;
    if (text.charCodeAt(end - 1) === 61) end--;
  }
  if (end % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? table[c]! : -1;
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  // Non-canonical encodings (stray low bits) are rejected so one value has one spelling.
  if (canonical && bits > 0 && (acc & ((1 << bits) - 1)) !== 0) return null;
  return out;
}

/** Base64url without padding (RFC 4648 §5). */
export function encodeBase64Url(bytes: Uint8Array): string {
  return encode(bytes, URL, false);
}

/** Options of {@link decodeBase64Url}. */
export interface DecodeBase64UrlOptions {
  /**
   * Reject spellings with stray low bits in the last character (default true), so one value has one
   * spelling. `false` ignores those bits: the lifecycle's stored secrets and recovery-code records
   * have always been read that way.
   */
  canonical?: boolean;
}

/** Decodes unpadded base64url; null when invalid (or non-canonical, unless `canonical: false`). */
export function decodeBase64Url(text: string, options?: DecodeBase64UrlOptions): Uint8Array | null {
  return decode(text, (URL_LOOKUP ??= lookup(URL)), 'forbidden', options?.canonical ?? true);
}

/** Standard base64 with padding (RFC 4648 §4). */
export function encodeBase64(bytes: Uint8Array): string {
  return encode(bytes, STD, true);
}

/** Decodes standard base64, padding optional; null when invalid or non-canonical. */
export function decodeBase64(text: string): Uint8Array | null {
  return decode(text, (STD_LOOKUP ??= lookup(STD)), 'optional', true);
}
