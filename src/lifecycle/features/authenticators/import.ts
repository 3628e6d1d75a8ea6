// Turning a secret from another system into an authenticator: the encodings other libraries store
// (otplib and pyotp: base32; speakeasy: ascii, hex, base32; base64), otpauth URIs and Google
// Authenticator exports. Pure; throws MfaError for data that cannot be imported, never echoing it.
import { decodeBase32 } from '../../../base32.js';
import { MfaError } from '../../../errors.js';
import type { OtpAlgorithm } from '../../../hotp.js';
import { parseMigrationUri } from '../../../migration-uri.js';
import { parseOtpauthUri } from '../../../otpauth-uri.js';
import { MIN_SECRET_BYTES } from '../../../secret.js';
import { decodeBase64, encodeBase64Url } from '../../../_internal/base64.js';
import { checkInteger } from '../../../_internal/check.js';
import type { ResolvedLifecycleOptions } from '../../options.js';
import type { SecretMethodState } from '../../record.js';
import { checkName } from './transitions.js';

/** How an imported secret is written. */
export type SecretEncoding = 'base32' | 'hex' | 'ascii' | 'base64';

/**
 * One authenticator to import: a secret with its parameters, or `uri` (an `otpauth://` URI).
 * Parameters left out take the other library's defaults: SHA1, 6 digits, 30 s, HOTP counter 0.
 */
export interface ImportAuthenticatorInput {
  /** The secret as the other system stored it (text in `encoding`, default base32), or bytes. */
  readonly secret?: string | Uint8Array;
  readonly encoding?: SecretEncoding;
  /** An `otpauth://totp/…` or `otpauth://hotp/…` URI instead of `secret` and its parameters. */
  readonly uri?: string;
  /** Default `'totp'` (or the URI's). */
  readonly type?: 'totp' | 'hotp';
  readonly algorithm?: OtpAlgorithm;
  readonly digits?: number;
  readonly period?: number;
  /** HOTP: the next counter the token will show. Default 0. */
  readonly counter?: number;
  /** The name shown in the list. Default "Authenticator". */
  readonly name?: string;
  /** Label of the account (for URIs shown later). Default: the URI's, else the user id. */
  readonly account?: string;
  /** TOTP: the last time step the other system accepted, so that code cannot be replayed here. */
  readonly lastStep?: number;
  /** Accept a secret under 128 bits (otplib v12 made them); imported with a warning event. */
  readonly allowShortSecret?: boolean;
}

/** An import checked and decoded (secret bytes, settings), as the `importAuthenticators` command carries it; made by `importAuthenticator`. */
export interface PreparedImport {
  readonly name: string;
  readonly method: SecretMethodState;
  readonly short: boolean;
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/;

function decode(secret: string | Uint8Array | undefined, encoding: SecretEncoding): Uint8Array {
  if (secret instanceof Uint8Array) return secret;
  if (typeof secret !== 'string' || secret.length === 0) throw new MfaError('INVALID_OPTION', 'import: secret must be a non-empty string or Uint8Array');
  switch (encoding) {
    case 'base32':
      return decodeBase32(secret);
    case 'hex':
      if (!HEX.test(secret)) throw new MfaError('INVALID_OPTION', 'import: secret is not hex');
      return Uint8Array.from(secret.match(/../g)!, (h) => parseInt(h, 16));
    case 'ascii': {
      // speakeasy's default: the characters' codes are the key bytes.
      const bytes = Uint8Array.from(secret, (c) => c.charCodeAt(0));
      if (Array.from(secret).some((c) => c.charCodeAt(0) > 0x7e || c.charCodeAt(0) < 0x20)) throw new MfaError('INVALID_OPTION', 'import: secret is not printable ASCII');
      return bytes;
    }
    case 'base64': {
      const bytes = decodeBase64(secret);
      if (bytes === null) throw new MfaError('INVALID_OPTION', 'import: secret is not base64');
      return bytes;
    }
    default:
      throw new MfaError('INVALID_OPTION', "import: encoding must be 'base32', 'hex', 'ascii' or 'base64'");
  }
}

function fromUri(input: ImportAuthenticatorInput): ImportAuthenticatorInput {
  const parsed = parseOtpauthUri(input.uri!);
  if (!parsed.ok) throw new MfaError('INVALID_URI', `import: not a usable otpauth URI (${parsed.error.code})`);
  const v = parsed.value;
  const common = { ...input, secret: v.secret, algorithm: v.algorithm, digits: v.digits, account: input.account ?? v.account };
  return v.type === 'hotp' ? { ...common, type: 'hotp', counter: Number(v.counter) } : { ...common, type: 'totp', period: v.period };
}

/** @internal Validates and decodes one import; `account` is the default label (the user id). */
export function prepareImport(input: ImportAuthenticatorInput, account: string, options: ResolvedLifecycleOptions): PreparedImport {
  if (input === null || typeof input !== 'object') throw new MfaError('INVALID_OPTION', 'import: each authenticator must be an object');
  const i = input.uri === undefined ? input : fromUri(input);
  const bytes = decode(i.secret, i.encoding ?? 'base32');
  const short = bytes.length < MIN_SECRET_BYTES;
  if (bytes.length === 0 || (short && i.allowShortSecret !== true)) {
    throw new MfaError('SECRET_TOO_SHORT', 'import: secret is under 128 bits; pass allowShortSecret to import it anyway');
  }
  const algorithm = i.algorithm ?? 'SHA1';
  if (algorithm !== 'SHA1' && algorithm !== 'SHA256' && algorithm !== 'SHA512') throw new MfaError('UNSUPPORTED_ALGORITHM', 'import: algorithm');
  const base = {
    secret: encodeBase64Url(bytes),
    algorithm,
    digits: checkInteger('import digits', i.digits ?? 6, 6, 10),
    account: i.account ?? account,
    createdAt: 0,
  };
  const name = checkName(i.name ?? 'Authenticator');
  if ((i.type ?? 'totp') === 'hotp') {
    return { name, short, method: { type: 'hotp', ...base, counter: checkInteger('import counter', i.counter ?? 0, 0, Number.MAX_SAFE_INTEGER - 1001) } };
  }
  if (i.type !== undefined && i.type !== 'totp') throw new MfaError('INVALID_OPTION', "import: type must be 'totp' or 'hotp'");
  const lastStep = i.lastStep === undefined ? null : checkInteger('import lastStep', i.lastStep, 0, Number.MAX_SAFE_INTEGER);
  return { name, short, method: { type: 'totp', ...base, period: checkInteger('import period', i.period ?? 30, 1, 86_400), lastStep } };
}

/**
 * The accounts of a Google Authenticator export (`otpauth-migration://offline?data=…`) as import
 * inputs, named after each account. Short secrets are marked `allowShortSecret` only when `allowShort`.
 *
 * @throws {@link MfaError} `INVALID_URI` when it is not a readable export
 * @example
 * ```ts
 * import { importInputsFromMigrationUri } from 'mfakit';
 * declare const exported: string; // scanned from the app's export QR code
 * const inputs = importInputsFromMigrationUri(exported);
 * inputs.length;
 * ```
 */
export function importInputsFromMigrationUri(uri: string, options: { allowShort?: boolean } = {}): ImportAuthenticatorInput[] {
  const parsed = parseMigrationUri(uri);
  if (!parsed.ok) throw new MfaError('INVALID_URI', `import: not a usable otpauth-migration URI (${parsed.error.code})`);
  return parsed.value.accounts.map((a) => ({
    secret: a.secret,
    type: a.type,
    algorithm: a.algorithm,
    digits: a.digits,
    ...(a.type === 'hotp' ? { counter: Number(a.counter ?? 0) } : {}),
    name: (a.issuer ?? a.name).slice(0, 64) || 'Authenticator',
    ...(options.allowShort === true ? { allowShortSecret: true } : {}),
  }));
}
