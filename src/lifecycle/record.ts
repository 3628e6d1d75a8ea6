import { MfaError } from '../errors.js';
import { setOwn } from '../_internal/own.js';
import type { OtpAlgorithm } from '../hotp.js';
import type { StoredRecoveryCodeSet } from '../recovery-code-set.js';
import type { StoredRecord } from './store.js';
import { clientsAreValid, type ClientThrottleState } from './features/throttle/slice.js';

/**
 * Schema number of the records this version of mfakit writes. Older schemas are migrated on read:
 * schema 1 kept the recovery codes as per-code records (`StoredRecoveryCode[]`); schema 2 keeps one
 * {@link StoredRecoveryCodeSet}. The `recoveryCodes()` feature packs the old form when it reads it
 * (in either schema); without the feature the field is kept as stored.
 *
 * @example
 * ```ts
 * import { emptyRecord, RECORD_SCHEMA } from 'mfakit/lifecycle';
 * emptyRecord('alice', Date.now()).schema === RECORD_SCHEMA; // true
 * ```
 */
export const RECORD_SCHEMA = 2;

/** Where a user stands: no MFA, enrolment started but not confirmed, or MFA in force. */
export type MfaStatus = 'disabled' | 'pending' | 'active';

export type {
  TotpMethodState,
  HotpMethodState,
  SecretMethodState,
  OutOfBandChannel,
  OutOfBandMethodState,
  MethodState,
  MethodType,
} from './method-state.js';
import type { MethodState, TotpMethodState } from './method-state.js';

/** Per-user enforcement set by an administrator, with the grace terms a feature stored (`enforcementDeadlines()`). */
export interface UserPolicy {
  readonly required: boolean;
  readonly [term: string]: unknown;
}

/**
 * The core slice of a user's record: status, factor, recovery codes, throttling, policy and times.
 */
export interface CoreRecord {
  readonly schema: 2;
  readonly kind: 'user';
  /** Optimistic-concurrency version: 0 for a record never written, then 1, 2, … */
  readonly version: number;
  readonly userId: string;
  readonly status: MfaStatus;
  readonly method: MethodState | null;
  /**
   * Hashes of the recovery codes (never the codes), with their used marks; null for none. Owned by
   * the `recoveryCodes()` feature: validated (and a schema-1 list packed) only with it; without it a
   * stored set is kept as it is, never read, and cleared with the factor.
   */
  readonly recoveryCodes: StoredRecoveryCodeSet | null;
  /** Consecutive failed checks since the last success. */
  readonly failures: number;
  /** While `now < lockedUntil`, every check answers `locked` without looking at the input. */
  readonly lockedUntil: number | null;
  readonly policy: UserPolicy | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** When the current factor was confirmed (status became active). */
  readonly activatedAt: number | null;
  /**
   * When the user last passed `verifyLogin`: a `{ fresh: true }` proof counts within `freshWithin`
   * of it. Null until the first login (absent in records written before this field existed).
   */
  readonly verifiedAt?: number | null;
  /**
   * When the user replaced an active factor with `resetSecret` and has not confirmed the new one yet.
   * Until then the user still counts as enrolled: `disable` needs a proof, the API refuses the account
   * password, and an expired enrolment leaves `loginRequirement` at `enroll`. Cleared by
   * `confirmEnrollment`, `disable` and `adminReset`.
   */
  readonly resetAt?: number | null;
  /** Failure state per client (`verifyLogin(…, { client })`), most recently seen last; null for none. */
  readonly clients?: readonly ClientThrottleState[] | null;
  /**
   * The MFA epoch: bumped by every security-relevant change (reset, disable, administrator reset,
   * finished recovery, all trusted devices revoked). Absent in records written before it existed: 0.
   */
  readonly epoch?: number;
}

/**
 * The MFA state of one user: plain JSON data, validated on every read. It is the composition of the
 * core slice and one slice per feature (each absent when the feature never wrote it), and every
 * slice is validated by its own parser. Fields this version does not know are kept as they are
 * (forward compatibility), but never read.
 *
 * Open for features: a feature adds its slice from its own folder by declaration merging, so the
 * record module never imports a feature:
 * `declare module '../../record.js' { interface MfaRecord extends MySlice {} }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- extended by the features' slices
export interface MfaRecord extends CoreRecord {}

/** The validator of one feature's slice for {@link parseRecord}: the record field it owns, and its problem (a field name) or null. */
export interface SliceParser {
  readonly key: string;
  problem(value: unknown): string | null;
  /** The valid stored value in its working form (e.g. an older layout converted); absent: as stored. */
  read?(value: unknown): unknown;
}

/**
 * A fresh record for a user who never had MFA: what the lifecycle works on when the store has none.
 *
 * @example
 * ```ts
 * import { emptyRecord } from 'mfakit/lifecycle';
 * emptyRecord('alice', Date.now()).status; // 'disabled'
 * ```
 */
export function emptyRecord(userId: string, now: number): MfaRecord {
  return {
    schema: RECORD_SCHEMA,
    kind: 'user',
    version: 0,
    userId,
    status: 'disabled',
    method: null,
    recoveryCodes: null,
    failures: 0,
    lockedUntil: null,
    policy: null,
    createdAt: now,
    updatedAt: now,
    activatedAt: null,
    verifiedAt: null,
    resetAt: null,
    clients: null,
  };
}

const STATUSES: readonly unknown[] = ['disabled', 'pending', 'active'];
const ALGORITHMS: readonly unknown[] = ['SHA1', 'SHA256', 'SHA512'];

function invalid(what: string): MfaError {
  // The message names the field, never its value: records hold secrets and hashes.
  return new MfaError('INVALID_RECORD', `stored MFA record is invalid: ${what}`);
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isIntOrNull = (v: unknown): boolean => v === null || isInt(v);

/**
 * Validates data read from a store and returns it as an {@link MfaRecord}. Run on every read so a
 * corrupted or foreign record is refused, never interpreted.
 *
 * `slices` are the parsers of the features' slices (a service passes those of its features); a
 * slice no parser claims is kept as data.
 *
 * @throws {@link index!MfaError} `INVALID_RECORD` naming the bad field (never its value)
 * @example
 * ```ts
 * import { MemoryStore } from 'mfakit';
 * import { parseRecord } from 'mfakit/lifecycle';
 * const data = await new MemoryStore().get('alice');
 * if (data) parseRecord(data, 'alice').status;
 * ```
 */
export function parseRecord(data: StoredRecord | unknown, userId: string, slices: readonly SliceParser[] = []): MfaRecord {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw invalid('not an object');
  const r = data as Record<string, unknown>;
  if (r.schema !== RECORD_SCHEMA && r.schema !== 1) throw invalid('unknown schema');
  if (r.kind !== 'user') throw invalid('kind');
  if (!isInt(r.version) || r.version < 1) throw invalid('version');
  if (r.userId !== userId) throw invalid('userId does not match the id it is stored under');
  if (!STATUSES.includes(r.status)) throw invalid('status');
  if (!isInt(r.failures) || r.failures < 0) throw invalid('failures');
  if (!isIntOrNull(r.lockedUntil)) throw invalid('lockedUntil');
  if (!isInt(r.createdAt) || !isInt(r.updatedAt) || !isIntOrNull(r.activatedAt)) throw invalid('timestamps');
  if (r.verifiedAt !== undefined && !isIntOrNull(r.verifiedAt)) throw invalid('verifiedAt');
  if (r.resetAt !== undefined && !isIntOrNull(r.resetAt)) throw invalid('resetAt');
  if (r.clients !== undefined && r.clients !== null && !clientsAreValid(r.clients)) throw invalid('clients');
  if (r.epoch !== undefined && !(isInt(r.epoch) && r.epoch >= 0)) throw invalid('epoch');
  const policy = r.policy;
  if (policy !== null && (typeof policy !== 'object' || typeof (policy as UserPolicy).required !== 'boolean')) {
    throw invalid('policy');
  }
  checkMethod(r.method);
  if ((r.status === 'disabled') !== (r.method === null)) throw invalid('status and method disagree');
  let out = r;
  for (const slice of slices) {
    const value = r[slice.key];
    if (value === undefined || value === null) continue;
    const sliceProblem = slice.problem(value);
    if (sliceProblem !== null) throw invalid(sliceProblem);
    if (slice.read !== undefined) out = { ...out, [slice.key]: slice.read(value) };
  }
  return inObject(out as unknown as MfaRecord);
}

/**
 * The same record rebuilt from object literals. Why: V8 copies an object with a spread several times
 * faster when all its fields live inside the object, which only literals (and JSON.parse) guarantee;
 * records made by spreads of spreads — the MemoryStore's, login after login — lose that, and every
 * transition spreads the record it gets. Extension fields follow the known ones unchanged.
 */
function inObject(r: MfaRecord): MfaRecord {
  const m = r.method;
  const out: { -readonly [K in keyof MfaRecord]: MfaRecord[K] } = {
    schema: RECORD_SCHEMA,
    kind: r.kind,
    version: r.version,
    userId: r.userId,
    status: r.status,
    method: m !== null && m.type === 'totp' ? totpMethod(m) : m,
    recoveryCodes: r.recoveryCodes ?? null,
    failures: r.failures,
    lockedUntil: r.lockedUntil,
    policy: r.policy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    activatedAt: r.activatedAt,
    // Always present (null when absent in older records), so they live inside the object too.
    verifiedAt: r.verifiedAt ?? null,
    resetAt: r.resetAt ?? null,
    clients: r.clients ?? null,
  };
  const data = r as unknown as Record<string, unknown>;
  for (const key of Object.keys(data)) if (!Object.hasOwn(out, key)) setOwn(out, key, data[key]);
  return out;
}

function totpMethod(m: TotpMethodState): TotpMethodState {
  const { type, secret, algorithm, digits, period, lastStep, account, createdAt } = m;
  const out: Record<string, unknown> =
    m.secretSealed === true
      ? { type, secret, secretSealed: true, algorithm, digits, period, lastStep, account, createdAt }
      : { type, secret, algorithm, digits, period, lastStep, account, createdAt };
  for (const key of Object.keys(m)) if (!Object.hasOwn(out, key)) setOwn(out, key, (m as unknown as Record<string, unknown>)[key]);
  return out as unknown as TotpMethodState;
}

/** @internal Throws INVALID_RECORD unless `m` is a method state. */
export function checkMethod(m: unknown): void {
  if (m === null) return;
  if (typeof m !== 'object') throw invalid('method');
  const t = m as Record<string, unknown>;
  if (t.type === 'email' || t.type === 'sms') {
    if (typeof t.destination !== 'string' || t.destination.length === 0) throw invalid('method.destination');
    if (!isInt(t.createdAt)) throw invalid('method.createdAt');
    return;
  }
  if (t.type !== 'totp' && t.type !== 'hotp') throw invalid('method.type');
  if (typeof t.secret !== 'string' || t.secret.length === 0) throw invalid('method.secret');
  if (t.secretSealed !== undefined && t.secretSealed !== true) throw invalid('method.secretSealed');
  if (!ALGORITHMS.includes(t.algorithm)) throw invalid('method.algorithm');
  if (!isInt(t.digits) || t.digits < 6 || t.digits > 10) throw invalid('method.digits');
  if (t.type === 'hotp' ? !isInt(t.counter) || t.counter < 0 : !isInt(t.period) || t.period < 1 || t.period > 86_400) throw invalid(t.type === 'hotp' ? 'method.counter' : 'method.period');
  if (t.type === 'totp' && !isIntOrNull(t.lastStep)) throw invalid('method.lastStep');
  if (typeof t.account !== 'string') throw invalid('method.account');
  if (!isInt(t.createdAt)) throw invalid('method.createdAt');
}
