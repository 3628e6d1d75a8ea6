// Shared by every store's `list`: the option checks and the id order (Unicode code points, which
// is the byte order of UTF-8: what PostgreSQL `COLLATE "C"`, SQLite's BINARY collation on a UTF-8
// database and Redis' lexicographic sorted-set ranges use). Small: MemoryStore is in every bundle.
import { MfaError } from '../errors.js';
import { checkInteger } from './check.js';
import { isWellFormedText } from './text.js';

/** The checked options of a `list` call (limit 1–1000); throws INVALID_OPTION naming `label`. */
export function listOptions(label: string, options: unknown): { after: string | null; limit: number } {
  const { after = null, limit } = (options ?? {}) as { after?: unknown; limit?: unknown };
  checkInteger(`${label}: limit`, limit, 1, 1000);
  if (after !== null && (typeof after !== 'string' || after.includes('\u0000') || !isWellFormedText(after))) {
    throw new MfaError('INVALID_OPTION', `${label}: after must be null or an id`);
  }
  return { after, limit: limit as number };
}

/**
 * Compares two strings by code point (JavaScript's `<` compares UTF-16 units, which puts U+10000…
 * before U+E000…U+FFFF): at the first difference, `codePointAt` reads the whole character.
 */
export function compareCodePoints(a: string, b: string): number {
  for (let i = 0; ; i++) {
    const x = a.codePointAt(i) ?? -1;
    const y = b.codePointAt(i) ?? -1;
    if (x !== y || x < 0) return x - y;
  }
}
