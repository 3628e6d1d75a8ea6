import base32Encode from 'base32-encode';
import base32Decode from 'base32-decode';
import { MfaError } from './errors.js';

/**
 * Encodes bytes as RFC 4648 base32 (A–Z, 2–7) without `=` padding, as otpauth URIs expect.
 *
 * @example
 * ```ts
 * import { encodeBase32 } from 'mfakit';
 * encodeBase32(new TextEncoder().encode('12345678901234567890')); // 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
 * ```
 * @see RFC 4648 §6
 */
export function encodeBase32(bytes: Uint8Array): string {
  return base32Encode(bytes, 'RFC4648', { padding: false });
}

/** Options of {@link decodeBase32}. */
export interface DecodeBase32Options {
  /**
   * Accept only canonical upper-case RFC 4648 text (padding optional but correct).
   * Default `false`: spaces, hyphens, lower case and missing/extra padding are tolerated, which
   * is what people type when copying a key from a screen.
   */
  strict?: boolean;
}

const STRICT = /^(?:[A-Z2-7]{8})*(?:[A-Z2-7]{2}(?:={6})?|[A-Z2-7]{4}(?:={4})?|[A-Z2-7]{5}(?:={3})?|[A-Z2-7]{7}=?)?$/;
// Lengths mod 8 that can end a base32 string (1, 3 and 6 leave dangling bits).
const VALID_TAIL = new Set([0, 2, 4, 5, 7]);

/**
 * Decodes RFC 4648 base32 into bytes. Tolerant by default (spaces, hyphens, lower case, padding or
 * none); `{ strict: true }` rejects anything but canonical text.
 *
 * @throws {@link MfaError} `INVALID_BASE32` on characters outside the alphabet or an impossible
 * length. The message never echoes the input.
 * @example Reading a key typed by a user
 * ```ts
 * import { decodeBase32 } from 'mfakit';
 * decodeBase32('3qey aiqa-kpc2 a4en'); // Uint8Array(10)
 * ```
 * @see RFC 4648 §6
 */
export function decodeBase32(text: string, options: DecodeBase32Options = {}): Uint8Array {
  if (typeof text !== 'string') throw new MfaError('INVALID_BASE32', 'base32 input must be a string');
  let body: string;
  if (options.strict) {
    if (!STRICT.test(text)) throw new MfaError('INVALID_BASE32', 'not canonical RFC 4648 base32');
    body = text.replace(/=+$/, '');
  } else {
    body = text.replace(/[\s-]+/g, '').toUpperCase().replace(/=+$/, '');
    if (!/^[A-Z2-7]*$/.test(body)) {
      throw new MfaError('INVALID_BASE32', 'base32 text contains characters outside A-Z and 2-7');
    }
  }
  if (!VALID_TAIL.has(body.length % 8)) {
    throw new MfaError('INVALID_BASE32', 'base32 text has an impossible length');
  }
  return new Uint8Array(base32Decode(body, 'RFC4648'));
}
