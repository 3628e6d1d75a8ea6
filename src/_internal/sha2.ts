// SHA-256 and SHA-512 compression (FIPS 180-4 §6.2, §6.4) in one routine, for HMAC-SHA256/512
// TOTP (RFC 6238 §1.2). The two differ only in word size, rotation amounts, constants and round
// count, so one body serves both: every word is a pair of 32-bit halves kept in two arrays (high,
// low); for SHA-256 only the low halves matter (the high ones may hold garbage, which never flows
// into a low half). Sums go through one 64-bit accumulator. Written for size, not speed: with the
// derived constants both hashes cost ~0.7 KB gz; SHA-1, the default, has its own fast kernel.
import { W, type MdHash } from './md.js';
import { sha2Tables } from './sha2-constants.js';

// Σ0, Σ1, σ0, σ1 rotation/shift amounts (FIPS 180-4 §4.1.2, §4.1.3).
const R256 = [2, 13, 22, 6, 11, 25, 7, 18, 3, 17, 19, 10];
const R512 = [28, 34, 39, 14, 18, 41, 1, 8, 7, 19, 61, 6];

// Message schedule; working variables a..h at 0..7 and T1 at 8; high and low halves.
// Allocated by each compression (no work at import).
let WH: Int32Array;
let WL: Int32Array;
let VH: Int32Array;
let VL: Int32Array;
let wide = false;
let r = R256;
// The accumulator: a sum of high halves and a sum of unsigned low halves, exact in doubles. A
// Float64Array rather than two `let`s: V8 would box every non-small-integer store to a module variable.
let ACC: Float64Array;

const acc = (h: number, l: number): void => {
  ACC[0]! += h;
  ACC[1]! += l >>> 0;
};

/** Stores the accumulated sum mod 2^64 as word i of (hs, ls) and clears the accumulator. */
function take(hs: Int32Array, ls: Int32Array, i: number): void {
  const low = ACC[1]!;
  hs[i] = ACC[0]! + ((low / 0x100000000) | 0);
  ls[i] = low;
  ACC[0] = ACC[1] = 0;
}

// 64-bit rotate right by n (1..63, never 32) of (h, l): the low half. rot(l, h, n) is the high
// half; rot(l, l, n) is a 32-bit rotation.
const rot = (h: number, l: number, n: number): number => (n < 32 ? (l >>> n) | (h << (32 - n)) : (h >>> (n - 32)) | (l << (64 - n)));
const ch = (x: number, y: number, z: number): number => (x & y) ^ (~x & z);
const maj = (x: number, y: number, z: number): number => (x & y) ^ (x & z) ^ (y & z);

/** Accumulates word i of (hs, ls). */
const add = (hs: Int32Array, ls: Int32Array, i: number): void => acc(hs[i]!, ls[i]!);

/** Accumulates f of the words i, j, k of (VH, VL). */
const bits = (f: typeof ch, i: number, j: number, k: number): void => acc(f(VH[i]!, VH[j]!, VH[k]!), f(VL[i]!, VL[j]!, VL[k]!));

/** Accumulates rotr a ^ rotr b ^ (shift ? shr c : rotr c) of word i of (hs, ls), with a b c = r[at..]. */
function sig(hs: Int32Array, ls: Int32Array, i: number, at: number, shift: boolean): void {
  const a = r[at]!, b = r[at + 1]!, c = r[at + 2]!, l = ls[i]!, h = wide ? hs[i]! : l;
  acc(
    rot(l, h, a) ^ rot(l, h, b) ^ (shift ? h >>> c : rot(l, h, c)),
    rot(h, l, a) ^ rot(h, l, b) ^ (shift ? (l >>> c) | (wide ? h << (32 - c) : 0) : rot(h, l, c)),
  );
}

function compress(isWide: boolean, state: Int32Array, out: Int32Array): void {
  // Fresh scratch per compression: next to the 80+ rounds it costs nothing, and no check is needed.
  (WH = new Int32Array(80)), (WL = new Int32Array(80)), (VH = new Int32Array(9)), (VL = new Int32Array(9)), (ACC = new Float64Array(2));
  wide = isWide;
  r = isWide ? R512 : R256;
  const k = sha2Tables();
  const n = isWide ? 1 : 0;
  for (let j = 0; j < 16; j++) {
    WH[j] = n * W[2 * j]!;
    WL[j] = W[j + n * (j + 1)]!;
    if (j < 8) (VH[j] = n * state[2 * j]!), (VL[j] = state[j + n * (j + 1)]!);
  }
  for (let t = 0; t < 64 + 16 * n; t++) {
    if (t > 15) {
      // W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16]
      sig(WH, WL, t - 2, 9, true);
      add(WH, WL, t - 7);
      sig(WH, WL, t - 15, 6, true);
      add(WH, WL, t - 16);
      take(WH, WL, t);
    }
    // T1 = h + Σ1(e) + Ch(e, f, g) + K[t] + W[t]
    add(VH, VL, 7);
    sig(VH, VL, 4, 3, false);
    bits(ch, 4, 5, 6);
    acc(n * k[2 * t]!, k[2 * t + n]!);
    add(WH, WL, t);
    take(VH, VL, 8);
    // d += T1 (it becomes e); shift a..g into b..h
    add(VH, VL, 8);
    add(VH, VL, 3);
    take(VH, VL, 3);
    VH.copyWithin(1, 0, 7);
    VL.copyWithin(1, 0, 7);
    // a = T1 + Σ0(a) + Maj(a, b, c), the old a b c now at 1 2 3
    add(VH, VL, 8);
    sig(VH, VL, 1, 0, false);
    bits(maj, 1, 2, 3);
    take(VH, VL, 0);
  }
  for (let j = 0; j < 8; j++) {
    if (isWide) {
      acc(state[2 * j]!, state[2 * j + 1]!);
      add(VH, VL, j);
      take(VH, VL, j);
      out[2 * j] = VH[j]!;
      out[2 * j + 1] = VL[j]!;
    } else out[j] = state[j]! + VL[j]!;
  }
}

/** SHA-256 (FIPS 180-4 §6.2). */
export const SHA256: MdHash = {
  compress: (state, out) => compress(false, state, out),
  iv: () => sha2Tables().subarray(176),
  block: 16,
  digest: 8,
};

/** SHA-512 (FIPS 180-4 §6.4). */
export const SHA512: MdHash = {
  compress: (state, out) => compress(true, state, out),
  iv: () => sha2Tables().subarray(160, 176),
  block: 32,
  digest: 16,
};
