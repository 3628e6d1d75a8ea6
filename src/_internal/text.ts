// Strings the application hands to mfakit (user ids, labels, issuer, actor, scope names, purposes,
// destinations) end up in store keys, JSON columns, otpauth URIs, audit events and logs. Some values
// break a store for everyone who shares a batch with them: PostgreSQL `jsonb` and `text` refuse
// U+0000, and a lone surrogate has no UTF-8 spelling, so drivers replace it with U+FFFD (two ids
// become one key) or fail the whole statement. Control characters forge log lines and URI labels.
// One check here, called by every entry point before anything reaches a store.
import { MfaError } from '../errors.js';

/** C0 and C1 control characters and DEL: never meaningful in an id, a label or a log field. */
export const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Whether `value` is well-formed UTF-16: every high surrogate followed by a low one, no low one first. */
export function isWellFormedText(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    const next = i + 1 < value.length ? value.charCodeAt(i + 1) : 0;
    if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++;
      continue;
    }
    return false;
  }
  return true;
}

/** What is wrong with `value` as stored text, or null when it is fine. */
export function textProblem(value: string): 'control character' | 'lone surrogate' | null {
  if (CONTROL.test(value)) return 'control character';
  return isWellFormedText(value) ? null : 'lone surrogate';
}

/**
 * Throws {@link MfaError} `INVALID_INPUT` when `value` holds a control character (U+0000 included)
 * or is not well-formed UTF-16 (a lone surrogate). The message names the field, never the value.
 */
export function checkText(name: string, value: string): string {
  const problem = textProblem(value);
  if (problem !== null) throw new MfaError('INVALID_INPUT', `${name} must not contain a ${problem}`);
  return value;
}
