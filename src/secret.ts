import { decodeBase32 } from './base32.js';
import { MfaError } from './errors.js';
import { cryptoRandom, type RandomSource } from './random.js';
import { checkInteger } from './_internal/check.js';

/** A shared secret: raw bytes, or base32 text (decoded tolerantly). */
export type SecretInput = Uint8Array | string;

/**
 * Minimum secret length RFC 4226 R6 allows: 128 bits. Shorter secrets throw `SECRET_TOO_SHORT`
 * unless the caller passes `allowShortSecret`.
 *
 * @example
 * ```ts
 * import { decodeBase32, MIN_SECRET_BYTES } from 'mfakit';
 * const imported = decodeBase32('JBSWY3DPEHPK3PXP'); // 10 bytes, from an old system
 * if (imported.length < MIN_SECRET_BYTES) console.log('ask the user to re-enrol');
 * ```
 * @see RFC 4226 §4 R6
 */
export const MIN_SECRET_BYTES = 16;

/** Options of {@link generateSecret}. */
export interface GenerateSecretOptions {
  /** Secret length in bytes. Default 20 (160 bits, RFC 4226 R6's recommendation). */
  bytes?: number;
  /** Random source; default WebCrypto. */
  rng?: RandomSource;
  /** Allow fewer than 16 bytes (not recommended; RFC 4226 R6 requires 128 bits). */
  allowShortSecret?: boolean;
}

/**
 * Generates a random shared secret for HOTP/TOTP.
 *
 * @throws {@link MfaError} `INVALID_OPTION` (bytes not an integer from 1 to 1024, or an rng that
 * returns something else than that many bytes), `SECRET_TOO_SHORT` (under 16 bytes without
 * `allowShortSecret`)
 * @example
 * ```ts
 * import { generateSecret, encodeBase32 } from 'mfakit';
 * const secret = generateSecret();      // 20 random bytes
 * const key = encodeBase32(secret);      // 32 base32 characters for the otpauth URI
 * ```
 * @see RFC 4226 §4 R6
 */
export function generateSecret(options: GenerateSecretOptions = {}): Uint8Array {
  const bytes = checkInteger('bytes', options.bytes ?? 20, 1, 1024);
  assertSecretLength(bytes, options.allowShortSecret);
  const out = (options.rng ?? cryptoRandom)(bytes);
  if (!(out instanceof Uint8Array) || out.length !== bytes) {
    throw new MfaError('INVALID_OPTION', 'rng must return a Uint8Array of the requested length');
  }
  return out;
}

/** @internal Throws SECRET_TOO_SHORT for secrets under 128 bits unless allowed. */
export function assertSecretLength(length: number, allowShort: boolean | undefined): void {
  if (length === 0 || (length < MIN_SECRET_BYTES && !allowShort)) {
    throw new MfaError('SECRET_TOO_SHORT', 'secret is under 128 bits (RFC 4226 R6); see allowShortSecret');
  }
}

/** @internal Normalises a {@link SecretInput} to bytes and checks its length. */
export function secretBytes(secret: SecretInput, allowShort: boolean | undefined): Uint8Array {
  const bytes = typeof secret === 'string' ? decodeBase32(secret) : secret;
  if (!(bytes instanceof Uint8Array)) throw new MfaError('INVALID_OPTION', 'secret must be a Uint8Array or base32 text');
  assertSecretLength(bytes.length, allowShort);
  return bytes;
}
