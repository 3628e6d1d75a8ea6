import type { StoredApiPassword } from '../../../api-credentials.js';
import { isInt, isObject, isText } from '../slice-check.js';

/** The slice of `MfaRecord` the API passwords own: their hashes, ids, labels and dates. */
export interface ApiPasswordsSlice {
  readonly apiPasswords?: readonly StoredApiPassword[] | null;
  /**
   * What the store's lookup index holds for this record (`MfaLookupStore`): `apikey:<id>` for each
   * API password, so `verifyApiKey` finds the owner of a key. Written with `apiPasswords`.
   */
  readonly lookupKeys?: readonly string[] | null;
}

/** @internal Validates a stored `apiPasswords` slice; the problem, or null. */
export function apiPasswordsProblem(list: unknown): string | null {
  if (!Array.isArray(list) || list.length > 1000) return 'apiPasswords';
  const ok = list.every((p: unknown) => isObject(p) && isText(p.id) && typeof p.label === 'string' && isText(p.hash) && isInt(p.createdAt));
  return ok ? null : 'apiPasswords entry';
}

// The slice joins `MfaRecord` from here, so the record module never imports a feature.
declare module '../../record.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merged into MfaRecord
  interface MfaRecord extends ApiPasswordsSlice {}
}
