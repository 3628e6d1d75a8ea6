// HMAC (RFC 2104) over an 8-byte counter followed by RFC 4226 §5.3 dynamic truncation, on the
// hash kernels in this folder. With the key pads hashed once, every counter costs exactly two
// compressions (inner block: counter + padding; outer block: inner digest + padding) and no
// allocation. All three algorithms are own kernels rather than @noble/hashes because an
// `algorithm` chosen by a string at run time makes every algorithm reachable: noble's SHA-2 would
// land in every SHA-1-only bundle (~3 KB gz); these kernels cost ~1 KB gz for both SHA-2s.
//
// The keyed state lives in module scratch: keyHmac() and the counterValue() calls that follow it
// run synchronously inside one public call, so nothing can interleave.
import { MfaError } from '../errors.js';
import { loadWords, mdHash, W, wordsToBytes, type MdHash } from './md.js';
import { SHA1 } from './sha1.js';
import { SHA256, SHA512 } from './sha2.js';

/** HMAC algorithms of RFC 6238 §1.2. */
export type OtpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

const INNER = new Int32Array(16);
const OUTER = new Int32Array(16);
const DIGEST = new Int32Array(16);

/** The kernel of an algorithm name; throws UNSUPPORTED_ALGORITHM for anything else. */
export function hashOf(algorithm: OtpAlgorithm): MdHash {
  if (algorithm === 'SHA1') return SHA1;
  if (algorithm === 'SHA256') return SHA256;
  if (algorithm === 'SHA512') return SHA512;
  throw new MfaError('UNSUPPORTED_ALGORITHM', 'algorithm must be SHA1, SHA256 or SHA512');
}

/** Hashes the key pads of HMAC (RFC 2104 §2) into the scratch state for the counterValue() calls that follow. */
export function keyHmac(h: MdHash, rawKey: Uint8Array): void {
  const key = rawKey.length > h.blockWords * 4 ? mdHash(h, rawKey) : rawKey;
  loadWords(key, 0, h.blockWords, 0x36363636);
  h.compress(h.iv(), INNER);
  loadWords(key, 0, h.blockWords, 0x5c5c5c5c);
  h.compress(h.iv(), OUTER);
}

/** HMAC of the counter (big-endian words hi, lo) under the key last given to keyHmac(), into DIGEST. */
function macCounter(h: MdHash, hi: number, lo: number): Int32Array {
  const b = h.blockWords;
  const s = h.digestWords;
  const w = W;
  // Inner block: counter, 0x80, zeros, length of (key block + 8 bytes) in bits.
  w[0] = hi;
  w[1] = lo;
  w[2] = 0x80000000;
  w.fill(0, 3, b);
  w[b - 1] = (b * 4 + 8) * 8;
  h.compress(INNER, DIGEST);
  // Outer block: inner digest, 0x80, zeros, length of (key block + digest) in bits.
  for (let j = 0; j < s; j++) w[j] = DIGEST[j]!;
  w[s] = 0x80000000;
  w.fill(0, s + 1, b);
  w[b - 1] = (b + s) * 32;
  h.compress(OUTER, DIGEST);
  return DIGEST;
}

/** RFC 4226 §5.3 dynamic truncation of HMAC(counter): a 31-bit value, before `mod 10^digits`. */
export function counterValue(h: MdHash, hi: number, lo: number): number {
  const d = macCounter(h, hi, lo);
  const offset = d[h.digestWords - 1]! & 0xf; // low nibble of the last digest byte
  const shift = (offset & 3) * 8;
  const w0 = d[offset >> 2]!;
  const v = shift === 0 ? w0 : (w0 << shift) | (d[(offset >> 2) + 1]! >>> (32 - shift));
  return v & 0x7fffffff;
}

/** The full HMAC of an 8-byte counter (for tests that compare the kernels with a reference). */
export function hmacCounter(algorithm: OtpAlgorithm, key: Uint8Array, hi: number, lo: number): Uint8Array {
  const h = hashOf(algorithm);
  keyHmac(h, key);
  return wordsToBytes(macCounter(h, hi, lo), h.digestWords);
}

/** A plain hash of arbitrary bytes (for tests that compare the kernels with a reference). */
export function hashBytes(algorithm: OtpAlgorithm, data: Uint8Array): Uint8Array {
  return mdHash(hashOf(algorithm), data);
}

/** The truncated value of one counter: keyHmac() then counterValue(). */
export function otpValue(algorithm: OtpAlgorithm, key: Uint8Array, hi: number, lo: number): number {
  const h = hashOf(algorithm);
  keyHmac(h, key);
  return counterValue(h, hi, lo);
}
