import type { StoredConfirmationToken } from '../../../confirmation-tokens.js';
import { isInt, isObject, isText } from '../slice-check.js';

/** The slice of `MfaRecord` the confirmation tokens own: the pending token's hash, purpose and expiry. */
export interface ConfirmationTokensSlice {
  readonly confirmation?: StoredConfirmationToken | null;
}

/** @internal Validates a stored `confirmation` slice; the problem, or null. */
export function confirmationProblem(c: unknown): string | null {
  return isObject(c) && isText(c.purpose) && isText(c.hash) && isInt(c.createdAt) && isInt(c.expiresAt) ? null : 'confirmation';
}

// The slice joins `MfaRecord` from here, so the record module never imports a feature.
declare module '../../record.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merged into MfaRecord
  interface MfaRecord extends ConfirmationTokensSlice {}
}
