// The accounts of a Google Authenticator export (otpauth-migration://) and the warnings about
// them: shared by the URI functions (migration-uri.ts) and the payload codec
// (_internal/migration-payload.ts), which therefore do not import each other's types.
import type { OtpAlgorithm } from './hotp.js';

/** One account of a Google Authenticator export (`MigrationPayload.OtpParameters`). */
export interface MigrationAccount {
  type: 'totp' | 'hotp';
  /** The name as stored; Google Authenticator often stores `Issuer:account` here. */
  name: string;
  /** Absent when the export has none. */
  issuer?: string;
  secret: Uint8Array;
  algorithm: OtpAlgorithm;
  /** 6 or 8: the only lengths the format can express. */
  digits: 6 | 8;
  /** HOTP only: the next counter. */
  counter?: number | bigint;
}

/** What `buildMigrationUri` accepts per account: a {@link MigrationAccount} with defaults. */
export interface MigrationAccountInput {
  /** Default `'totp'`. */
  type?: 'totp' | 'hotp';
  name: string;
  issuer?: string;
  /** Bytes or base32 text. Short secrets are exported as they are. */
  secret: Uint8Array | string;
  /** Default `'SHA1'`. */
  algorithm?: OtpAlgorithm;
  /** 6 (default) or 8. */
  digits?: number;
  /** HOTP only; default 0. */
  counter?: number | bigint;
}

/** Stable codes of problems that do not stop parsing an export. */
export type MigrationWarningCode = 'UNSUPPORTED_ACCOUNT' | 'SHORT_SECRET' | 'PARTIAL_EXPORT';

/** A problem with one account (`index` in the payload) or with the export. */
export interface MigrationWarning {
  code: MigrationWarningCode;
  message: string;
  index?: number;
}
