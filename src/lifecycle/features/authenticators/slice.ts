import type { OneTimeCodeChallenge } from '../../../one-time-codes.js';
import { checkMethod, type MethodState, type MfaRecord } from '../../record.js';
import { oneTimeCodesProblem } from '../one-time-codes/slice.js';
import { isInt, isObject, isText } from '../slice-check.js';

/** Where an authenticator stands: enrolled but not confirmed by its own code yet, or in use. */
export type AuthenticatorStatus = 'pending' | 'active';

/**
 * What the record keeps about one authenticator besides its secret: its public id, the name the user
 * gave it, when it last passed a check, and the learned clock drift of a TOTP one.
 */
export interface AuthenticatorMeta {
  readonly id: string;
  readonly name: string;
  readonly lastUsedAt: number | null;
  /** Learned centre of a TOTP window, in steps (0: none). */
  readonly drift?: number;
  /** The step offset of the last accepted codes and how many in a row had it (drift learning). */
  readonly seen?: readonly [delta: number, count: number];
}

/** An authenticator beyond the user's primary factor (`record.method`). */
export interface StoredAuthenticator extends AuthenticatorMeta {
  readonly status: AuthenticatorStatus;
  readonly createdAt: number;
  /** TOTP/HOTP: the secret; e-mail/SMS: the destination codes go to. */
  readonly method: MethodState;
}

/**
 * The slice of `MfaRecord` the `authenticators()` feature owns. The primary factor stays in
 * `record.method` (so a record without this slice is one authenticator named "Authenticator"); the
 * slice holds its name and the others, secrets included (sealed like the primary's with a cipher).
 */
export interface AuthenticatorsSlice {
  readonly authenticators?: {
    readonly primary: AuthenticatorMeta | null;
    readonly extra: readonly StoredAuthenticator[];
    /** The other authenticator the pending e-mail/SMS code went to, with that code's salt (its identity). */
    readonly sentTo?: { readonly id: string; readonly salt: string } | null;
    /** The e-mail/SMS code last accepted (its hash), kept until it expires so a second use is `replayed`. */
    readonly spent?: { readonly id: string; readonly challenge: OneTimeCodeChallenge } | null;
  } | null;
}

/** Id and name of the primary factor of a record written before the feature (or without it). */
export const PRIMARY_ID = 'primary';
export const DEFAULT_NAME = 'Authenticator';

function metaProblem(m: unknown): boolean {
  if (!isObject(m) || !isText(m.id, 64) || !isText(m.name, 64) || !(m.lastUsedAt === null || isInt(m.lastUsedAt))) return true;
  if (m.drift !== undefined && (!isInt(m.drift) || Math.abs(m.drift) > 1000)) return true;
  const seen = m.seen;
  return seen !== undefined && !(Array.isArray(seen) && seen.length === 2 && isInt(seen[0]) && isInt(seen[1]));
}

/** @internal Validates a stored `authenticators` slice; the problem, or null. */
export function authenticatorsProblem(value: unknown): string | null {
  if (!isObject(value) || !Array.isArray(value.extra) || value.extra.length > 100) return 'authenticators';
  if (value.primary !== null && metaProblem(value.primary)) return 'authenticators.primary';
  for (const a of value.extra as unknown[]) {
    if (metaProblem(a)) return 'authenticators entry';
    const e = a as Record<string, unknown>;
    if ((e.status !== 'pending' && e.status !== 'active') || !isInt(e.createdAt)) return 'authenticators entry';
    try {
      checkMethod(e.method);
    } catch {
      return 'authenticators.method';
    }
    if (e.method === null) return 'authenticators.method';
  }
  const { sentTo, spent } = value;
  if (sentTo != null && (!isObject(sentTo) || !isText(sentTo.id, 64) || !isText(sentTo.salt, 64))) return 'authenticators.sentTo';
  if (spent != null && (!isObject(spent) || !isText(spent.id, 64) || oneTimeCodesProblem({ sentAt: [], challenge: spent.challenge ?? 0 }) !== null)) {
    return 'authenticators.spent';
  }
  return null;
}

/** @internal The primary's metadata (defaults for a record without the slice) and the others. */
export function sliceOf(record: MfaRecord): {
  primary: AuthenticatorMeta;
  extra: readonly StoredAuthenticator[];
  sentTo: { readonly id: string; readonly salt: string } | null;
  spent: { readonly id: string; readonly challenge: OneTimeCodeChallenge } | null;
} {
  const s = record.authenticators;
  return { primary: s?.primary ?? { id: PRIMARY_ID, name: DEFAULT_NAME, lastUsedAt: null }, extra: s?.extra ?? [], sentTo: s?.sentTo ?? null, spent: s?.spent ?? null };
}

/** @internal The record with the primary's metadata and the other authenticators replaced. */
export function withAuthenticators(record: MfaRecord, primary: AuthenticatorMeta, extra: readonly StoredAuthenticator[]): MfaRecord {
  return { ...record, authenticators: { ...record.authenticators, primary, extra } };
}

// The slice joins `MfaRecord` from here, so the record module never imports a feature.
declare module '../../record.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merged into MfaRecord
  interface MfaRecord extends AuthenticatorsSlice {}
}
