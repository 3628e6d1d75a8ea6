import { decodeBase32, encodeBase32 } from './base32.js';
import { MfaError } from './errors.js';
import { checkInteger } from './_internal/check.js';

/** Options of {@link formatManualKey}. */
export interface FormatManualKeyOptions {
  /** Characters per group. Default 4 (`GEZD GNBV ...`), what authenticator apps show. */
  groupSize?: number;
  /**
   * What goes between groups. Default `' '`. Only separators that {@link decodeBase32} skips are
   * allowed, so whatever a user copies back is accepted.
   */
  separator?: ' ' | '-';
}

/**
 * Formats a secret as the key a user types into an authenticator when they cannot scan the QR
 * code: canonical upper-case base32 without padding, in groups of four.
 *
 * The output is accepted back, as typed or pasted (any case, any spacing), by the tolerant
 * {@link decodeBase32}.
 *
 * @param secret - secret bytes, or base32 text in any accepted form (it is normalised)
 * @throws {@link MfaError} `INVALID_BASE32` if a string secret is not base32; `INVALID_OPTION`
 * for a bad group size or separator.
 * @example Showing the key next to the QR code
 * ```ts
 * import { formatManualKey } from 'mfakit';
 * formatManualKey('3qeyaiqakpc2a4enszexhl4oqlwj4xnc'); // '3QEY AIQA KPC2 A4EN SZEX HL4O QLWJ 4XNC'
 * ```
 * @see https://github.com/google/google-authenticator/wiki/Key-Uri-Format (secret parameter)
 */
export function formatManualKey(secret: Uint8Array | string, options: FormatManualKeyOptions = {}): string {
  const groupSize = checkInteger('groupSize', options.groupSize ?? 4, 1, 64);
  const separator = options.separator ?? ' ';
  if (separator !== ' ' && separator !== '-') {
    throw new MfaError('INVALID_OPTION', "separator must be ' ' or '-'");
  }
  let text: string;
  if (typeof secret === 'string') text = encodeBase32(decodeBase32(secret));
  else if (secret instanceof Uint8Array) text = encodeBase32(secret);
  else throw new MfaError('INVALID_OPTION', 'secret must be a Uint8Array or a base32 string');
  const groups: string[] = [];
  for (let i = 0; i < text.length; i += groupSize) groups.push(text.slice(i, i + groupSize));
  return groups.join(separator);
}
