import { MfaError } from './errors.js';

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
  if (typeof text !== 'string') throw new MfaError('INVALID_BASE32', 'base32 input must be a string');
  const strict = options.strict === true;
  let body = strict ? text : text.replace(/[\s-]/g, '').toUpperCase();
  const pad = body.indexOf('=');
  if (pad >= 0) {
    // Padding only at the end; strict mode wants exactly enough of it to reach a multiple of 8.
    if (!/^=+$/.test(body.slice(pad)) || (strict && body.length !== Math.ceil(pad / 8) * 8)) fail();
    body = body.slice(0, pad);
  }
  // 1, 3 and 6 characters past a multiple of 8 cannot end base32 text (RFC 4648 §6).
  const tail = body.length % 8;
  if (tail === 1 || tail === 3 || tail === 6) fail();
  const out = new Uint8Array((body.length * 5) >>> 3);
  let bits = 0;
  let value = 0;
  let j = 0;
  for (let i = 0; i < body.length; i++) {
    const v = ALPHABET.indexOf(body[i]!);
    if (v < 0) fail();
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = value >>> bits;
    }
  }
  if (strict && (value & ((1 << bits) - 1)) !== 0) fail();
  return out;
}

function fail(): never {
  throw new MfaError('INVALID_BASE32', 'not valid RFC 4648 base32 text');
}
