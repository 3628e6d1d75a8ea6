// The resend rate limit of one-time codes, as pure data: the send times inside the window.
// `ResendLimit` is public (re-exported by one-time-codes.ts) but declared here, next to its
// defaults, so that this module does not import the one that imports it.
import { checkInteger } from './check.js';

/** Resend rate limit. Default: one code per 30 s and at most 5 per hour. */
export interface ResendLimit {
  /** Least time between two codes, ms. Default 30 000. */
  minInterval?: number;
  /** Most codes per window. Default 5. */
  maxPerWindow?: number;
  /** The window, ms. Default 3 600 000 (one hour). */
  window?: number;
}

const DEFAULT_RESEND = { minInterval: 30_000, maxPerWindow: 5, window: 3_600_000 } as const;

/** The limit with defaults (one per 30 s, 5 per hour), validated. */
export function resendLimit(limit: ResendLimit | undefined): Required<ResendLimit> {
  const l = limit ?? {};
  return {
    minInterval: checkInteger('resend.minInterval', l.minInterval ?? DEFAULT_RESEND.minInterval, 0, 86_400_000),
    maxPerWindow: checkInteger('resend.maxPerWindow', l.maxPerWindow ?? DEFAULT_RESEND.maxPerWindow, 1, 10_000),
    window: checkInteger('resend.window', l.window ?? DEFAULT_RESEND.window, 1, 31 * 86_400_000),
  };
}

/** Earliest time the next code may be sent, given the send times inside the window (oldest first). */
export function nextSendAt(sentAt: readonly number[], limit: Required<ResendLimit>): number {
  if (sentAt.length === 0) return -Infinity;
  let retryAt = sentAt[sentAt.length - 1]! + limit.minInterval;
  if (sentAt.length >= limit.maxPerWindow) {
    retryAt = Math.max(retryAt, sentAt[sentAt.length - limit.maxPerWindow]! + limit.window);
  }
  return retryAt;
}
