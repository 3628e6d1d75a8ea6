import { MfaError } from '../../../errors.js';
import { encodeBase64Url } from '../../../_internal/base64.js';
import { sha256Text } from '../../../_internal/digest.js';
import type { CheckedOperation, MfaEvent } from '../../events.js';
import type { ResolvedLifecycleOptions } from '../../options.js';
import type { MfaRecord } from '../../record.js';
import type { MfaFeature } from '../../transition-types.js';
import { isLocked, lockDuration } from './throttle.js';
import { checkText } from '../../../_internal/text.js';
import type { ClientThrottleState } from './slice.js';

export { clientsAreValid, type ClientThrottleState } from './slice.js';

/**
 * @internal The stored key of a client id for a user; INVALID_OPTION for a wrong type or length,
 * INVALID_INPUT for a control character or a lone surrogate (UTF-8 encoding turns every lone
 * surrogate into U+FFFD, so two such ids would share one key).
 */
export function clientKey(userId: string, client: unknown): string {
  if (typeof client !== 'string' || client.length === 0 || client.length > 512) {
    throw new MfaError('INVALID_OPTION', 'client must be a string of 1 to 512 characters');
  }
  checkText('client', client);
  return encodeBase64Url(sha256Text(`${userId}\u0000${client}`).subarray(0, 16));
}

function clientsOf(record: MfaRecord): readonly ClientThrottleState[] {
  return record.clients ?? [];
}

function find(record: MfaRecord, key: string): ClientThrottleState | undefined {
  return clientsOf(record).find((c) => c.key === key);
}

/**
 * @internal Until when a check from this client is refused, or null: the client's own lock, else the
 * account lock unless this client has passed a check before.
 */
export function clientBlockedUntil(record: MfaRecord, key: string, now: number): number | null {
  const entry = find(record, key);
  if (entry !== undefined && entry.lockedUntil !== null && now < entry.lockedUntil) return entry.lockedUntil;
  if (isLocked(record, now) && (entry === undefined || entry.verifiedAt === null)) return record.lockedUntil;
  return null;
}

/**
 * The entry stored, moved to the end (most recently seen); beyond `maxClients` the least recently
 * seen client that never passed a check is dropped first, so a flood of new clients cannot push the
 * owner's known ones out before every other entry is gone.
 */
function put(record: MfaRecord, entry: ClientThrottleState, maxClients: number): MfaRecord {
  const list = clientsOf(record).filter((c) => c.key !== entry.key);
  list.push(entry);
  while (list.length > maxClients) {
    const untrusted = list.findIndex((c) => c.verifiedAt === null);
    list.splice(untrusted === -1 ? 0 : untrusted, 1);
  }
  return { ...record, clients: list };
}

/**
 * @internal Counts one mismatch from a client. The client locks after `throttle.maxFailures` of its
 * own (escalating like the account lock, `client_locked` event); the account counts it too and locks
 * only after `throttle.accountMaxFailures` (the bound on guesses spread over many clients).
 */
export function countClientFailure(
  record: MfaRecord,
  key: string,
  operation: CheckedOperation,
  now: number,
  options: ResolvedLifecycleOptions,
  events: MfaEvent[],
  weight = 1,
): MfaRecord {
  const throttle = options.throttle!;
  const entry = find(record, key);
  const clientFailures = (entry?.failures ?? 0) + weight;
  const clientLock = lockDuration(clientFailures, throttle);
  const failures = record.failures + weight;
  const accountLock = lockDuration(failures, { ...throttle, maxFailures: throttle.accountMaxFailures });
  events.push({ type: 'failed', userId: record.userId, at: now, operation, reason: 'mismatch', failures });
  if (clientLock > 0) {
    events.push({ type: 'client_locked', userId: record.userId, at: now, client: key, until: now + clientLock, failures: clientFailures });
  }
  if (accountLock > 0) events.push({ type: 'locked', userId: record.userId, at: now, until: now + accountLock, failures });
  const next: ClientThrottleState = {
    key,
    failures: clientFailures,
    lockedUntil: clientLock > 0 ? now + clientLock : (entry?.lockedUntil ?? null),
    seenAt: now,
    verifiedAt: entry?.verifiedAt ?? null,
  };
  const counted: MfaRecord = { ...record, failures, lockedUntil: accountLock > 0 ? now + accountLock : record.lockedUntil, updatedAt: now };
  return put(counted, next, throttle.maxClients);
}

/** @internal A success from a client: its failures cleared, and it becomes a known client. */
export function clientSucceeded(record: MfaRecord, key: string, now: number, options: ResolvedLifecycleOptions): MfaRecord {
  return put(record, { key, failures: 0, lockedUntil: null, seenAt: now, verifiedAt: now }, options.throttle!.maxClients);
}

/** @internal Every client's failure state cleared; clients that never passed a check are forgotten. */
export function clientsUnlocked(record: MfaRecord): MfaRecord {
  if (record.clients === undefined || record.clients === null) return record;
  const known = record.clients
    .filter((c) => c.verifiedAt !== null)
    .map((c): ClientThrottleState => ({ ...c, failures: 0, lockedUntil: null }));
  return { ...record, clients: known };
}

/**
 * Per-client throttling as an opt-in feature: with it, `verifyLogin(userId, input, { client })` locks
 * a failing client (an IP address, a device id) after `throttle.maxFailures` of its own failures, and
 * the account only after `throttle.accountMaxFailures` failures from all clients together; a client
 * that has passed a check before is not held by the account lock. So an attacker who has the
 * password cannot keep the owner out with one wrong code per lock period. Without it, passing
 * `client` is `INVALID_OPTION` naming this feature (never silently ignored).
 *
 * @example
 * ```ts
 * import { clientThrottle, createMfa, MemoryStore } from 'mfakit';
 * const mfa = createMfa({ issuer: 'Acme', store: new MemoryStore(), features: [clientThrottle()] });
 * await mfa.verifyLogin('user-42', '123456', { client: 'device:3f2a' });
 * ```
 */
export function clientThrottle(): MfaFeature {
  return {
    name: 'clientThrottle',
    clientThrottle: { key: clientKey, blockedUntil: clientBlockedUntil, succeeded: clientSucceeded, countFailure: countClientFailure },
  };
}
