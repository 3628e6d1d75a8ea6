// Trusted devices as an opt-in feature: `createMfa({ features: [trustedDevices()] })`. "Remember this
// device": after a login with a code, `trustDevice` returns a token `verifyLogin` accepts instead of
// a code, until it expires, is revoked, or the MFA epoch moves on. It adds the `trustedDevices` record
// slice, its commands, the device-token input of `verifyLogin`, and drops every device on a
// recovery-code login and on every epoch bump (reset, disable, administrator reset, recovery).
import { MfaError } from '../../../errors.js';
import { epochOf } from '../../epoch.js';
import type { MfaFeature } from '../../feature.js';
import { checkActor } from '../management/management.js';
import { trustedDevicesProblem } from './slice.js';
import {
  deviceLogin,
  dropAll,
  resolveTrustedDevicesOptions,
  revokeAllDevicesTransition,
  revokeDeviceTransition,
  summarize,
  trustDeviceTransition,
  type TrustDeviceResult,
  type TrustedDeviceSummary,
  type TrustedDevicesOptions,
} from './transitions.js';

/** The commands of the trusted-device feature; part of `MfaCommand`. */
export type TrustedDeviceCommand =
  | { readonly type: 'trustDevice'; readonly label?: string; readonly ttl?: number }
  | { readonly type: 'revokeDevice'; readonly id: string }
  | { readonly type: 'revokeAllDevices'; readonly actor?: string };

/** The result type of each {@link TrustedDeviceCommand}. */
export interface TrustedDeviceResults {
  trustDevice: TrustDeviceResult;
  revokeDevice: { readonly ok: true; readonly revoked: boolean };
  revokeAllDevices: { readonly ok: true; readonly revoked: number };
}

// The commands and results join `MfaCommand`/`MfaResults` from here (no core file imports a feature).
declare module '../../transitions.js' {
  interface MfaFeatureCommands {
    trustedDevices: TrustedDeviceCommand;
  }
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merged into MfaResults
  interface MfaResults extends TrustedDeviceResults {}
}

/** Service methods the trusted-device feature adds to `Mfa`. */
export interface TrustedDevicesMfa {
  /**
   * "Remember this device": right after `verifyLogin` with a code (within `verifiedWithin`), a token
   * to keep on the device; `verifyLogin(userId, token)` then answers `{ ok: true, method: 'device' }`.
   * One login trusts one device.
   */
  trustDevice(userId: string, options?: { label?: string; ttl?: number }): Promise<TrustDeviceResult>;
  /** The devices trusted now (never a hash), most recently used first. Reads only. */
  listDevices(userId: string): Promise<TrustedDeviceSummary[]>;
  /** Revokes one device by id. */
  revokeDevice(userId: string, id: string): Promise<{ readonly ok: true; readonly revoked: boolean }>;
  /**
   * Revokes every device and moves the MFA epoch on (every session bound to the old one ends).
   * Pass `actor` when an administrator does it.
   */
  revokeAllDevices(userId: string, options?: { actor?: string }): Promise<{ readonly ok: true; readonly revoked: number }>;
}

/**
 * Trusted devices ("remember this device for 30 days"): a device token, shown once and stored as
 * its SHA-256, that `verifyLogin` accepts instead of a code. Bounded per user; revoked one by one,
 * all at once, by a login with a recovery code, and by every change that moves the MFA epoch on.
 *
 * @throws {@link MfaError} `INVALID_OPTION` for bad options
 * @example Remember this device
 * ```ts
 * import { createMfa, MemoryStore, trustedDevices } from 'mfakit';
 * const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', features: [trustedDevices({ ttl: 30 * 86_400_000, max: 5 })] });
 * declare const code: string;
 * const login = await mfa.verifyLogin('u1', code);
 * if (login.ok) {
 *   const trusted = await mfa.trustDevice('u1', { label: 'Firefox on Linux' });
 *   if (trusted.ok) console.log('set an HTTP-only cookie with', trusted.id); // the cookie holds trusted.token
 * }
 * // Next login, after the password: the cookie instead of a code.
 * declare const cookie: string;
 * (await mfa.verifyLogin('u1', cookie)).ok;
 * ```
 */
export function trustedDevices(options: TrustedDevicesOptions = {}): MfaFeature<TrustedDevicesMfa> {
  const o = resolveTrustedDevicesOptions(options ?? {});
  return {
    name: 'trustedDevices',
    handlers: {
      trustDevice: (record, command, ctx) => trustDeviceTransition(record, command, ctx, o),
      revokeDevice: revokeDeviceTransition,
      revokeAllDevices: revokeAllDevicesTransition,
    },
    slice: { key: 'trustedDevices', problem: trustedDevicesProblem },
    loginInput: deviceLogin,
    // The device with the factor is probably lost when a recovery code is used: trust nothing kept.
    afterLogin: (record, method, ctx, events) => {
      if (method !== 'recovery') return record;
      const dropped = dropAll(record, ctx, 'recovery_code', epochOf(record));
      if (dropped === null) return record;
      events.push(...dropped.events);
      return { ...record, ...dropped.patch };
    },
    epochBumped: (record, ctx) => dropAll(record, ctx, 'security_change', epochOf(record) - 1),
    methods: ({ execute, read, clock }) => ({
      trustDevice: (userId, t = {}) =>
        execute(userId, {
          type: 'trustDevice',
          ...(t.label === undefined ? {} : { label: t.label }),
          ...(t.ttl === undefined ? {} : { ttl: t.ttl }),
        }) as Promise<TrustDeviceResult>,
      async listDevices(userId) {
        return summarize(await read(userId), clock.now());
      },
      async revokeDevice(userId, id) {
        if (typeof id !== 'string') throw new MfaError('INVALID_OPTION', 'id must be a string');
        return execute(userId, { type: 'revokeDevice', id }) as Promise<{ readonly ok: true; readonly revoked: boolean }>;
      },
      async revokeAllDevices(userId, r = {}) {
        if (r.actor !== undefined) checkActor(r.actor);
        return execute(userId, r.actor === undefined ? { type: 'revokeAllDevices' } : { type: 'revokeAllDevices', actor: r.actor }) as Promise<{
          readonly ok: true;
          readonly revoked: number;
        }>;
      },
    }),
  };
}

export type { TrustDeviceResult, TrustedDeviceSummary, TrustedDevicesOptions } from './transitions.js';
export type { TrustedDevicesSlice, StoredTrustedDevice } from './slice.js';
export type { TrustedDeviceEvent } from './events.js';
