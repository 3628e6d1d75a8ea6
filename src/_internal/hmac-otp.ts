// HMAC (RFC 2104) over an 8-byte counter followed by RFC 4226 §5.3 dynamic truncation, on the
// hash kernels in this folder. With the key pads hashed once, every counter costs exactly two
// compressions (inner block: counter + padding; outer block: inner digest + padding) and no
// allocation. All three algorithms are own kernels rather than @noble/hashes because an
// `algorithm` chosen by a string at run time makes every algorithm reachable: noble's SHA-2 would
// land in every SHA-1-only bundle (~3 KB gz); these kernels cost ~0.7 KB gz for both SHA-2s.
//
// The keyed state lives in module scratch: keyHmac() and the counterValue() calls that follow it
// run synchronously inside one public call, so nothing can interleave.
import { MfaError } from '../errors.js';
import { loadWords, mdHash, W, wordsToBytes, type MdHash } from './md.js';
import { SHA1 } from './sha1.js';
import { SHA256, SHA512 } from './sha2.js';

/** HMAC algorithms of RFC 6238 §1.2. */
export type OtpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

// Keyed inner/outer states and the digest; allocated by the first keyHmac() (no work at import).
let INNER: Int32Array;
let OUTER: Int32Array;
let DIGEST: Int32Array;

/** The kernel of an algorithm name; throws UNSUPPORTED_ALGORITHM for anything else. */
export function hashOf(algorithm: OtpAlgorithm): MdHash {
  if (algorithm === 'SHA1') return SHA1;
  if (algorithm === 'SHA256') return SHA256;
  if (algorithm === 'SHA512') return SHA512;
  throw new MfaError('UNSUPPORTED_ALGORITHM', 'algorithm must be SHA1, SHA256 or SHA512');
}

/** Hashes the key pads of HMAC (RFC 2104 §2) into the scratch state for the counterValue() calls that follow. */
export function keyHmac(h: MdHash, rawKey: Uint8Array): void {
  const key = rawKey.length > h.block * 4 ? mdHash(h, rawKey) : rawKey;
  // The key is loaded once: kernels never write W[0 .. block-1], so key ^ ipad stays there and
  // one more XOR makes it key ^ opad (0x36 ^ 0x5c = 0x6a).
  loadWords(key, h.block);
  if (DIGEST === undefined) (INNER = new Int32Array(16)), (OUTER = new Int32Array(16)), (DIGEST = new Int32Array(16));
  for (let i = 0; i < h.block; i++) W[i]! ^= 0x36363636;
  h.compress(h.iv(), INNER);
  for (let i = 0; i < h.block; i++) W[i]! ^= 0x6a6a6a6a;
  h.compress(h.iv(), OUTER);
}

/** HMAC of the counter (big-endian words hi, lo) under the key last given to keyHmac(), into DIGEST. */
function macCounter(h: MdHash, hi: number, lo: number): Int32Array {
  // Inner block: counter, padding; outer block: inner digest, padding. Both messages start in DIGEST.
  DIGEST[0] = hi;
  DIGEST[1] = lo;
  block(h, INNER, 2);
  block(h, OUTER, h.digest);
  return DIGEST;
}

/**
 * Loads the message of `words` words from DIGEST into W, pads it (0x80, zeros, then the bit length
 * of one key block plus the message, FIPS 180-4 §5.1) and compresses it from `state` into DIGEST.
 * Plain loops: TypedArray set/fill cost more than the copy itself at these sizes.
 */
function block(h: MdHash, state: Int32Array, words: number): void {
  const b = h.block;
  const w = W;
  for (let i = 0; i < b; i++) w[i] = i < words ? DIGEST[i]! : i > words ? 0 : 0x80000000;
  w[b - 1] = (b + words) * 32;
  h.compress(state, DIGEST);
}

/** RFC 4226 §5.3 dynamic truncation of HMAC(counter): a 31-bit value, before `mod 10^digits`. */
export function counterValue(h: MdHash, hi: number, lo: number): number {
  const d = macCounter(h, hi, lo);
  const offset = d[h.digest - 1]! & 0xf; // low nibble of the last digest byte
  const shift = (offset & 3) * 8;
  // The 4 bytes at `offset` straddle two words; `>>> 1 >>> (31 - shift)` is `>>> (32 - shift)`
  // that also works for shift 0 (JavaScript shifts count mod 32).
  return ((d[offset >> 2]! << shift) | (d[(offset >> 2) + 1]! >>> 1 >>> (31 - shift))) & 0x7fffffff;
}

/** The full HMAC of an 8-byte counter (for tests that compare the kernels with a reference). */
export function hmacCounter(algorithm: OtpAlgorithm, key: Uint8Array, hi: number, lo: number): Uint8Array {
  const h = hashOf(algorithm);
  keyHmac(h, key);
  return wordsToBytes(macCounter(h, hi, lo), h.digest);
}

/** A plain hash of arbitrary bytes (for tests that compare the kernels with a reference). */
export function hashBytes(algorithm: OtpAlgorithm, data: Uint8Array): Uint8Array {
  return mdHash(hashOf(algorithm), data);
}

/** The truncated value of one counter: keyHmac() then counterValue(). */
export function otpValue(h: MdHash, key: Uint8Array, hi: number, lo: number): number {
  keyHmac(h, key);
  return counterValue(h, hi, lo);
}
