// A small zlib (RFC 1950) encoder over one fixed-Huffman deflate block (RFC 1951 §3.2.6). It looks
// for back-references at a few caller-chosen distances only (1 = runs of one byte, the row length
// = a row equal to the one above), which is all an upscaled QR bitmap needs: rows repeat `scale`
// times and modules are runs of equal bytes. Pure, synchronous, no platform APIs.

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const MAX_MATCH = 258;
const WINDOW = 32_768;

class BitWriter {
  readonly bytes: number[] = [];
  private acc = 0;
  private count = 0;

  /** Appends `n` bits of `value`, least significant first (deflate's bit order for data). */
  bits(value: number, n: number): void {
    this.acc |= value << this.count;
    this.count += n;
    while (this.count >= 8) {
      this.bytes.push(this.acc & 0xff);
      this.acc >>>= 8;
      this.count -= 8;
    }
  }

  /** Appends a Huffman code of `n` bits, most significant first (RFC 1951 §3.1.1). */
  code(code: number, n: number): void {
    let reversed = 0;
    for (let i = 0; i < n; i++) reversed |= ((code >>> i) & 1) << (n - 1 - i);
    this.bits(reversed, n);
  }

  flush(): void {
    if (this.count > 0) this.bytes.push(this.acc & 0xff);
    this.acc = 0;
    this.count = 0;
  }
}

function symbol(w: BitWriter, s: number): void {
  if (s < 144) w.code(0x30 + s, 8);
  else if (s < 256) w.code(0x190 + s - 144, 9);
  else if (s < 280) w.code(s - 256, 7);
  else w.code(0xc0 + s - 280, 8);
}

function slot(bases: number[], value: number): number {
  let i = bases.length - 1;
  while (bases[i]! > value) i--;
  return i;
}

function match(w: BitWriter, length: number, distance: number): void {
  const l = slot(LENGTH_BASE, length);
  symbol(w, 257 + l);
  w.bits(length - LENGTH_BASE[l]!, LENGTH_EXTRA[l]!);
  const d = slot(DIST_BASE, distance);
  w.code(d, 5);
  w.bits(distance - DIST_BASE[d]!, DIST_EXTRA[d]!);
}

/** Raw deflate of `data` as one fixed-Huffman block, matching only at `distances`. */
export function deflateRaw(data: Uint8Array, distances: readonly number[] = [1]): Uint8Array {
  const w = new BitWriter();
  w.bits(1, 1); // BFINAL
  w.bits(1, 2); // BTYPE = 01, fixed Huffman codes
  let i = 0;
  while (i < data.length) {
    let bestLength = 0;
    let bestDistance = 0;
    const limit = Math.min(MAX_MATCH, data.length - i);
    for (const d of distances) {
      if (d < 1 || d > i || d > WINDOW) continue;
      let n = 0;
      while (n < limit && data[i + n] === data[i + n - d]) n++;
      if (n > bestLength) {
        bestLength = n;
        bestDistance = d;
      }
    }
    if (bestLength >= 3) {
      match(w, bestLength, bestDistance);
      i += bestLength;
    } else {
      symbol(w, data[i]!);
      i++;
    }
  }
  symbol(w, 256); // end of block
  w.flush();
  return Uint8Array.from(w.bytes);
}

/** Adler-32 checksum (RFC 1950 §8.2). */
export function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; ) {
    const end = Math.min(i + 5552, data.length);
    for (; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** A zlib stream (RFC 1950): header, {@link deflateRaw} body, Adler-32 trailer. */
export function zlibDeflate(data: Uint8Array, distances?: readonly number[]): Uint8Array {
  const body = deflateRaw(data, distances);
  const out = new Uint8Array(body.length + 6);
  out[0] = 0x78; // CM = 8 (deflate), CINFO = 7 (32 KiB window)
  out[1] = 0x01; // FCHECK so that 0x7801 % 31 === 0, no dictionary, fastest-level hint
  out.set(body, 2);
  const sum = adler32(data);
  out[out.length - 4] = sum >>> 24;
  out[out.length - 3] = (sum >>> 16) & 0xff;
  out[out.length - 2] = (sum >>> 8) & 0xff;
  out[out.length - 1] = sum & 0xff;
  return out;
}
