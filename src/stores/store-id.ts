import { MfaError } from '../errors.js';

/**
 * Whether `id` can be stored exactly by every store: a string of well-formed UTF-16 (no lone
 * surrogate) without U+0000. Drivers encode strings as UTF-8 and replace a lone surrogate by U+FFFD,
 * so `'bob\uD800'` would reach the engine as `'bob\uFFFD'` and read, overwrite or delete another
 * user's record; PostgreSQL `text` cannot hold U+0000 at all.
 */
export function isStorableId(id: unknown): id is string {
  if (typeof id !== 'string') return false;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c === 0) return false;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = id.charCodeAt(i + 1); // NaN past the end
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}

/**
 * The error for an id {@link isStorableId} refuses, labelled like every store error
 * (`postgresStore.get: …`). The message never repeats the id.
 */
export function invalidStoreId(label: string): MfaError {
  return new MfaError('INVALID_INPUT', `${label}: id must be a string of well-formed Unicode without U+0000`);
}

/**
 * Throws `MfaError` `INVALID_INPUT` for an id {@link isStorableId} refuses. Stores check before an
 * id joins a batch, so a bad id fails its own call only.
 */
export function checkStoreId(label: string, id: unknown): asserts id is string {
  if (!isStorableId(id)) throw invalidStoreId(label);
}
