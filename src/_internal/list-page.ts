// Shared by every store's `list`: the option checks and the id order (Unicode code points, which
// is the byte order of UTF-8: what PostgreSQL `COLLATE "C"`, SQLite's BINARY collation on a UTF-8
// database and Redis' lexicographic sorted-set ranges use).
import { MfaError } from '../errors.js';
import { isWellFormedText } from './text.js';

/** Largest page a store lists at once. */
export const MAX_LIST_LIMIT = 1000;

/** The checked options of a `list` call; throws INVALID_OPTION / INVALID_INPUT naming `label`. */
export function listOptions(label: string, options: unknown): { after: string | null; limit: number } {
  const o = (options ?? {}) as { after?: unknown; limit?: unknown };
  const limit = o.limit;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new MfaError('INVALID_OPTION', `${label}: limit must be an integer from 1 to ${MAX_LIST_LIMIT}`);
  }
  const after = o.after ?? null;
  if (after !== null && typeof after !== 'string') throw new MfaError('INVALID_OPTION', `${label}: after must be a string or null`);
  if (after !== null && (after.includes('\u0000') || !isWellFormedText(after))) {
    throw new MfaError('INVALID_INPUT', `${label}: after must be well-formed Unicode without U+0000`);
  }
  return { after, limit };
}

/**
 * Compares two strings by code point (JavaScript's `<` compares UTF-16 units, which puts U+10000…
 * before U+E000…U+FFFF). Negative, zero or positive, like a sort comparator.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800–DFFF) encode code points above FFFF: move them after E000–FFFF.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}
