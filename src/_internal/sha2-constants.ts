// SHA-2 constants (FIPS 180-4 §4.2.2, §4.2.3, §5.3.3, §5.3.5), derived instead of stored: they are
// the first 64 fractional bits of the cube roots (K) and square roots (IV) of the first primes, and
// the SHA-256 words are the upper halves of the SHA-512 ones. Deriving them costs ~0.2 KB of
// gzipped code against ~0.9 KB of gzipped tables, and runs once, on first use of SHA-256/512.
// Verified by the tests that compare both hashes with @noble/hashes.

let tables: Int32Array | undefined;

/** Stores the low 64 bits of floor(frac(p^(1/k)) · 2^64) as a (hi, lo) pair at `at`. */
function put(t: Int32Array, at: number, p: number, k: number): void {
  const n = BigInt(p) << BigInt(64 * k);
  const K = BigInt(k);
  // Newton's method for floor(n^(1/k)), from above (the float guess is within 2^20 of it).
  let x = BigInt(Math.floor(Number(n) ** (1 / k))) + (1n << 32n);
  let y: bigint;
  while ((y = ((K - 1n) * x + n / x ** (K - 1n)) / K) < x) x = y;
  t[at] = Number((x >> 32n) & 0xffffffffn);
  t[at + 1] = Number(x & 0xffffffffn);
}

/**
 * 184 words: SHA-512 K as 80 (hi, lo) pairs, the SHA-512 IV as 8 pairs, then the SHA-256 IV (the
 * high halves of the SHA-512 one). SHA-256 K[t] is word 2t.
 */
export function sha2Tables(): Int32Array {
  if (!tables) {
    tables = new Int32Array(184);
    for (let p = 2, i = 0; i < 80; p++) {
      let d = 2;
      while (p % d) d++;
      if (d < p) continue; // not a prime
      put(tables, 2 * i, p, 3);
      if (i < 8) put(tables, 160 + 2 * i, p, 2), (tables[176 + i] = tables[160 + 2 * i]!);
      i++;
    }
  }
  return tables;
}
