import type { OneTimeCodeState } from '../../../one-time-codes.js';
import { isInt, isObject, isText } from '../slice-check.js';

/** The slice of `MfaRecord` the e-mail/SMS codes own: the pending code (a hash) and the send history. */
export interface OneTimeCodesSlice {
  readonly oneTimeCodes?: OneTimeCodeState | null;
}

/** @internal Validates a stored `oneTimeCodes` slice; the problem, or null. */
export function oneTimeCodesProblem(value: unknown): string | null {
  if (!isObject(value) || !Array.isArray(value.sentAt) || value.sentAt.length > 10_000 || !value.sentAt.every(isInt)) return 'oneTimeCodes';
  const sentFor = value.sentFor;
  if (sentFor !== undefined && (!Array.isArray(sentFor) || sentFor.length !== value.sentAt.length || !sentFor.every((p) => p === '' || isText(p, 64)))) {
    return 'oneTimeCodes.sentFor';
  }
  const c = value.challenge;
  if (c === null) return null;
  if (
    !isObject(c) ||
    !isText(c.purpose, 64) ||
    !isText(c.salt) ||
    !isText(c.hash) ||
    typeof c.peppered !== 'boolean' ||
    !isInt(c.digits) ||
    !isInt(c.createdAt) ||
    !isInt(c.expiresAt) ||
    !isInt(c.attempts) ||
    !isInt(c.maxAttempts)
  ) {
    return 'oneTimeCodes.challenge';
  }
  return null;
}

// The slice joins `MfaRecord` from here, so the record module never imports a feature.
declare module '../../record.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merged into MfaRecord
  interface MfaRecord extends OneTimeCodesSlice {}
}
