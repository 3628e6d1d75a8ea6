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
  /** A string argument (user id, label, actor, …) holds a control character or a lone surrogate. */
  | 'INVALID_INPUT'
  | 'UNSUPPORTED_RUNTIME';

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
 * There is one MfaError class per installed mfakit, whichever subpath threw and whether the ESM or the CJS
 * build is loaded (the CJS build loads this class from the ESM one through require(esm)), so
 * `instanceof MfaError` holds everywhere in one app.
 */
export class MfaError extends Error {
  /** Stable machine-readable code. */
  readonly code: MfaErrorCode;

  constructor(code: MfaErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MfaError';
    this.code = code;
  }
}

/**
 * Type guard for {@link MfaError}, optionally narrowed to one code.
 *
 * @example Answering a store outage with 503
 * ```ts
 * import { createMfa, isMfaError, MemoryStore } from 'mfakit';
 * const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme' });
 * try {
 *   await mfa.verifyLogin('alice', '123456');
 * } catch (err) {
 *   if (isMfaError(err, 'STORE_UNAVAILABLE')) console.log(503); // the code is not consumed
 *   else throw err;
 * }
 * ```
 */
export function isMfaError(err: unknown, code?: MfaErrorCode): err is MfaError {
  return err instanceof MfaError && (code === undefined || err.code === code);
}
