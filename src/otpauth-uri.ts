// otpauth:// URIs (the Key URI format): build and parse. Over 300 lines: the builder and the parser
// are one format's two directions and share its rules; the parser's warnings for what authenticator
// apps ignore are most of the length.
import { decodeBase32, encodeBase32 } from './base32.js';
import { MfaError } from './errors.js';
import type { OtpAlgorithm } from './hotp.js';
import { MIN_SECRET_BYTES, secretBytes } from './secret.js';
import { checkInteger } from './_internal/check.js';
import { percentDecode, percentEncode } from './_internal/percent.js';
import { redact } from './_internal/redact.js';

/** What {@link buildOtpauthUri} turns into an `otpauth://` URI. */
export interface OtpauthUriInput {
  // Optional fields also take an explicit `undefined`, so options can be passed through as-is
  // under `exactOptionalPropertyTypes`.
  /** Default `'totp'`. */
  type?: 'totp' | 'hotp' | undefined;
  /** Service name shown by the authenticator (label prefix and `issuer` parameter). No `:` (the prefix ends at the first one). */
  issuer?: string | undefined;
  /**
   * The user's account name, e.g. an e-mail address. Non-empty. A `:` (as in `DOMAIN:user`) is
   * written `%3A`, behind the issuer prefix (or an empty one), so readers that split the label at its
   * first `:` get the account back whole.
   */
  account: string;
  /** Secret bytes, or base32 text in any accepted form (it is written canonically). */
  secret: Uint8Array | string;
  /** Default `'SHA1'`; written only when different (or with `writeDefaults`). */
  algorithm?: OtpAlgorithm | undefined;
  /** Default 6; written only when different (or with `writeDefaults`). */
  digits?: number | undefined;
  /** TOTP step in seconds, default 30; written only when different (or with `writeDefaults`). */
  period?: number | undefined;
  /** HOTP only, required: the initial counter. */
  counter?: number | bigint | undefined;
  /** Extra parameters passed through (e.g. `image`), percent-encoded. Reserved names are refused. */
  params?: Record<string, string> | undefined;
  /** Write `algorithm`, `digits` and `period` even when they are the defaults. Default false. */
  writeDefaults?: boolean | undefined;
  /** Accept a secret under 128 bits (RFC 4226 R6 forbids them). Default false. */
  allowShortSecret?: boolean | undefined;
}

interface OtpauthUriFields {
  /** Issuer from the `issuer` parameter, else from the label prefix; absent when neither has one. */
  issuer?: string;
  account: string;
  secret: Uint8Array;
  algorithm: OtpAlgorithm;
  digits: number;
  /** Parameters other than the standard ones, decoded, first occurrence of each. */
  params: Record<string, string>;
}

/** A parsed `otpauth://` URI, defaults filled in. Assignable to {@link OtpauthUriInput}. */
export type OtpauthUri =
  | (OtpauthUriFields & { type: 'totp'; period: number })
  | (OtpauthUriFields & { type: 'hotp'; counter: number | bigint });

/** Stable codes of what authenticators silently get wrong in a URI that still parses. */
export type OtpauthWarningCode =
  | 'ISSUER_MISMATCH'
  | 'DUPLICATE_PARAMETER'
  | 'UNKNOWN_PARAMETER'
  | 'IRRELEVANT_PARAMETER'
  | 'IGNORED_BY_GOOGLE_AUTHENTICATOR'
  | 'SHORT_SECRET'
  | 'NON_CANONICAL_SECRET'
  | 'MISSING_ISSUER';

/** A problem that does not stop parsing. `parameter` names the query parameter concerned. */
export interface OtpauthWarning {
  code: OtpauthWarningCode;
  message: string;
  parameter?: string;
}

/** Stable codes of why a string is not a usable otpauth URI. */
export type OtpauthParseErrorCode =
  | 'NOT_OTPAUTH_URI'
  | 'UNSUPPORTED_TYPE'
  | 'INVALID_ENCODING'
  | 'INVALID_LABEL'
  | 'MISSING_SECRET'
  | 'INVALID_SECRET'
  | 'UNSUPPORTED_ALGORITHM'
  | 'INVALID_DIGITS'
  | 'INVALID_PERIOD'
  | 'MISSING_COUNTER'
  | 'INVALID_COUNTER';

/** Why parsing failed. The message never contains the secret. */
export interface OtpauthParseError {
  code: OtpauthParseErrorCode;
  message: string;
}

/** Result of {@link parseOtpauthUri}. */
export type ParseOtpauthUriResult =
  | { ok: true; value: OtpauthUri; warnings: OtpauthWarning[] }
  | { ok: false; error: OtpauthParseError };

const RESERVED = ['secret', 'issuer', 'algorithm', 'digits', 'period', 'counter'];
const MAX_COUNTER = (1n << 64n) - 1n;

/**
 * Builds an `otpauth://` URI in Google's Key URI format, the form every authenticator accepts:
 * label `Issuer:account`, `issuer` parameter equal to the label prefix, base32 secret without
 * padding, spaces as `%20`, and `algorithm`/`digits`/`period` only when not the defaults.
 *
 * An account holding `:` is written with `%3A` (see {@link OtpauthUriInput.account}); it is never
 * refused for it.
 *
 * @throws {@link MfaError} `INVALID_LABEL` when the issuer or account is empty or not valid Unicode,
 * or the issuer contains `:` (the label prefix ends at the first one); `INVALID_OPTION` for a bad type, period,
 * counter or extra parameter; `UNSUPPORTED_ALGORITHM`; `INVALID_BASE32`; `SECRET_TOO_SHORT`.
 * @example TOTP enrolment URI
 * ```ts
 * import { buildOtpauthUri, generateSecret } from 'mfakit';
 * const uri = buildOtpauthUri({ issuer: 'Café Zürich', account: 'alice@example.com', secret: generateSecret() });
 * // 'otpauth://totp/Caf%C3%A9%20Z%C3%BCrich:alice@example.com?secret=...&issuer=Caf%C3%A9%20Z%C3%BCrich'
 * ```
 * @see https://github.com/google/google-authenticator/wiki/Key-Uri-Format
 * @see RFC 3986 §2.1 (percent-encoding)
 */
export function buildOtpauthUri(input: OtpauthUriInput): string {
  const type = input.type ?? 'totp';
  if (type !== 'totp' && type !== 'hotp') throw new MfaError('INVALID_OPTION', "type must be 'totp' or 'hotp'");
  // Validated here rather than through hotp.ts, so building a URI does not bundle the HMAC code.
  const digits = checkInteger('digits', input.digits ?? 6, 6, 10);
  const algorithm = input.algorithm ?? 'SHA1';
  if (algorithm !== 'SHA1' && algorithm !== 'SHA256' && algorithm !== 'SHA512') {
    throw new MfaError('UNSUPPORTED_ALGORITHM', 'algorithm must be SHA1, SHA256 or SHA512');
  }
  const secret = encodeBase32(secretBytes(input.secret, input.allowShortSecret));
  let last: string;
  if (type === 'totp') {
    if (input.counter !== undefined) throw new MfaError('INVALID_OPTION', 'counter applies to hotp only');
    last = `&period=${checkInteger('period', input.period ?? 30, 1, 86_400)}`;
  } else {
    if (input.period !== undefined) throw new MfaError('INVALID_OPTION', 'period applies to totp only');
    last = `&counter=${checkCounter(input.counter)}`;
  }
  let uri = otpauthUri(type, input.issuer ?? undefined, input.account, secret, algorithm, digits, last, input.writeDefaults);
  const params = input.params ?? {};
  if (typeof params !== 'object') throw new MfaError('INVALID_OPTION', 'params must be an object of strings');
  for (const key of Object.keys(params)) {
    const value = params[key];
    if (key === '' || RESERVED.includes(key.toLowerCase())) {
      throw new MfaError('INVALID_OPTION', `params cannot set '${key}'; use the named option`);
    }
    const k = percentEncode(key);
    const v = typeof value === 'string' ? percentEncode(value) : null;
    if (k === null || v === null) throw new MfaError('INVALID_OPTION', `params['${k ?? '?'}'] must be valid Unicode text`);
    uri += `&${k}=${v}`;
  }
  return uri;
}

/**
 * @internal The URI of checked settings: `secret` in base32, `last` the `&period=`/`&counter=`
 * parameter (a default period of 30 is dropped unless `writeDefaults`). The lifecycle calls it with
 * settings its options already checked, so it does not bundle the checks above.
 *
 * A `:` in the account is written `%3A`. Readers (this parser, Google Authenticator) decode the label
 * and split it at its first `:`, so behind an issuer prefix the account comes back whole; without an
 * issuer the label gets an empty prefix (`:a%3Ab`) for the same reason.
 */
export function otpauthUri(
  type: string,
  issuerName: string | undefined,
  accountName: string,
  secret: string,
  algorithm: string,
  digits: number,
  last: string,
  writeDefaults?: boolean,
): string {
  const account = labelPart('account', accountName);
  const issuer = issuerName === undefined ? undefined : labelPart('issuer', issuerName);
  if (issuer?.includes('%3A')) throw new MfaError('INVALID_LABEL', "issuer must not contain ':'");
  const label = issuer !== undefined ? `${issuer}:${account}` : account.includes('%3A') ? `:${account}` : account;
  if (label !== account && /^\s/.test(accountName)) {
    throw new MfaError('INVALID_LABEL', 'account must not start with whitespace (it is dropped after the issuer prefix)');
  }
  let uri = `otpauth://${type}/${label}?secret=${secret}`;
  if (issuer !== undefined) uri += `&issuer=${issuer}`;
  if (writeDefaults || algorithm !== 'SHA1') uri += `&algorithm=${algorithm}`;
  if (writeDefaults || digits !== 6) uri += `&digits=${digits}`;
  return writeDefaults || last !== '&period=30' ? uri + last : uri;
}

function labelPart(name: 'issuer' | 'account', value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new MfaError('INVALID_LABEL', `${name} must be a non-empty string`);
  const encoded = percentEncode(value, '@');
  if (encoded === null) throw new MfaError('INVALID_LABEL', `${name} is not valid Unicode text`);
  return encoded;
}

function checkCounter(counter: unknown): string {
  if (counter === undefined) throw new MfaError('INVALID_OPTION', 'hotp needs a counter');
  if (typeof counter === 'bigint' ? counter >= 0n && counter <= MAX_COUNTER : Number.isSafeInteger(counter) && (counter as number) >= 0) {
    return String(counter);
  }
  throw new MfaError('INVALID_OPTION', 'counter must be an integer from 0 to 2^64-1');
}

/**
 * Parses an `otpauth://` URI as real apps and libraries write it: upper-case scheme or type,
 * `%20` or `+` for spaces in parameters, lower-case or padded secrets, issuer in the label, in
 * the parameter, or both. Never throws, whatever the input.
 *
 * Warnings report what authenticators get wrong silently: a label prefix that differs from the
 * `issuer` parameter (the parameter wins), duplicate parameters (the first wins), unknown or
 * irrelevant parameters, settings Google Authenticator ignores, a secret under 128 bits or not in
 * canonical form, and a missing issuer.
 *
 * @example The Veeam Service Provider Console enrolment URI
 * ```ts
 * import { parseOtpauthUri } from 'mfakit';
 * const parsed = parseOtpauthUri(
 *   'otpauth://totp/vspc%5cAdministrator?secret=3QEYAIQAKPC2A4ENSZEXHL4OQLWJ4XNC&issuer=My%20Company%20Portal',
 * );
 * if (parsed.ok) {
 *   parsed.value.account; // 'vspc\\Administrator'
 *   parsed.value.issuer;  // 'My Company Portal'
 * } else {
 *   console.log(parsed.error.code); // e.g. 'INVALID_SECRET'
 * }
 * ```
 * @see https://github.com/google/google-authenticator/wiki/Key-Uri-Format
 */
export function parseOtpauthUri(uri: string): ParseOtpauthUriResult {
  try {
    return parse(uri);
  } catch {
    return fail('NOT_OTPAUTH_URI', 'not a parseable otpauth URI');
  }
}

function fail(code: OtpauthParseErrorCode, message: string): ParseOtpauthUriResult {
  return { ok: false, error: { code, message } };
}

function parse(uri: string): ParseOtpauthUriResult {
  if (typeof uri !== 'string') return fail('NOT_OTPAUTH_URI', 'URI must be a string');
  const text = uri.trim();
  const match = /^otpauth:\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/i.exec(text);
  if (!match) return fail('NOT_OTPAUTH_URI', "URI must start with 'otpauth://'");
  const type = match[1]!.toLowerCase();
  if (type !== 'totp' && type !== 'hotp') return fail('UNSUPPORTED_TYPE', "type must be 'totp' or 'hotp'");
  const warnings: OtpauthWarning[] = [];

  // Label: '/' then 'Issuer:account' or 'account'; '+' is literal in a path (think a+b@mail).
  const label = percentDecode(match[2]!.slice(1), false);
  if (label === null) return fail('INVALID_ENCODING', 'label has a malformed percent-escape');
  const colon = label.indexOf(':');
  const labelIssuer = colon >= 0 ? label.slice(0, colon) : undefined;
  const account = colon >= 0 ? label.slice(colon + 1).replace(/^\s+/, '') : label;
  if (account === '') return fail('INVALID_LABEL', 'label has no account name');

  // Query: first occurrence of each parameter wins, as in Android's Uri.getQueryParameter.
  const known = new Map<string, string>();
  const params: Record<string, string> = {};
  for (const piece of (match[3] ?? '').split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const key = percentDecode(eq >= 0 ? piece.slice(0, eq) : piece, true);
    const value = percentDecode(eq >= 0 ? piece.slice(eq + 1) : '', true);
    if (key === null || value === null) return fail('INVALID_ENCODING', 'query has a malformed percent-escape');
    const name = RESERVED.includes(key.toLowerCase()) ? key.toLowerCase() : key;
    if (known.has(name) || Object.prototype.hasOwnProperty.call(params, name)) {
      warnings.push({ code: 'DUPLICATE_PARAMETER', parameter: name, message: `'${name}' appears more than once; the first is used` });
    } else if (RESERVED.includes(name)) {
      known.set(name, value);
    } else {
      Object.defineProperty(params, name, { value, enumerable: true, writable: true, configurable: true });
      warnings.push({ code: 'UNKNOWN_PARAMETER', parameter: name, message: `'${name}' is not in the Key URI format; kept in params` });
    }
  }

  const rawSecret = known.get('secret');
  if (rawSecret === undefined || rawSecret.trim() === '') return fail('MISSING_SECRET', 'secret parameter is missing');
  let secret: Uint8Array;
  try {
    secret = decodeBase32(rawSecret);
  } catch {
    return fail('INVALID_SECRET', 'secret is not base32');
  }
  if (secret.length === 0) return fail('MISSING_SECRET', 'secret parameter is empty');
  // Canonical text is upper-case alphabet only with zero unused bits: checked in place rather than by
  // re-encoding the secret, which cost super-linear time on a 1 MB secret.
  if (!/^[A-Z2-7]+$/.test(rawSecret) || !isStrictBase32(rawSecret)) {
    warnings.push({ code: 'NON_CANONICAL_SECRET', parameter: 'secret', message: 'secret is lower-case, padded or spaced; some apps reject that' });
  }
  if (secret.length < MIN_SECRET_BYTES) {
    warnings.push({ code: 'SHORT_SECRET', parameter: 'secret', message: `secret has ${secret.length * 8} bits; RFC 4226 requires at least 128` });
  }

  const paramIssuer = known.get('issuer');
  let issuer = paramIssuer === '' ? undefined : paramIssuer;
  if (issuer === undefined) issuer = labelIssuer === '' ? undefined : labelIssuer;
  else if (labelIssuer !== undefined && labelIssuer !== issuer && labelIssuer.replace(/\+/g, ' ') !== issuer) {
    warnings.push({ code: 'ISSUER_MISMATCH', parameter: 'issuer', message: 'label prefix differs from the issuer parameter; the parameter is used' });
  }
  if (issuer === undefined) warnings.push({ code: 'MISSING_ISSUER', message: 'no issuer; apps show the account name alone' });

  const rawAlgorithm = known.get('algorithm');
  const algorithm = rawAlgorithm === undefined ? 'SHA1' : rawAlgorithm.toUpperCase().replace('-', '');
  if (algorithm !== 'SHA1' && algorithm !== 'SHA256' && algorithm !== 'SHA512') {
    return fail('UNSUPPORTED_ALGORITHM', 'algorithm must be SHA1, SHA256 or SHA512');
  }
  const digits = decimal(known.get('digits') ?? '6');
  if (digits === undefined || digits < 6 || digits > 10) return fail('INVALID_DIGITS', 'digits must be an integer from 6 to 10');
  ignoredByGoogle(warnings, 'algorithm', algorithm !== 'SHA1');
  ignoredByGoogle(warnings, 'digits', digits !== 6);

  const base = { ...(issuer === undefined ? {} : { issuer }), account, secret, algorithm, digits, params } as const;
  if (type === 'totp') {
    const period = decimal(known.get('period') ?? '30');
    if (period === undefined || period < 1 || period > 86_400) return fail('INVALID_PERIOD', 'period must be an integer from 1 to 86400');
    ignoredByGoogle(warnings, 'period', period !== 30);
    irrelevant(warnings, known, 'counter', 'totp');
    return { ok: true, value: redact({ type, ...base, period }, ['secret']), warnings };
  }
  const rawCounter = known.get('counter');
  if (rawCounter === undefined) return fail('MISSING_COUNTER', 'hotp URI needs a counter parameter');
  const counter = /^\d{1,20}$/.test(rawCounter) ? BigInt(rawCounter) : MAX_COUNTER + 1n;
  if (counter > MAX_COUNTER) return fail('INVALID_COUNTER', 'counter must be an integer from 0 to 2^64-1');
  irrelevant(warnings, known, 'period', 'hotp');
  return {
    ok: true,
    value: redact({ type, ...base, counter: counter <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(counter) : counter }, ['secret']),
    warnings,
  };
}

function decimal(text: string): number | undefined {
  return /^\d{1,6}$/.test(text) ? Number(text) : undefined;
}

function ignoredByGoogle(warnings: OtpauthWarning[], parameter: string, applies: boolean): void {
  if (applies) {
    warnings.push({
      code: 'IGNORED_BY_GOOGLE_AUTHENTICATOR',
      parameter,
      message: `Google Authenticator ignores a non-default ${parameter} and shows wrong codes`,
    });
  }
}

function irrelevant(warnings: OtpauthWarning[], known: Map<string, string>, parameter: string, type: string): void {
  if (known.has(parameter)) {
    warnings.push({ code: 'IRRELEVANT_PARAMETER', parameter, message: `'${parameter}' does not apply to ${type}; ignored` });
  }
}

function isStrictBase32(text: string): boolean {
  try {
    decodeBase32(text, { strict: true });
    return true;
  } catch {
    return false;
  }
}
