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

/**
 * Default limit across every purpose: 10 codes per hour to one user, whatever they are for. Each
 * purpose also has its own limit (`resend`), so an enrolment code does not hold back the first login
 * code, while a flood of codes for rotating purposes still stops here.
 */
const DEFAULT_TOTAL = { minInterval: 0, maxPerWindow: 10, window: 3_600_000 } as const;

/** The across-purposes limit with defaults (10 per hour), validated; null when off. */
export function resendTotalLimit(limit: ResendLimit | false | undefined): Required<ResendLimit> | null {
  if (limit === false) return null;
  const l = limit ?? {};
  return {
    minInterval: checkInteger('resendTotal.minInterval', l.minInterval ?? DEFAULT_TOTAL.minInterval, 0, 86_400_000),
    maxPerWindow: checkInteger('resendTotal.maxPerWindow', l.maxPerWindow ?? DEFAULT_TOTAL.maxPerWindow, 1, 10_000),
    window: checkInteger('resendTotal.window', l.window ?? DEFAULT_TOTAL.window, 1, 31 * 86_400_000),
  };
}

/** A send history: times, oldest first, and the purpose of each (absent in state written before purposes were kept). */
export interface SendHistory {
  readonly sentAt: readonly number[];
  readonly sentFor?: readonly string[];
}

/**
 * Checks one more `purpose` send against its own limit and the total one; the history to store
 * (entries older than both windows dropped) or when to retry. A history without purposes counts
 * every earlier send against every purpose, as the shared limit of older versions did.
 */
export function checkResend(
  history: SendHistory,
  purpose: string,
  now: number,
  own: Required<ResendLimit> | null,
  total: Required<ResendLimit> | null,
): { ok: true; next: Required<SendHistory> } | { ok: false; retryAt: number } {
  const keep = Math.max(own?.window ?? 0, total?.window ?? 0);
  const known = Array.isArray(history.sentFor) && history.sentFor.length === history.sentAt.length;
  const times: number[] = [];
  const purposes: string[] = [];
  history.sentAt.forEach((t, i) => {
    if (t > now - keep) {
      times.push(t);
      purposes.push(known ? history.sentFor![i]! : '');
    }
  });
  let retryAt = -Infinity;
  if (own !== null) {
    const mine = times.filter((t, i) => t > now - own.window && (!known || purposes[i] === purpose));
    retryAt = nextSendAt(mine, own);
  }
  if (total !== null) retryAt = Math.max(retryAt, nextSendAt(times.filter((t) => t > now - total.window), total));
  if (retryAt > now) return { ok: false, retryAt };
  return { ok: true, next: { sentAt: [...times, now], sentFor: [...purposes, purpose] } };
}
