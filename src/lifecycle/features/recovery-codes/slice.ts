// The record field the recovery-code feature owns, `recoveryCodes`: validated on every read and,
// when it still holds schema 1's per-code records (or a record rewritten by a service without the
// feature kept them), packed into one set.
import type { StoredRecoveryCode } from '../../../recovery-codes.js';
import { packRecoveryCodes, recoveryCodeSetProblem, type StoredRecoveryCodeSet } from '../../../recovery-code-set.js';

/** @internal What is wrong with a stored `recoveryCodes` (a set, or per-code records), or null. */
export function recoveryCodesProblem(value: unknown): string | null {
  if (!Array.isArray(value)) return recoveryCodeSetProblem(value);
  try {
    packRecoveryCodes(value as StoredRecoveryCode[]);
    return null;
  } catch {
    return 'recoveryCodes entry';
  }
}

/** @internal A valid stored `recoveryCodes` as a set. */
export function readRecoveryCodes(value: unknown): StoredRecoveryCodeSet | null {
  return Array.isArray(value) ? packRecoveryCodes(value as StoredRecoveryCode[]) : (value as StoredRecoveryCodeSet);
}
