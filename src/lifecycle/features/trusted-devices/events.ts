/** Audit events of the trusted-device feature; part of `MfaEvent`. They carry device ids and labels, never a token or hash. */
export type TrustedDeviceEvent =
  /** `trustDevice`: a device will skip the second factor until `expiresAt` ("device added"). */
  | {
      readonly type: 'device_trusted';
      readonly userId: string;
      readonly at: number;
      readonly deviceId: string;
      readonly label: string;
      readonly expiresAt: number;
    }
  /** One device stopped being trusted: revoked by id (`user`), or pushed out by a newer one past `max` (`evicted`). */
  | {
      readonly type: 'device_revoked';
      readonly userId: string;
      readonly at: number;
      readonly deviceId: string;
      readonly reason: 'user' | 'evicted';
    }
  /**
   * Every trusted device of the user stopped being trusted: `revokeAllDevices` (`user`, or `admin`
   * with its `actor`), a login by recovery code (`recovery_code`: the device with the factor is
   * probably lost), or a change that moved the MFA epoch on (`security_change`: reset, disable,
   * administrator reset, finished recovery).
   */
  | {
      readonly type: 'devices_revoked';
      readonly userId: string;
      readonly at: number;
      readonly count: number;
      readonly reason: 'user' | 'admin' | 'recovery_code' | 'security_change';
      readonly actor?: string;
    };

// The events join `MfaEvent` from here, so the events module never imports a feature.
declare module '../../events.js' {
  interface MfaFeatureEvents {
    trustedDevices: TrustedDeviceEvent;
  }
}
