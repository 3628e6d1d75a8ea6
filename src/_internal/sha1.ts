// SHA-1 compression kernel (FIPS 180-4 §6.1), specialised for HOTP: every HMAC message here fits in
// one block once the key pads are precomputed, so the hot path is two compressions on a reused
// scratch buffer and allocates nothing. Module-level scratch is safe: everything here is synchronous.

/** Message schedule scratch; callers fill W[0..15] before calling {@link sha1Compress}. */
export const W = new Int32Array(80);

export const SHA1_IV: Int32Array = Int32Array.of(0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0);

/** One SHA-1 compression of the block in W[0..15], starting from `state`, result in `out`. */
export function sha1Compress(state: Int32Array, out: Int32Array): void {
  const w = W;
  for (let i = 16; i < 80; i++) {
    const x = w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!;
    w[i] = (x << 1) | (x >>> 31);
  }
  let a = state[0]!, b = state[1]!, c = state[2]!, d = state[3]!, e = state[4]!;
  let i = 0;
  for (; i < 20; i++) {
    const t = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[i]!) | 0;
    e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t;
  }
  for (; i < 40; i++) {
    const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[i]!) | 0;
    e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t;
  }
  for (; i < 60; i++) {
    const t = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + 0x8f1bbcdc + w[i]!) | 0;
    e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t;
  }
  for (; i < 80; i++) {
    const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0xca62c1d6 + w[i]!) | 0;
    e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t;
  }
  out[0] = (state[0]! + a) | 0;
  out[1] = (state[1]! + b) | 0;
  out[2] = (state[2]! + c) | 0;
  out[3] = (state[3]! + d) | 0;
  out[4] = (state[4]! + e) | 0;
}

/** Plain SHA-1 of arbitrary bytes (only used for HMAC keys longer than one block). */
export function sha1(data: Uint8Array): Uint8Array {
  const blocks = Math.ceil((data.length + 9) / 64);
  const padded = new Uint8Array(blocks * 64);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  const bits = data.length * 8;
  view.setUint32(padded.length - 8, Math.floor(bits / 0x100000000));
  view.setUint32(padded.length - 4, bits >>> 0);
  const state = Int32Array.from(SHA1_IV);
  for (let blk = 0; blk < blocks; blk++) {
    for (let j = 0; j < 16; j++) W[j] = view.getInt32(blk * 64 + j * 4);
    sha1Compress(state, state);
  }
  const out = new Uint8Array(20);
  const outView = new DataView(out.buffer);
  for (let j = 0; j < 5; j++) outView.setInt32(j * 4, state[j]!);
  return out;
}
