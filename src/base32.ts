import { MfaError } from './errors.js';
import { SEPARATOR } from './_internal/token.js';

// RFC 4648 §6 alphabet. An own codec of ~30 lines rather than base32-encode/base32-decode: the
// decoder is reachable from every TOTP call (secrets may be base32 text), and the packages' CJS
// interop and extra alphabets cost ~0.5 KB gz in every bundle.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * Encodes bytes as RFC 4648 base32 (A–Z, 2–7) without `=` padding, as otpauth URIs expect.
 *
 * @throws {@link MfaError} `INVALID_OPTION` when `bytes` is not a Uint8Array
 * @example
 * ```ts
 * import { encodeBase32 } from 'mfakit';
 * encodeBase32(new TextEncoder().encode('12345678901234567890')); // 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
 * ```
 * @see RFC 4648 §6
 */
export function encodeBase32(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) throw new MfaError('INVALID_OPTION', 'bytes must be a Uint8Array');
  let out = '';
  let bits = 0;
  let value = 0;
  for (let i = 0; i < bytes.length; i++) {
    value = (value << 8) | bytes[i]!;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(value >>> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** Options of {@link decodeBase32}. */
export interface DecodeBase32Options {
  /**
   * Accept only canonical RFC 4648 text: upper case A–Z and 2–7, either no padding or exactly the
   * right `=` padding, and zero unused bits in the last character (RFC 4648 §3.5).
   * Default `false`: spaces, hyphens, lower case and missing, extra or partial padding are
   * tolerated, which is what people type when copying a key from a screen.
   */
  strict?: boolean;
}

/**
 * Decodes RFC 4648 base32 into bytes. Tolerant by default (spaces, hyphens, lower case, padding or
 * none); `{ strict: true }` rejects anything but canonical text.
 *
 * @throws {@link MfaError} `INVALID_BASE32` on characters outside the alphabet, an impossible
 * length, or (strict) non-canonical text. The message never echoes the input.
 * @example Reading a key typed by a user
 * ```ts
 * import { decodeBase32 } from 'mfakit';
 * decodeBase32('3qey aiqa-kpc2 a4en'); // Uint8Array(10)
 * decodeBase32('3qey aiqa-kpc2 a4en', { strict: true }); // throws MfaError INVALID_BASE32
 * ```
 * @see RFC 4648 §3.2, §3.5, §6
 */
export function decodeBase32(text: string, options: DecodeBase32Options = {}): Uint8Array {
  if (typeof text !== 'string') fail();
  const strict = options.strict === true;
  const out = new Uint8Array((text.length * 5) >>> 3);
  let bits = 0;
  let value = 0;
  let count = 0; // alphabet characters
  let pad = 0; // '=' characters
  let j = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c === 61) {
      pad++;
      continue;
    }
    if (!strict && c >= 97 && c <= 122) c -= 32; // lower case
    // A-Z → 0..25, 2-7 → 26..31
    const v = c >= 65 && c <= 90 ? c - 65 : c >= 50 && c <= 55 ? c - 24 : -1;
    if (v < 0 && !strict && SEPARATOR.test(text[i]!)) continue;
    if (v < 0 || pad) fail(); // outside the alphabet, or data after padding
    value = (value << 5) | v;
    bits += 5;
    count++;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = value >>> bits;
    }
  }
  const tail = count % 8;
  // 1, 3 or 6 characters past a multiple of 8 cannot end base32 text (RFC 4648 §6). Strict: the
  // padding, if any, completes the last group exactly, and the unused low bits are zero (§3.5).
  if (tail === 1 || tail === 3 || tail === 6 || (strict && ((pad && ((count + pad) % 8 || pad > 6)) || value & ((1 << bits) - 1)))) {
    fail();
  }
  return out.slice(0, j);
}

function fail(): never {
  throw new MfaError('INVALID_BASE32', 'not valid RFC 4648 base32 text');
}
