// MigrationPayload.OtpParameters (Google Authenticator's export protobuf) <-> typed accounts.
// Field numbers and enums as in google-authenticator-android's MigrationPayload:
//   bytes secret = 1; string name = 2; string issuer = 3; Algorithm algorithm = 4;
//   DigitCount digits = 5; OtpType type = 6; int64 counter = 7;
import { MfaError } from '../errors.js';
import type { OtpAlgorithm } from '../hotp.js';
import type { MigrationAccount, MigrationAccountInput, MigrationWarning } from '../migration-uri.js';
import { MIN_SECRET_BYTES, secretBytes } from '../secret.js';
import { utf8Decode } from './utf8.js';
import { ProtoReader, ProtoWriter, ProtobufError, WIRE_LEN, WIRE_VARINT } from './protobuf.js';

// MigrationPayload enums, by field value.
const ALGORITHMS: Array<OtpAlgorithm | undefined> = ['SHA1', 'SHA1', 'SHA256', 'SHA512']; // 0 unspecified, 4 MD5
const DIGITS: Array<6 | 8 | undefined> = [6, 6, 8]; // 0 unspecified, 1 six, 2 eight
const TYPES: Array<'totp' | 'hotp' | undefined> = ['totp', 'hotp', 'totp']; // 0 unspecified, 1 HOTP, 2 TOTP

/** Decodes one OtpParameters; undefined (with a warning) for an account no app can compute. */
export function readAccount(bytes: Uint8Array, index: number, warnings: MigrationWarning[]): MigrationAccount | undefined {
  const reader = new ProtoReader(bytes);
  let secret = new Uint8Array(0);
  let name = '';
  let issuer = '';
  let algorithm = 0n;
  let digits = 0n;
  let type = 0n;
  let counter = 0n;
  while (!reader.done) {
    const [field, wire] = reader.key();
    const expected = field <= 3 ? WIRE_LEN : WIRE_VARINT;
    if (field > 7) {
      reader.skip(wire);
      continue;
    }
    if (wire !== expected) throw new ProtobufError(`account field ${field} has the wrong wire type`);
    if (field === 1) secret = reader.bytes().slice();
    else if (field === 2 || field === 3) {
      const text = utf8Decode(reader.bytes());
      if (text === null) throw new ProtobufError(`account ${field === 2 ? 'name' : 'issuer'} is not UTF-8`);
      if (field === 2) name = text;
      else issuer = text;
    } else {
      const value = reader.varint();
      if (field === 4) algorithm = value;
      else if (field === 5) digits = value;
      else if (field === 6) type = value;
      else counter = value;
    }
  }
  const alg = algorithm < 4n ? ALGORITHMS[Number(algorithm)] : undefined;
  const len = digits < 3n ? DIGITS[Number(digits)] : undefined;
  const kind = type < 3n ? TYPES[Number(type)] : undefined;
  const skip = (why: string) => {
    warnings.push({ code: 'UNSUPPORTED_ACCOUNT', index, message: `account ${index} skipped: ${why}` });
    return undefined;
  };
  if (alg === undefined) return skip(algorithm === 4n ? 'MD5 is not supported' : 'unknown algorithm');
  if (len === undefined) return skip('unknown digit count');
  if (kind === undefined) return skip('unknown OTP type');
  if (secret.length === 0) return skip('empty secret');
  if (secret.length < MIN_SECRET_BYTES) {
    warnings.push({ code: 'SHORT_SECRET', index, message: `account ${index} has a ${secret.length * 8}-bit secret; RFC 4226 requires 128` });
  }
  const account: MigrationAccount = { type: kind, name, secret, algorithm: alg, digits: len };
  if (issuer !== '') account.issuer = issuer;
  if (kind === 'hotp') account.counter = counter <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(counter) : counter;
  return account;
}

/** Encodes one account as OtpParameters, proto3-style (default values left out). */
export function writeAccount(account: MigrationAccountInput, i: number): Uint8Array {
  if (typeof account !== 'object' || account === null) throw new MfaError('INVALID_OPTION', `accounts[${i}] must be an object`);
  const type = account.type ?? 'totp';
  if (type !== 'totp' && type !== 'hotp') throw new MfaError('INVALID_OPTION', `accounts[${i}].type must be 'totp' or 'hotp'`);
  if (typeof account.name !== 'string' || account.name === '' || !wellFormed(account.name)) {
    throw new MfaError('INVALID_OPTION', `accounts[${i}].name must be a non-empty string`);
  }
  if (account.issuer !== undefined && (typeof account.issuer !== 'string' || !wellFormed(account.issuer))) {
    throw new MfaError('INVALID_OPTION', `accounts[${i}].issuer must be a string`);
  }
  const algorithm = ALGORITHMS.indexOf(account.algorithm ?? 'SHA1', 1);
  if (algorithm < 1) throw new MfaError('UNSUPPORTED_ALGORITHM', `accounts[${i}].algorithm must be SHA1, SHA256 or SHA512`);
  const digits = account.digits ?? 6;
  if (digits !== 6 && digits !== 8) throw new MfaError('INVALID_OPTION', `accounts[${i}].digits must be 6 or 8 in an export`);
  const period = (account as { period?: unknown }).period;
  if (period !== undefined && period !== 30) throw new MfaError('INVALID_OPTION', `accounts[${i}] has period ${String(period)}; exports are 30-second TOTP only`);
  let counter: number | bigint = 0;
  if (type === 'hotp') {
    counter = account.counter ?? 0;
    const valid = typeof counter === 'bigint' ? counter >= 0n && counter < 1n << 63n : Number.isSafeInteger(counter) && counter >= 0;
    if (!valid) throw new MfaError('INVALID_OPTION', `accounts[${i}].counter must be an integer from 0 to 2^63-1`);
  }
  const w = new ProtoWriter().bytes(1, secretBytes(account.secret, true)).string(2, account.name);
  if (account.issuer) w.string(3, account.issuer);
  w.varint(4, algorithm)
    .varint(5, digits === 6 ? 1 : 2)
    .varint(6, type === 'hotp' ? 1 : 2);
  if (counter !== 0 && counter !== 0n) w.varint(7, counter);
  return w.finish();
}

function wellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
