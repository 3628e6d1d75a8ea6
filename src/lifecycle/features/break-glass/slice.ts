import { isInt, isObject, isText } from '../slice-check.js';

/** An open break-glass request as stored. */
export interface OpenRecovery {
  readonly id: string;
  /** What the requester said (shown to support and in the notices). */
  readonly reason: string;
  readonly requestedAt: number;
  /** End of the cooling-off period. */
  readonly availableAt: number;
  /** When the final notice was sent; null until then. Completion waits `remindBefore` after it. */
  readonly remindedAt: number | null;
}

/** The slice of `MfaRecord` break-glass recovery owns: the open request and recent request times (throttling). */
export interface BreakGlassSlice {
  readonly breakGlass?: { readonly open: OpenRecovery | null; readonly requests: readonly number[] } | null;
}

/** @internal Validates a stored `breakGlass` slice; the problem, or null. */
export function breakGlassProblem(value: unknown): string | null {
  if (!isObject(value) || !Array.isArray(value.requests) || value.requests.length > 1000 || !value.requests.every(isInt)) return 'breakGlass';
  const o = value.open;
  if (o === null) return null;
  const ok =
    isObject(o) &&
    isText(o.id, 64) &&
    typeof o.reason === 'string' &&
    isInt(o.requestedAt) &&
    isInt(o.availableAt) &&
    (o.remindedAt === null || isInt(o.remindedAt));
  return ok ? null : 'breakGlass.open';
}

// The slice joins `MfaRecord` from here, so the record module never imports a feature.
declare module '../../record.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merged into MfaRecord
  interface MfaRecord extends BreakGlassSlice {}
}
