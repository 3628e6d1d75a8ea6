// HKDF-SHA-256 (RFC 5869) for one 32-byte output block, over the in-house HMAC-SHA-256: derives a key
// for one use (named by `info`) from a key made for another, without pulling in a hash library.
import { hmacSha256 } from './sha256.js';

/** HKDF-SHA-256(ikm, salt = 32 zero bytes, info, L = 32): PRK = HMAC(salt, ikm); OKM = HMAC(PRK, info ‖ 0x01). */
export function hkdfSha256(ikm: Uint8Array, info: Uint8Array): Uint8Array {
  const prk = hmacSha256(new Uint8Array(32), ikm);
  const block = new Uint8Array(info.length + 1);
  block.set(info);
  block[info.length] = 1;
  return hmacSha256(prk, block);
}
