// A minimal PNG (ISO/IEC 15948) encoder for two-colour images: 1 bit per pixel with a two-entry
// palette, one IDAT compressed by ./deflate.ts. Pure and synchronous; runs in any JS runtime.
import { zlibDeflate } from './deflate.js';

const CRC_TABLE = /* @__PURE__ */ (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as PNG uses it (ISO 3309, PNG spec §5.5). */
export function crc32(data: Uint8Array, start = 0, end = data.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** An RGB colour as three bytes. */
export type Rgb = readonly [number, number, number];

/** Options of {@link encodeBilevelPng}. */
export interface BilevelPngInput {
  width: number;
  height: number;
  /** True where the pixel takes the foreground colour. */
  pixel: (x: number, y: number) => boolean;
  foreground: Rgb;
  background: Rgb;
}

/** Encodes a two-colour image as an indexed PNG, 1 bit per pixel (index 1 = foreground). */
export function encodeBilevelPng(input: BilevelPngInput): Uint8Array {
  const { width, height, pixel } = input;
  const stride = Math.ceil(width / 8) + 1; // filter byte + packed pixels
  const raw = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const row = y * stride; // filter type 0 (None)
    for (let x = 0; x < width; x++) {
      if (pixel(x, y)) raw[row + 1 + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 3; // colour type: indexed
  // compression 0, filter 0, interlace 0
  const plte = Uint8Array.from([...input.background, ...input.foreground]);
  const chunks = [chunk('IHDR', ihdr), chunk('PLTE', plte), chunk('IDAT', zlibDeflate(raw, [1, stride])), chunk('IEND', new Uint8Array(0))];
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const out = new Uint8Array(signature.length + chunks.reduce((n, c) => n + c.length, 0));
  out.set(signature, 0);
  let o = signature.length;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}
