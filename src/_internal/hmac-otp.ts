// HMAC over an 8-byte counter followed by RFC 4226 §5.3 dynamic truncation, with the key pads
// hashed once per secret. A "truncator" maps a counter (hi, lo words) to the 31-bit value.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { MfaError } from '../errors.js';
import { sha1, sha1Compress, SHA1_IV, W } from './sha1.js';

/** HMAC algorithms of RFC 6238. */
export type OtpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

/** Counter (split into big-endian 32-bit words) → dynamic-truncation value (31 bits). */
export type Truncator = (hi: number, lo: number) => number;

export function truncator(algorithm: OtpAlgorithm, key: Uint8Array): Truncator {
  switch (algorithm) {
    case 'SHA1':
      return sha1Truncator(key);
    case 'SHA256':
      return nobleTruncator(sha256, key);
    case 'SHA512':
      return nobleTruncator(sha512, key);
    default:
      throw new MfaError('UNSUPPORTED_ALGORITHM', 'algorithm must be SHA1, SHA256 or SHA512');
  }
}

function sha1Truncator(rawKey: Uint8Array): Truncator {
  const key = rawKey.length > 64 ? sha1(rawKey) : rawKey;
  const inner = new Int32Array(5);
  const outer = new Int32Array(5);
  const tmp = new Int32Array(5);
  loadKeyBlock(key, 0x36363636);
  sha1Compress(SHA1_IV, inner);
  loadKeyBlock(key, 0x5c5c5c5c);
  sha1Compress(SHA1_IV, outer);
  return (hi, lo) => {
    // Inner block: counter, 0x80 pad, length (64 + 8) bytes in bits.
    W[0] = hi; W[1] = lo; W[2] = 0x80000000;
    W[3] = W[4] = W[5] = W[6] = W[7] = W[8] = W[9] = W[10] = W[11] = W[12] = W[13] = W[14] = 0;
    W[15] = 576;
    sha1Compress(inner, tmp);
    // Outer block: inner digest, 0x80 pad, length (64 + 20) bytes in bits.
    W[0] = tmp[0]!; W[1] = tmp[1]!; W[2] = tmp[2]!; W[3] = tmp[3]!; W[4] = tmp[4]!;
    W[5] = 0x80000000;
    W[6] = W[7] = W[8] = W[9] = W[10] = W[11] = W[12] = W[13] = W[14] = 0;
    W[15] = 672;
    sha1Compress(outer, tmp);
    return truncateWords(tmp, tmp[4]! & 0xf);
  };
}

function loadKeyBlock(key: Uint8Array, pad: number): void {
  for (let j = 0; j < 16; j++) {
    const o = j * 4;
    W[j] = (((key[o] ?? 0) << 24) | ((key[o + 1] ?? 0) << 16) | ((key[o + 2] ?? 0) << 8) | (key[o + 3] ?? 0)) ^ pad;
  }
}

/** Reads the 31-bit big-endian value at byte `offset` of a digest held as 32-bit words. */
function truncateWords(words: Int32Array, offset: number): number {
  const shift = (offset & 3) * 8;
  const w0 = words[offset >> 2]!;
  const v = shift === 0 ? w0 : (w0 << shift) | (words[(offset >> 2) + 1]! >>> (32 - shift));
  return v & 0x7fffffff;
}

type NobleHash = Parameters<typeof hmac.create>[0];
type HmacState = ReturnType<typeof hmac.create>;

function nobleTruncator(hash: NobleHash, key: Uint8Array): Truncator {
  const base = hmac.create(hash, key);
  const msg = new Uint8Array(8);
  const view = new DataView(msg.buffer);
  let work: HmacState | undefined;
  return (hi, lo) => {
    view.setInt32(0, hi);
    view.setInt32(4, lo);
    const state: HmacState = base._cloneInto(work as never) as HmacState;
    work = state;
    const d = state.update(msg).digest();
    const offset = d[d.length - 1]! & 0xf;
    return ((d[offset]! & 0x7f) << 24) | (d[offset + 1]! << 16) | (d[offset + 2]! << 8) | d[offset + 3]!;
  };
}
