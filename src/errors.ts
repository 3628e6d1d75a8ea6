/**
 * Stable error codes of {@link MfaError}. Switch on `err.code`, never on the message.
 *
 * Configuration and misuse throw; a wrong code typed by a user never does (it is a result).
 */
export type MfaErrorCode =
  | 'INVALID_BASE32'
  | 'SECRET_TOO_SHORT'
  | 'INVALID_OPTION'
  | 'UNSUPPORTED_ALGORITHM'
  | 'INVALID_LABEL'
  | 'INVALID_URI'
  | 'INVALID_RECORD'
  | 'INVALID_STATE'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'STORE_UNAVAILABLE'
  | 'CIPHER_FAILURE'
  | 'SENDER_FAILURE'
  | 'QR_ENCODER_MISSING'
  | 'UNSUPPORTED_RUNTIME';

// Marks every MfaError, whichever copy of this module made it: the ESM and the CJS build loaded in
// one process (a dual-package app) or two installed copies each have their own class, and
// `instanceof` must still hold across them. Symbol.for is the one registry they share.
const BRAND = /* @__PURE__ */ Symbol.for('mfakit.MfaError');

/**
 * The one error type mfakit throws. `code` is stable across versions; `message` is for humans and
 * never contains a secret, code, token or hash.
 *
 * @example Handling a configuration error
 * ```ts
 * import { decodeBase32, MfaError } from 'mfakit';
 * try {
 *   decodeBase32('not base32!');
 * } catch (err) {
 *   if (err instanceof MfaError && err.code === 'INVALID_BASE32') console.log('bad secret');
 * }
 * ```
 *
 * `instanceof MfaError` holds for an error thrown by any copy of mfakit in the process (its ESM and
 * CJS builds, every subpath): the check looks for a shared brand, not for this exact class.
 */
export class MfaError extends Error {
  /** True for any MfaError, from any loaded copy of mfakit; subclasses keep normal `instanceof`. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== MfaError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  /** Stable machine-readable code. */
  readonly code: MfaErrorCode;

  constructor(code: MfaErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MfaError';
    this.code = code;
  }

  /** The brand `instanceof` looks for: on the prototype, so it is no own property (JSON, inspect). */
  get [BRAND](): true {
    return true;
  }
}

/** Type guard for {@link MfaError}, optionally narrowed to one code. */
export function isMfaError(err: unknown, code?: MfaErrorCode): err is MfaError {
  return err instanceof MfaError && (code === undefined || err.code === code);
}
