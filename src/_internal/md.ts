// Shared frame of the Merkle–Damgård hashes used for HMAC-OTP (SHA-1, SHA-256, SHA-512): a
// descriptor per algorithm, one message-schedule scratch buffer, and a plain hash for the rare
// HMAC key longer than one block. Module-level scratch is safe: everything here is synchronous.

/**
 * Message-schedule scratch shared by every kernel: callers load the block's big-endian 32-bit
 * words into W[0 .. block-1]; the kernel expands the rest in place (SHA-512 uses all 160) and
 * never writes W[0 .. block-1] (keyHmac relies on it to load the key once). Allocated by the first
 * loadWords(), which every hash starts with, so importing the module does no work.
 */
export let W: Int32Array;

/** One hash algorithm as HMAC-OTP needs it. SHA-512's 64-bit words are stored as (hi, lo) pairs. */
export interface MdHash {
  /** Compresses the block held in W starting from `state`; writes the result to `out` (may alias `state`). */
  compress(state: Int32Array, out: Int32Array): void;
  /** Initial hash value, as 32-bit words (read only). */
  iv(): Int32Array;
  /** Block size in 32-bit words: 16, or 32 for SHA-512. */
  block: number;
  /** Digest size in 32-bit words: 5, 8 or 16. */
  digest: number;
}

/**
 * Loads `bytes` into W[0 .. count-1] as big-endian words, bytes past the end read as 0. Byte by
 * byte and never past the end: an out-of-bounds typed-array read is a slow path in V8 (keys are
 * usually shorter than the block).
 */
export function loadWords(bytes: Uint8Array, count: number): void {
  const w = (W ??= new Int32Array(160));
  for (let i = 0; i < count * 4; i++) {
    // Four shifts push out whatever the word held before.
    w[i >> 2] = (w[i >> 2]! << 8) | (i < bytes.length ? bytes[i]! : 0);
  }
}

/** Writes 32-bit words as big-endian bytes. */
export function wordsToBytes(words: Int32Array, count: number): Uint8Array {
  const out = new Uint8Array(count * 4);
  // A Uint8Array store keeps the low 8 bits of the shifted word.
  for (let i = 0; i < count * 4; i++) out[i] = words[i >> 2]! >> (24 - 8 * (i & 3));
  return out;
}

/** The full hash of arbitrary bytes (FIPS 180-4 §5.1 padding). Only for HMAC keys longer than a block. */
export function mdHash(h: MdHash, data: Uint8Array): Uint8Array {
  const blockBytes = h.block * 4;
  // 0x80, then the bit length in the last 8 (SHA-1/256) or 16 (SHA-512) bytes.
  const padded = new Uint8Array(Math.ceil((data.length + 1 + blockBytes / 8) / blockBytes) * blockBytes);
  padded.set(data);
  padded[data.length] = 0x80;
  // Big-endian bit length, byte by byte from the end; a Uint8Array store keeps the low 8 bits.
  for (let i = padded.length - 1, bits = data.length * 8; bits >= 1; i--, bits /= 256) padded[i] = bits;
  const state = h.iv().slice();
  for (let offset = 0; offset < padded.length; offset += blockBytes) {
    loadWords(padded.subarray(offset), h.block);
    h.compress(state, state);
  }
  return wordsToBytes(state, h.digest);
}
