// Shared frame of the Merkle–Damgård hashes used for HMAC-OTP (SHA-1, SHA-256, SHA-512): a
// descriptor per algorithm, one message-schedule scratch buffer, and a plain hash for the rare
// HMAC key longer than one block. Module-level scratch is safe: everything here is synchronous.

/**
 * Message-schedule scratch shared by every kernel: callers load the block's big-endian 32-bit
 * words into W[0 .. blockWords-1]; the kernel expands the rest in place (SHA-512 uses all 160).
 */
export const W = new Int32Array(160);

/** One hash algorithm as HMAC-OTP needs it. SHA-512's 64-bit words are stored as (hi, lo) pairs. */
export interface MdHash {
  /** Compresses the block held in W starting from `state`; writes the result to `out` (may alias `state`). */
  compress(state: Int32Array, out: Int32Array): void;
  /** Initial hash value, as 32-bit words (read only). */
  iv(): Int32Array;
  /** Block size in 32-bit words: 16, or 32 for SHA-512. */
  blockWords: number;
  /** Digest size in 32-bit words: 5, 8 or 16. */
  digestWords: number;
}

/** Loads `bytes[offset ..]` into W[0 .. count-1] as big-endian words (missing bytes read as 0), XOR `pad`. */
export function loadWords(bytes: Uint8Array, offset: number, count: number, pad: number): void {
  for (let j = 0; j < count; j++) {
    const o = offset + j * 4;
    W[j] = (((bytes[o] ?? 0) << 24) | ((bytes[o + 1] ?? 0) << 16) | ((bytes[o + 2] ?? 0) << 8) | (bytes[o + 3] ?? 0)) ^ pad;
  }
}

/** Writes 32-bit words as big-endian bytes. */
export function wordsToBytes(words: Int32Array, count: number): Uint8Array {
  const out = new Uint8Array(count * 4);
  for (let j = 0; j < count; j++) {
    const w = words[j]!;
    out[j * 4] = w >>> 24;
    out[j * 4 + 1] = w >>> 16;
    out[j * 4 + 2] = w >>> 8;
    out[j * 4 + 3] = w;
  }
  return out;
}

/** The full hash of arbitrary bytes (FIPS 180-4 §5.1 padding). Only for HMAC keys longer than a block. */
export function mdHash(h: MdHash, data: Uint8Array): Uint8Array {
  const blockBytes = h.blockWords * 4;
  // 0x80, then the bit length in the last 8 (SHA-1/256) or 16 (SHA-512) bytes.
  const padded = new Uint8Array(Math.ceil((data.length + 1 + blockBytes / 8) / blockBytes) * blockBytes);
  padded.set(data);
  padded[data.length] = 0x80;
  const bits = data.length * 8;
  const end = padded.length;
  for (let i = 0; i < 4; i++) padded[end - 1 - i] = (bits >>> (8 * i)) & 0xff;
  const high = Math.floor(bits / 0x100000000);
  for (let i = 0; i < 4; i++) padded[end - 5 - i] = (high >>> (8 * i)) & 0xff;
  const state = h.iv().slice();
  for (let offset = 0; offset < end; offset += blockBytes) {
    loadWords(padded, offset, h.blockWords, 0);
    h.compress(state, state);
  }
  return wordsToBytes(state, h.digestWords);
}
