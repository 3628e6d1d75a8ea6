import { MfaError } from './errors.js';
import type { OtpAlgorithm } from './hotp.js';
import type { OtpauthUriInput } from './otpauth-uri.js';
import { checkInteger } from './_internal/check.js';
import { decodeBase64, encodeBase64 } from './_internal/base64.js';
import { percentDecode, percentEncode } from './_internal/percent.js';
import { ProtoReader, ProtoWriter, ProtobufError, WIRE_LEN, WIRE_VARINT } from './_internal/protobuf.js';
import { readAccount, writeAccount } from './_internal/migration-payload.js';
import type { MigrationAccount, MigrationAccountInput, MigrationWarning } from './migration-account.js';
import { redact } from './_internal/redact.js';

export type { MigrationAccount, MigrationAccountInput, MigrationWarning, MigrationWarningCode } from './migration-account.js';

/** A decoded export: its accounts and its place in a multi-QR export. */
export interface MigrationPayload {
  accounts: MigrationAccount[];
  version: number;
  /** Number of QR codes in the export (1 when it fits one). */
  batchSize: number;
  /** Position of this QR code in the export, from 0. */
  batchIndex: number;
  /** Same for every QR code of one export. */
  batchId: number;
}

/** Stable codes of why a string is not a readable export. */
export type MigrationParseErrorCode = 'NOT_MIGRATION_URI' | 'MISSING_DATA' | 'INVALID_ENCODING' | 'INVALID_PAYLOAD';

/** Result of {@link parseMigrationUri}. Messages never contain secrets. */
export type ParseMigrationUriResult =
  | { ok: true; value: MigrationPayload; warnings: MigrationWarning[] }
  | { ok: false; error: { code: MigrationParseErrorCode; message: string } };

/**
 * Longest text {@link parseMigrationUri} reads, and {@link buildMigrationUri} writes: 64 KiB. One
 * export QR code holds under 3,000 characters, so this is already twenty of them; decoding is linear
 * (about 0.5–1 s per MB), and the cap keeps a hostile input to a few tens of milliseconds.
 */
const MAX_URI_LENGTH = 65_536;

/** Options of {@link buildMigrationUri}. */
export interface BuildMigrationUriOptions {
  /** Place in a multi-QR export (see {@link buildMigrationUris}). Default `{ size: 1, index: 0, id: 0 }`. */
  batch?: { size: number; index: number; id: number };
}

/**
 * Reads a Google Authenticator export (`otpauth-migration://offline?data=…`, the "Transfer
 * accounts" QR codes) into typed accounts. Never throws. Accounts the format allows but
 * authenticators cannot compute (MD5, unknown enums, empty secret) are skipped with a warning.
 * Text longer than 65,536 characters is refused at once with `NOT_MIGRATION_URI` (an export QR
 * code holds under 3,000).
 *
 * @example Moving accounts out of Google Authenticator
 * ```ts
 * import { buildOtpauthUri, migrationAccountToOtpauth, parseMigrationUri } from 'mfakit';
 * const scanned = 'otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC';
 * const parsed = parseMigrationUri(scanned);
 * if (parsed.ok) {
 *   for (const account of parsed.value.accounts) console.log(buildOtpauthUri(migrationAccountToOtpauth(account)));
 *   // otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example
 * } else {
 *   console.log(parsed.error.code); // e.g. 'INVALID_PAYLOAD'
 * }
 * ```
 * @see https://github.com/google/google-authenticator-android (MigrationPayload protobuf)
 */
export function parseMigrationUri(uri: string): ParseMigrationUriResult {
  try {
    return parse(uri);
  } catch (err) {
    if (err instanceof ProtobufError) return fail('INVALID_PAYLOAD', `payload is not a valid MigrationPayload: ${err.message}`);
    return fail('NOT_MIGRATION_URI', 'not a parseable otpauth-migration URI');
  }
}

function fail(code: MigrationParseErrorCode, message: string): ParseMigrationUriResult {
  return { ok: false, error: { code, message } };
}

function parse(uri: string): ParseMigrationUriResult {
  if (typeof uri !== 'string') return fail('NOT_MIGRATION_URI', 'URI must be a string');
  if (uri.length > MAX_URI_LENGTH) return fail('NOT_MIGRATION_URI', `URI is longer than ${MAX_URI_LENGTH} characters`);
  const match = /^otpauth-migration:\/\/offline\/?\?([^#]*)/i.exec(uri.trim());
  if (!match) return fail('NOT_MIGRATION_URI', "URI must start with 'otpauth-migration://offline?'");
  const raw = match[1]!.split('&').find((p) => p.startsWith('data='))?.slice(5);
  if (raw === undefined || raw === '') return fail('MISSING_DATA', 'data parameter is missing');
  // '+' is base64, not a space; a space means someone form-decoded it, so it was a '+'.
  const text = percentDecode(raw, false)?.replace(/ /g, '+').replace(/-/g, '+').replace(/_/g, '/');
  const bytes = text === undefined ? null : decodeBase64(text);
  if (bytes === null) return fail('INVALID_ENCODING', 'data is not base64');

  const payload: MigrationPayload = { accounts: [], version: 0, batchSize: 0, batchIndex: 0, batchId: 0 };
  const warnings: MigrationWarning[] = [];
  const reader = new ProtoReader(bytes);
  let index = 0;
  while (!reader.done) {
    const [field, wire] = reader.key();
    if (field === 1 && wire === WIRE_LEN) {
      const account = readAccount(reader.bytes(), index, warnings);
      if (account) payload.accounts.push(redact(account, ['secret']));
      index++;
    } else if (field >= 2 && field <= 5 && wire === WIRE_VARINT) {
      const value = Number(BigInt.asIntN(32, reader.varint()));
      if (field === 2) payload.version = value;
      else if (field === 3) payload.batchSize = value;
      else if (field === 4) payload.batchIndex = value;
      else payload.batchId = value;
    } else if (field <= 5) throw new ProtobufError(`field ${field} has the wrong wire type`);
    else reader.skip(wire);
  }
  if (payload.batchSize > 1) {
    warnings.push({
      code: 'PARTIAL_EXPORT',
      message: `this is QR code ${payload.batchIndex + 1} of ${payload.batchSize}; scan the others for the remaining accounts`,
    });
  }
  return { ok: true, value: payload, warnings };
}

/**
 * Builds a Google Authenticator export URI (`otpauth-migration://offline?data=…`), which Google
 * Authenticator imports from a QR code ("Transfer accounts → Import"). The format has no period:
 * only 30-second TOTP can be exported.
 *
 * @throws {@link MfaError} `INVALID_OPTION` for a bad type, name, digits (6 or 8 only), period,
 * counter or batch, or when the URI would be longer than {@link parseMigrationUri} reads (65,536
 * characters: split the accounts with {@link buildMigrationUris}); `UNSUPPORTED_ALGORITHM`;
 * `INVALID_BASE32`; `SECRET_TOO_SHORT` for an empty secret.
 * @example
 * ```ts
 * import { buildMigrationUri } from 'mfakit';
 * const uri = buildMigrationUri([
 *   { name: 'Example:alice@example.com', issuer: 'Example', secret: 'JBSWY3DPEHPK3PXP' },
 * ]);
 * // 'otpauth-migration://offline?data=...'
 * ```
 * @see https://github.com/google/google-authenticator-android (MigrationPayload protobuf)
 */
export function buildMigrationUri(accounts: readonly MigrationAccountInput[], options: BuildMigrationUriOptions = {}): string {
  if (!Array.isArray(accounts) || accounts.length === 0) throw new MfaError('INVALID_OPTION', 'accounts must be a non-empty array');
  const batch = options.batch ?? { size: 1, index: 0, id: 0 };
  const size = checkInteger('batch.size', batch.size, 1, 0x7fffffff);
  const index = checkInteger('batch.index', batch.index, 0, size - 1);
  const id = checkInteger('batch.id', batch.id, -0x80000000, 0x7fffffff);
  const payload = new ProtoWriter();
  accounts.forEach((account, i) => payload.bytes(1, writeAccount(account, i)));
  // proto3 leaves fields at their default (0, '') out; so does Google Authenticator.
  payload.varint(2, 1).varint(3, size);
  if (index !== 0) payload.varint(4, index);
  if (id !== 0) payload.varint(5, id);
  const data = percentEncode(encodeBase64(payload.finish()))!;
  const uri = `otpauth-migration://offline?data=${data}`;
  if (uri.length > MAX_URI_LENGTH) {
    throw new MfaError('INVALID_OPTION', `the export URI would be longer than ${MAX_URI_LENGTH} characters; use fewer accounts per URI`);
  }
  return uri;
}

/**
 * Splits accounts over as many export URIs (QR codes) as needed, `perCode` each, numbered as one
 * batch, the way Google Authenticator's own export does for long lists.
 *
 * @throws {@link MfaError} as {@link buildMigrationUri}; `INVALID_OPTION` for a bad `perCode` or `batchId`.
 * @example One QR code per ten accounts
 * ```ts
 * import { buildMigrationUris } from 'mfakit';
 * const accounts = Array.from({ length: 25 }, (_, i) => ({ name: `user${i}`, secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' }));
 * buildMigrationUris(accounts).length; // 3
 * ```
 */
export function buildMigrationUris(
  accounts: readonly MigrationAccountInput[],
  options: { perCode?: number; batchId?: number } = {},
): string[] {
  if (!Array.isArray(accounts) || accounts.length === 0) throw new MfaError('INVALID_OPTION', 'accounts must be a non-empty array');
  const perCode = checkInteger('perCode', options.perCode ?? 10, 1, 1000);
  const size = Math.ceil(accounts.length / perCode);
  const id = options.batchId ?? 0;
  const uris: string[] = [];
  for (let index = 0; index < size; index++) {
    uris.push(buildMigrationUri(accounts.slice(index * perCode, (index + 1) * perCode), { batch: { size, index, id } }));
  }
  return uris;
}

/**
 * Turns an exported account into {@link buildOtpauthUri} input, splitting an `Issuer:account` name
 * (the `issuer` field wins over the prefix). Short secrets are allowed through: they are the
 * user's existing accounts.
 *
 * @example
 * ```ts
 * import { buildOtpauthUri, migrationAccountToOtpauth, parseMigrationUri } from 'mfakit';
 * const parsed = parseMigrationUri('otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC');
 * if (parsed.ok) parsed.value.accounts.map((a) => buildOtpauthUri(migrationAccountToOtpauth(a)));
 * ```
 */
export function migrationAccountToOtpauth(account: MigrationAccount): OtpauthUriInput {
  let name = account.name;
  let issuer = account.issuer;
  const colon = name.indexOf(':');
  if (colon >= 0) {
    // The label prefix; the issuer field wins when both are present, as in otpauth URIs.
    issuer ??= name.slice(0, colon) || undefined;
    name = name.slice(colon + 1).replace(/^\s+/, '');
  }
  const input: OtpauthUriInput = {
    type: account.type,
    account: name,
    secret: account.secret,
    algorithm: account.algorithm,
    digits: account.digits,
    allowShortSecret: true,
  };
  if (issuer !== undefined) input.issuer = issuer;
  if (account.type === 'hotp') input.counter = account.counter ?? 0;
  return input;
}
