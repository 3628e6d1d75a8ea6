import { isInt, isObject, isText } from '../slice-check.js';

/**
 * A trusted device as stored: the SHA-256 of its token (256 random bits, so a plain hash cannot be
 * reversed), never the token; the MFA epoch it was trusted in (a later epoch ends it).
 */
export interface StoredTrustedDevice {
  /** Public id (for `revokeDevice`, lists and events). */
  readonly id: string;
  /** base64url SHA-256 of the token. */
  readonly hash: string;
  readonly label: string;
  readonly createdAt: number;
  /** Last login with it (to the minute: a login within a minute of the last one writes nothing); null until used. */
  readonly lastUsedAt: number | null;
  /** Refused from this instant on. */
  readonly expiresAt: number;
  readonly epoch: number;
}

/** The slice of `MfaRecord` the trusted devices own. */
export interface TrustedDevicesSlice {
  readonly trustedDevices?: readonly StoredTrustedDevice[] | null;
}

/** @internal Validates a stored `trustedDevices` slice; the problem, or null. */
export function trustedDevicesProblem(list: unknown): string | null {
  if (!Array.isArray(list) || list.length > 1000) return 'trustedDevices';
  const ok = list.every(
    (d: unknown) =>
      isObject(d) &&
      isText(d.id, 64) &&
      isText(d.hash, 64) &&
      typeof d.label === 'string' &&
      isInt(d.createdAt) &&
      (d.lastUsedAt === null || isInt(d.lastUsedAt)) &&
      isInt(d.expiresAt) &&
      isInt(d.epoch),
  );
  return ok ? null : 'trustedDevices entry';
}

// The slice joins `MfaRecord` from here, so the record module never imports a feature.
declare module '../../record.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merged into MfaRecord
  interface MfaRecord extends TrustedDevicesSlice {}
}
