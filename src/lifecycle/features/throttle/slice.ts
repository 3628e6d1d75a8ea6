// The per-client throttling slice of a user's record: its type and the shape check `parseRecord`
// runs on it. Imports nothing from the lifecycle, so the record can include it without a cycle.

/**
 * Failure state of one client (an IP address, a device id: whatever the caller passes as
 * `verifyLogin(…, { client })`) for one user. Kept in the user's record, at most
 * `throttle.maxClients` of them.
 */
export interface ClientThrottleState {
  /**
   * First 16 bytes of SHA-256(userId, NUL, client), base64url. Not the client id: a store dump then
   * shows no address and cannot link one client across users. It is no secret either (an IPv4
   * address is found again by trying all 2^32), which is why an unkeyed hash is enough.
   */
  readonly key: string;
  /** Consecutive mismatches from this client since its last success. */
  readonly failures: number;
  /** While `now < lockedUntil`, this client's checks answer `locked` without looking at the input. */
  readonly lockedUntil: number | null;
  /** Last counted check (failure or success) from this client; the least recently seen goes first. */
  readonly seenAt: number;
  /**
   * Last success from this client. A client that has passed a check once is not held by the
   * account-wide lock (only by its own), so an attacker elsewhere cannot keep the owner out.
   */
  readonly verifiedAt: number | null;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** @internal Shape check of a stored `clients` field (run by `parseRecord`). */
export function clientsAreValid(value: unknown): boolean {
  if (!Array.isArray(value) || value.length > 1000) return false;
  return value.every((c: unknown) => {
    if (typeof c !== 'object' || c === null) return false;
    const e = c as Record<string, unknown>;
    return (
      typeof e.key === 'string' &&
      e.key.length > 0 &&
      e.key.length <= 64 &&
      isInt(e.failures) &&
      e.failures >= 0 &&
      (e.lockedUntil === null || isInt(e.lockedUntil)) &&
      isInt(e.seenAt) &&
      (e.verifiedAt === null || isInt(e.verifiedAt))
    );
  });
}
