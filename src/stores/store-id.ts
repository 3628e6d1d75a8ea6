import { MfaError } from '../errors.js';
import { isWellFormedText } from '../_internal/text.js';

/**
 * Whether `id` can be stored exactly by every store: a string of well-formed UTF-16 (no lone
 * surrogate) without U+0000. Drivers encode strings as UTF-8 and replace a lone surrogate by U+FFFD,
 * so `'bob\uD800'` would reach the engine as `'bob\uFFFD'` and read, overwrite or delete another
 * user's record; PostgreSQL `text` cannot hold U+0000 at all.
 */
export function isStorableId(id: unknown): id is string {
  return typeof id === 'string' && !id.includes('\u0000') && isWellFormedText(id);
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
