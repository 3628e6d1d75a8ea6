// SHA-2 constants (FIPS 180-4 §4.2.2, §4.2.3, §5.3.3, §5.3.5), derived instead of stored: they are
// the fractional bits of the cube roots (K) and square roots (IV) of the first primes, and the
// SHA-256 words are the upper halves of the SHA-512 ones. Deriving them costs ~150 bytes of code
// against ~1 KB of gzipped tables, and runs once, on first use of SHA-256 or SHA-512.
// Verified by the test that compares both hashes with @noble/hashes.

let tables: Int32Array | undefined;

/** floor(n^(1/k)) for bigint n, by Newton's method from above. */
function root(n: bigint, k: bigint): bigint {
  let x = BigInt(Math.floor(Number(n) ** (1 / Number(k)))) + (1n << 32n);
  for (;;) {
    const y = ((k - 1n) * x + n / x ** (k - 1n)) / k;
    if (y >= x) return x;
    x = y;
  }
}

/**
 * 176 words: SHA-512 K as 80 (hi, lo) pairs, then the SHA-512 IV as 8 pairs. SHA-256 K[i] is
 * word 2i, the SHA-256 IV word i is word 160 + 2i.
 */
export function sha2Tables(): Int32Array {
  if (tables) return tables;
  const t = new Int32Array(176);
  const mask = (1n << 64n) - 1n;
  for (let p = 2, i = 0; i < 80; p++) {
    let prime = true;
    for (let d = 2; d * d <= p; d++) if (p % d === 0) prime = false;
    if (!prime) continue;
    const P = BigInt(p);
    const words = i < 8 ? [root(P << 192n, 3n), root(P << 128n, 2n)] : [root(P << 192n, 3n)];
    words.forEach((v, j) => {
      const at = j === 0 ? 2 * i : 160 + 2 * i;
      v &= mask;
      t[at] = Number(v >> 32n);
      t[at + 1] = Number(v & 0xffffffffn);
    });
    i++;
  }
  return (tables = t);
}
