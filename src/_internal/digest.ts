// SHA-256 digests and constant-time comparison for the secrets mfakit stores only as hashes
// (API passwords, one-time codes, confirmation tokens, recovery codes).
import { hmacSha256, sha256 } from './sha256.js';
import { utf8Encode } from './utf8.js';

/** SHA-256 of the UTF-8 encoding of `text`. */
export function sha256Text(text: string): Uint8Array {
  return sha256(utf8Encode(text));
}

/** HMAC-SHA-256 of the UTF-8 encoding of `text` under `key`. */
export function hmacSha256Text(key: Uint8Array, text: string): Uint8Array {
  return hmacSha256(key, utf8Encode(text));
}

/**
 * True when `a` and `b` hold the same bytes. Time depends only on the lengths, never on where the
 * first difference is.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return findDigest([a], b) === 0;
}

/**
 * Index of the entry of `candidates` equal to `digest`, or -1; a null entry never matches (a
 * malformed record, or one the caller excludes). Every entry is compared in full, there is no early
 * exit, and the selection is branch-free, so timing reveals neither whether nor which one matched.
 */
export function findDigest(candidates: readonly (Uint8Array | null)[], digest: Uint8Array): number {
  let found = -1;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i] ?? null;
    // A null entry is compared against `digest` itself, so it costs what a real entry costs; diff 1 marks it.
    const bytes = c ?? digest;
    let diff = (c === null ? 1 : 0) | (bytes.length ^ digest.length);
    const n = Math.min(bytes.length, digest.length);
    for (let j = 0; j < n; j++) diff |= bytes[j]! ^ digest[j]!;
    // diff >= 0; diff === 0 → mask -1, else 0.
    const mask = -((diff - 1) >>> 31);
    found = (found & ~mask) | (i & mask);
  }
  return found;
}
