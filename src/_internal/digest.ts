// SHA-256 digests and constant-time comparison for the secrets mfakit stores only as hashes
// (API passwords, one-time codes, confirmation tokens).
import { sha256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';

const utf8 = new TextEncoder();

/** SHA-256 of the UTF-8 encoding of `text`. */
export function sha256Text(text: string): Uint8Array {
  return sha256(utf8.encode(text));
}

/** HMAC-SHA-256 of the UTF-8 encoding of `text` under `key`. */
export function hmacSha256Text(key: Uint8Array, text: string): Uint8Array {
  return hmac(sha256, key, utf8.encode(text));
}

/**
 * True when `a` and `b` hold the same bytes. Time depends only on the lengths, never on where the
 * first difference is.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * Index of the entry of `candidates` equal to `digest`, or -1. Every candidate is compared in full
 * and the selection is branch-free, so timing reveals neither whether nor which one matched.
 */
export function findDigest(candidates: readonly (Uint8Array | null)[], digest: Uint8Array): number {
  let found = -1;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    let diff = c == null || c.length !== digest.length ? 1 : 0;
    if (c != null) {
      const n = Math.min(c.length, digest.length);
      for (let j = 0; j < n; j++) diff |= c[j]! ^ digest[j]!;
    }
    const mask = -((diff === 0) as unknown as number); // 0 or -1
    found = (found & ~mask) | (i & mask);
  }
  return found;
}
