// The factor states a record holds (TOTP, HOTP, e-mail/SMS), discriminated by `type`. Types only.
import type { OtpAlgorithm } from '../hotp.js';

/**
 * The TOTP factor of a user. `secret` holds the shared secret as base64url in the open form the
 * transitions see; in a store it is either that or the string a `SecretCipher` produced
 * (`secretSealed: true`).
 */
export interface TotpMethodState {
  readonly type: 'totp';
  readonly secret: string;
  /** True when `secret` is ciphertext from a `SecretCipher` (stored form only). */
  readonly secretSealed?: true;
  readonly algorithm: OtpAlgorithm;
  readonly digits: number;
  readonly period: number;
  /** The last accepted time step; a code from it or an earlier one is a replay. */
  readonly lastStep: number | null;
  /** Account label shown in authenticator apps (e.g. the user's e-mail). */
  readonly account: string;
  readonly createdAt: number;
}

/** An HOTP token (secret + `counter`, the next one it may show); the `authenticators()` feature verifies it. */
export interface HotpMethodState {
  readonly type: 'hotp';
  readonly secret: string;
  readonly secretSealed?: true;
  readonly algorithm: OtpAlgorithm;
  readonly digits: number;
  readonly counter: number;
  readonly account: string;
  readonly createdAt: number;
}

/** A factor with a shared secret: TOTP or HOTP. */
export type SecretMethodState = TotpMethodState | HotpMethodState;

/** Channels of the out-of-band method: a code sent by e-mail or SMS. */
export type OutOfBandChannel = 'email' | 'sms';

/**
 * The out-of-band factor of a user: where codes go. The pending code itself lives in the record's
 * `oneTimeCodes` field (hash, expiry, attempts and the resend history), never the code.
 */
export interface OutOfBandMethodState {
  readonly type: OutOfBandChannel;
  /** E-mail address or phone number, as given to `beginEnrollment`. */
  readonly destination: string;
  readonly createdAt: number;
}

/**
 * Every factor a record can hold, discriminated by `type`: TOTP, or a code sent by e-mail or SMS
 * (the `oneTimeCodes()` feature; its pending code lives in the record's `oneTimeCodes` slice).
 */
export type MethodState = SecretMethodState | OutOfBandMethodState;

/** The `type` of every {@link MethodState}. */
export type MethodType = MethodState['type'];
