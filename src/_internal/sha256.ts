// SHA-256 (FIPS 180-4 §6.2) and HMAC-SHA-256 (RFC 2104) over whole messages, for the digests mfakit
// stores (API passwords, one-time codes, confirmation tokens, recovery codes). A plain 32-bit
// implementation on the derived constants of ./sha2-constants.ts: ~0.6 KB gzipped, where
// @noble/hashes' sha2 + hmac + utils cost ~2.8 KB (its sha2 module also builds the SHA-512
// constants at import, so none of it can be dropped). The HOTP kernels (./sha2.ts) stay separate:
// written for size, with SHA-512 in the same body, they are several times slower than this one.
import { sha2Tables } from './sha2-constants.js';

let scratch: Int32Array | undefined;

/** One compression of the 64-byte block of `bytes` at `at` into `state`; `k` holds SHA-256 K[t] at 2t. */
function compress(state: Int32Array, bytes: Uint8Array, at: number, k: Int32Array): void {
  const w = (scratch ??= new Int32Array(64));
  for (let i = 0; i < 16; i++, at += 4) w[i] = (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = state[0]!, b = state[1]!, c = state[2]!, d = state[3]!, e = state[4]!, f = state[5]!, g = state[6]!, h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + k[2 * i]! + w[i]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    (h = g), (g = f), (f = e), (e = (d + t1) | 0), (d = c), (c = b), (b = a), (a = (t1 + t2) | 0);
  }
  state[0]! += a;
  state[1]! += b;
  state[2]! += c;
  state[3]! += d;
  state[4]! += e;
  state[5]! += f;
  state[6]! += g;
  state[7]! += h;
}

/** SHA-256 of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  const k = sha2Tables();
  const state = k.slice(176, 184); // the SHA-256 IV
  const n = data.length;
  // 0x80, zeros, then the bit length in the last 8 bytes, to a multiple of 64 bytes.
  const padded = new Uint8Array(((n + 72) >>> 6) << 6);
  padded.set(data);
  padded[n] = 0x80;
  // Big-endian, byte by byte from the end; a Uint8Array store keeps the low 8 bits.
  for (let i = padded.length - 1, bits = n * 8; bits >= 1; i--, bits /= 256) padded[i] = bits;
  for (let at = 0; at < padded.length; at += 64) compress(state, padded, at, k);
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = state[i >> 2]! >> (24 - 8 * (i & 3));
  return out;
}

/** HMAC-SHA-256 of `message` under `key` (RFC 2104; a key over 64 bytes is hashed first). */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  const k = key.length > 64 ? sha256(key) : key;
  const keyed = (pad: number, tail: Uint8Array): Uint8Array => {
    const block = new Uint8Array(64 + tail.length);
    for (let i = 0; i < 64; i++) block[i] = (k[i] ?? 0) ^ pad;
    block.set(tail, 64);
    return sha256(block);
  };
  return keyed(0x5c, keyed(0x36, message));
}
