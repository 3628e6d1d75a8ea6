// SHA-256 and SHA-512 compression (FIPS 180-4 §6.2, §6.4) in one routine, for HMAC-SHA256/512
// TOTP (RFC 6238 §1.2). The two differ only in word size, rotation amounts, constants and round
// count, so one body serves both: every word is a pair of 32-bit halves kept in two arrays (high,
// low); for SHA-256 only the low halves matter (the high ones may hold garbage, which never flows
// into a low half). The working variables a..h live in a ring indexed by round, so a round writes
// two words instead of shifting eight. Written for size, not speed: together with the derived
// constants both hashes cost ~0.6 KB gz; SHA-1, the default, has its own fast kernel.
import { W, type MdHash } from './md.js';
import { sha2Tables } from './sha2-constants.js';

// Σ0, Σ1, σ0, σ1 rotation/shift amounts (FIPS 180-4 §4.1.2, §4.1.3).
const R256 = [2, 13, 22, 6, 11, 25, 7, 18, 3, 17, 19, 10];
const R512 = [28, 34, 39, 14, 18, 41, 1, 8, 7, 19, 61, 6];

// Message schedule and working variables, high and low halves.
const WH = new Int32Array(80);
const WL = new Int32Array(80);
const VH = new Int32Array(8);
const VL = new Int32Array(8);
let wide = false;
let sh = 0; // high half of the last sig()

const carry = (sum: number): number => (sum / 0x100000000) | 0;
// 64-bit rotate right by n (1..63, never 32) of (h, l): low half. lo(l, l, n) is a 32-bit rotation;
// lo(l, h, n) is the high half.
const lo = (h: number, l: number, n: number): number => (n < 32 ? (l >>> n) | (h << (32 - n)) : (h >>> (n - 32)) | (l << (64 - n)));

/** rotr a ^ rotr b ^ (shift ? shr c : rotr c) of the word (h, l), a b c from r[at..]: returns the low half, sets `sh`. */
function sig(h: number, l: number, r: number[], at: number, shift: boolean): number {
  const a = r[at]!, b = r[at + 1]!, c = r[at + 2]!;
  if (!wide) h = l;
  sh = lo(l, h, a) ^ lo(l, h, b) ^ (shift ? h >>> c : lo(l, h, c));
  return lo(h, l, a) ^ lo(h, l, b) ^ (shift ? (l >>> c) | (wide ? h << (32 - c) : 0) : lo(h, l, c));
}

/** Adds (h, l-sum with pending carry) into word i of (hs, ls). */
function add(hs: Int32Array, ls: Int32Array, i: number, h: number, l: number): void {
  const sum = (ls[i]! >>> 0) + (l >>> 0);
  hs[i] = hs[i]! + h + carry(sum);
  ls[i] = sum;
}

function compress(isWide: boolean, state: Int32Array, out: Int32Array): void {
  wide = isWide;
  const k = sha2Tables();
  const r = isWide ? R512 : R256;
  const n = isWide ? 1 : 0;
  for (let j = 0; j < 16; j++) {
    WH[j] = n * W[2 * j]!;
    WL[j] = W[j + n * (j + 1)]!;
    if (j < 8) (VH[j] = n * state[2 * j]!), (VL[j] = state[j + n * (j + 1)]!);
  }
  for (let t = 0; t < 64 + 16 * n; t++) {
    if (t > 15) {
      // W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16]
      const s1 = sig(WH[t - 2]!, WL[t - 2]!, r, 9, true), s1h = sh;
      const s0 = sig(WH[t - 15]!, WL[t - 15]!, r, 6, true);
      const l = (s1 >>> 0) + (s0 >>> 0) + (WL[t - 7]! >>> 0) + (WL[t - 16]! >>> 0);
      WH[t] = s1h + sh + WH[t - 7]! + WH[t - 16]! + carry(l);
      WL[t] = l;
    }
    // Variable j (a = 0 .. h = 7) sits at slot (j - t) mod 8.
    const a = -t & 7, b = (1 - t) & 7, c = (2 - t) & 7, d = (3 - t) & 7;
    const e = (4 - t) & 7, f = (5 - t) & 7, g = (6 - t) & 7, h = (7 - t) & 7;
    // T1 = h + Σ1(e) + Ch(e, f, g) + K[t] + W[t]
    const e1 = sig(VH[e]!, VL[e]!, r, 3, false);
    const t1l = (VL[h]! >>> 0) + (e1 >>> 0) + (((VL[e]! & VL[f]!) ^ (~VL[e]! & VL[g]!)) >>> 0) + (k[2 * t + n]! >>> 0) + (WL[t]! >>> 0);
    const t1h = VH[h]! + sh + ((VH[e]! & VH[f]!) ^ (~VH[e]! & VH[g]!)) + n * k[2 * t]! + WH[t]! + carry(t1l);
    // T2 = Σ0(a) + Maj(a, b, c); d += T1 (it becomes e); h = T1 + T2 (it becomes a)
    const a0 = sig(VH[a]!, VL[a]!, r, 0, false);
    const t2l = (a0 >>> 0) + (((VL[a]! & VL[b]!) ^ (VL[a]! & VL[c]!) ^ (VL[b]! & VL[c]!)) >>> 0);
    const t2h = sh + ((VH[a]! & VH[b]!) ^ (VH[a]! & VH[c]!) ^ (VH[b]! & VH[c]!)) + carry(t2l);
    add(VH, VL, d, t1h, t1l);
    VH[h] = t1h;
    VL[h] = t1l;
    add(VH, VL, h, t2h, t2l);
  }
  // 64 and 80 are multiples of 8: the ring is back at its start.
  for (let j = 0; j < 8; j++) {
    if (isWide) add(VH, VL, j, state[2 * j]!, state[2 * j + 1]!), (out[2 * j] = VH[j]!), (out[2 * j + 1] = VL[j]!);
    else out[j] = state[j]! + VL[j]!;
  }
}

let iv256: Int32Array | undefined;

/** SHA-256 (FIPS 180-4 §6.2). */
export const SHA256: MdHash = {
  compress: (state, out) => compress(false, state, out),
  iv: () => (iv256 ??= Int32Array.from({ length: 8 }, (_, i) => sha2Tables()[160 + 2 * i]!)),
  blockWords: 16,
  digestWords: 8,
};

/** SHA-512 (FIPS 180-4 §6.4). */
export const SHA512: MdHash = {
  compress: (state, out) => compress(true, state, out),
  iv: () => sha2Tables().subarray(160),
  blockWords: 32,
  digestWords: 16,
};
