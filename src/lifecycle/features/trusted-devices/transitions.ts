import { MfaError } from '../../../errors.js';
import { checkInteger } from '../../../_internal/check.js';
import { decodeBase64Url, encodeBase64Url } from '../../../_internal/base64.js';
import { findDigest, sha256Text } from '../../../_internal/digest.js';
import { redact } from '../../../_internal/redact.js';
import { checkText } from '../../../_internal/text.js';
import { epochOf, bumpEpoch } from '../../epoch.js';
import type { MfaEvent } from '../../events.js';
import type { FeatureLoginCheck } from '../../feature.js';
import type { MfaRecord } from '../../record.js';
import type { Transition, TransitionContext } from '../../transition-types.js';
import { isLocked } from '../throttle/throttle.js';
import type { StoredTrustedDevice } from './slice.js';

/** Options of the `trustedDevices()` feature. */
export interface TrustedDevicesOptions {
  /** Lifetime of a trust, ms; also the most a `trustDevice` call may ask for. Default 30 days. */
  readonly ttl?: number;
  /** Trusted devices per user; a new one past it evicts the least recently used. Default 10. */
  readonly max?: number;
  /**
   * How recent the user's last `verifyLogin` with a code must be for `trustDevice`, ms. Default
   * 300 000 (5 minutes): "remember this device" is offered on the page right after the code.
   */
  readonly verifiedWithin?: number;
}

/** @internal {@link TrustedDevicesOptions} with defaults filled in. */
export interface ResolvedTrustedDevicesOptions {
  readonly ttl: number;
  readonly max: number;
  readonly verifiedWithin: number;
}

const DAY = 86_400_000;
/** Device tokens start with it, so `verifyLogin` tells them from codes without trying a code. */
export const DEVICE_TOKEN_PREFIX = 'mfad_';
const TOKEN = /^mfad_[A-Za-z0-9_-]{43}$/;
/** A login within this long of the recorded last use writes nothing (no write per request). */
const LAST_USED_RESOLUTION = 60_000;

/** @internal Fills in defaults and validates {@link TrustedDevicesOptions}. */
export function resolveTrustedDevicesOptions(o: TrustedDevicesOptions = {}): ResolvedTrustedDevicesOptions {
  return {
    ttl: checkInteger('trustedDevices.ttl', o.ttl ?? 30 * DAY, 60_000, 400 * DAY),
    max: checkInteger('trustedDevices.max', o.max ?? 10, 1, 100),
    verifiedWithin: checkInteger('trustedDevices.verifiedWithin', o.verifiedWithin ?? 300_000, 1_000, DAY),
  };
}

/** Result of `trustDevice`. */
export type TrustDeviceResult =
  | {
      readonly ok: true;
      /** Shown once: keep it in a long-lived, HTTP-only cookie; never log it. */
      readonly token: string;
      readonly id: string;
      readonly expiresAt: number;
      /** Ids of the devices this one pushed out (past `max`). */
      readonly evicted: readonly string[];
    }
  /**
   * `not_active`: no MFA to skip. `verification_required`: no `verifyLogin` with a code within
   * `verifiedWithin`, or that login already trusted a device (one login, one device).
   */
  | { readonly ok: false; readonly reason: 'not_active' | 'verification_required' };

/** What `listDevices` shows: never the hash. */
export interface TrustedDeviceSummary {
  readonly id: string;
  readonly label: string;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  readonly expiresAt: number;
}

/** @internal The devices still trusted at `now`: not expired, trusted in the current epoch. */
export function liveDevices(record: MfaRecord, now: number): StoredTrustedDevice[] {
  const epoch = epochOf(record);
  return (record.trustedDevices ?? []).filter((d) => d.epoch === epoch && now < d.expiresAt);
}

/** @internal The summaries of {@link liveDevices}, most recently used first. */
export function summarize(record: MfaRecord, now: number): TrustedDeviceSummary[] {
  const lastSeen = (d: StoredTrustedDevice) => d.lastUsedAt ?? d.createdAt;
  return liveDevices(record, now)
    .sort((a, b) => lastSeen(b) - lastSeen(a))
    .map(({ id, label, createdAt, lastUsedAt, expiresAt }) => ({ id, label, createdAt, lastUsedAt, expiresAt }));
}

/**
 * `trustDevice`: after a login with a code, issues a device token that `verifyLogin` accepts instead
 * of a code until it expires, the user revokes it, or the MFA epoch moves on. Needs a `verifyLogin`
 * with a code (or recovery code) within `verifiedWithin`, and trusts at most one device per such
 * login. Past `max` devices the least recently used is evicted.
 */
export function trustDeviceTransition(
  record: MfaRecord,
  command: { readonly label?: string; readonly ttl?: number },
  ctx: TransitionContext,
  o: ResolvedTrustedDevicesOptions,
): Transition<TrustDeviceResult> {
  const ttl = checkInteger('ttl', command.ttl ?? o.ttl, 60_000, o.ttl);
  const label = command.label ?? '';
  if (typeof label !== 'string' || label.length > 256) throw new MfaError('INVALID_OPTION', 'label must be a string of at most 256 characters');
  checkText('label', label);
  const { now } = ctx;
  if (record.status !== 'active') return { record, result: { ok: false, reason: 'not_active' }, events: [] };
  const at = record.verifiedAt ?? null;
  const live = liveDevices(record, now);
  const fresh = at !== null && at <= now && now - at <= o.verifiedWithin;
  if (!fresh || live.some((d) => d.createdAt >= at)) return { record, result: { ok: false, reason: 'verification_required' }, events: [] };
  const events: MfaEvent[] = [];
  const evicted: string[] = [];
  while (live.length >= o.max) {
    let oldest = 0;
    for (let i = 1; i < live.length; i++) if ((live[i]!.lastUsedAt ?? live[i]!.createdAt) < (live[oldest]!.lastUsedAt ?? live[oldest]!.createdAt)) oldest = i;
    const [gone] = live.splice(oldest, 1);
    evicted.push(gone!.id);
    events.push({ type: 'device_revoked', userId: record.userId, at: now, deviceId: gone!.id, reason: 'evicted' });
  }
  const token = DEVICE_TOKEN_PREFIX + encodeBase64Url(ctx.rng(32));
  const id = encodeBase64Url(ctx.rng(12));
  const device: StoredTrustedDevice = {
    id,
    hash: encodeBase64Url(sha256Text(token)),
    label,
    createdAt: now,
    lastUsedAt: null,
    expiresAt: now + ttl,
    epoch: epochOf(record),
  };
  events.push({ type: 'device_trusted', userId: record.userId, at: now, deviceId: id, label, expiresAt: device.expiresAt });
  return {
    record: { ...record, trustedDevices: [...live, device], updatedAt: now },
    result: redact({ ok: true, token, id, expiresAt: device.expiresAt, evicted }, ['token']),
    events,
  };
}

/** `revokeDevice`: one device by id stops being trusted at once. */
export function revokeDeviceTransition(
  record: MfaRecord,
  command: { readonly id: string },
  ctx: TransitionContext,
): Transition<{ readonly ok: true; readonly revoked: boolean }> {
  const live = liveDevices(record, ctx.now);
  const rest = live.filter((d) => d.id !== command.id);
  if (rest.length === live.length) return { record, result: { ok: true, revoked: false }, events: [] };
  const event: MfaEvent = { type: 'device_revoked', userId: record.userId, at: ctx.now, deviceId: command.id, reason: 'user' };
  return { record: { ...record, trustedDevices: rest, updatedAt: ctx.now }, result: { ok: true, revoked: true }, events: [event] };
}

/**
 * `revokeAllDevices`: every device stops being trusted, and the MFA epoch moves on ("sign out
 * everywhere"): sessions bound to the old epoch end too. Always written and audited.
 */
export function revokeAllDevicesTransition(
  record: MfaRecord,
  command: { readonly actor?: string },
  ctx: TransitionContext,
): Transition<{ readonly ok: true; readonly revoked: number }> {
  const count = liveDevices(record, ctx.now).length;
  const base = { type: 'devices_revoked', userId: record.userId, at: ctx.now, count } as const;
  const events: MfaEvent[] = [command.actor === undefined ? { ...base, reason: 'user' } : { ...base, reason: 'admin', actor: command.actor }];
  const next = bumpEpoch({ ...record, trustedDevices: [], updatedAt: ctx.now }, ctx, events);
  return { record: next, result: { ok: true, revoked: count }, events };
}

/**
 * @internal Every stored device dropped, or null when none is stored; the event counts those that
 * were trusted in `epoch` (the one just left, when the epoch moved on) and not expired.
 */
export function dropAll(
  record: MfaRecord,
  ctx: TransitionContext,
  reason: 'recovery_code' | 'security_change',
  epoch: number,
): { patch: Partial<MfaRecord>; events: MfaEvent[] } | null {
  if ((record.trustedDevices ?? []).length === 0) return null;
  const count = (record.trustedDevices ?? []).filter((d) => d.epoch === epoch && ctx.now < d.expiresAt).length;
  const events: MfaEvent[] = count === 0 ? [] : [{ type: 'devices_revoked', userId: record.userId, at: ctx.now, count, reason }];
  return { patch: { trustedDevices: [] }, events };
}

/**
 * @internal `verifyLogin` with a device token: accepted while the device is trusted (same epoch, not
 * expired, not revoked). An unknown, revoked or expired token answers `expired` ("ask for a code")
 * and is not counted toward the lockout: 256 random bits are not guessable. The account (or client)
 * lock applies as to a code. The comparison scans every stored hash in constant time.
 */
export function deviceLogin(record: MfaRecord, input: string, ctx: TransitionContext, events: MfaEvent[], client: string | undefined): FeatureLoginCheck | undefined {
  if (typeof input !== 'string' || !input.startsWith(DEVICE_TOKEN_PREFIX)) return undefined;
  const { now } = ctx;
  // The lock as `checkFactor` applies it (per client with the clientThrottle feature).
  const throttle = ctx.options.throttle === null ? undefined : ctx.features?.clientThrottle;
  const blocked =
    client === undefined || throttle === undefined ? (isLocked(record, now) ? record.lockedUntil : null) : throttle.blockedUntil(record, client, now);
  if (blocked !== null) return { ok: false, record, reason: 'locked', retryAt: blocked };
  const fail = (reason: 'format' | 'expired'): FeatureLoginCheck => {
    events.push({ type: 'failed', userId: record.userId, at: now, operation: 'verifyLogin', reason, failures: record.failures });
    return { ok: false, record, reason };
  };
  const token = input.length < 100 ? input.trim() : '';
  if (!TOKEN.test(token)) return fail('format');
  const stored = record.trustedDevices ?? [];
  const epoch = epochOf(record);
  const hashes = stored.map((d) => (d.epoch === epoch && now < d.expiresAt ? decodeBase64Url(d.hash) : null));
  const index = findDigest(hashes, sha256Text(token));
  if (index === -1) return fail('expired');
  const device = stored[index]!;
  if (device.lastUsedAt !== null && now - device.lastUsedAt < LAST_USED_RESOLUTION && now >= device.lastUsedAt) {
    return { ok: true, record, method: 'device' };
  }
  const trustedDevices = stored.map((d, i) => (i === index ? { ...d, lastUsedAt: now } : d));
  return { ok: true, record: { ...record, trustedDevices, updatedAt: now }, method: 'device' };
}
