import { MfaError } from '../../../errors.js';
import { checkTotp } from '../../../totp.js';
import { assertSecretLength } from '../../../secret.js';
import { otpKernel } from '../../../otp-hash.js';
import { decodeBase64Url } from '../../../_internal/base64.js';
import type { CheckedOperation, MfaEvent } from '../../events.js';
import type { CheckFailure, FeatureSet, TransitionContext } from '../../transition-types.js';
import type { MethodType, MfaRecord, SecretMethodState, TotpMethodState } from '../../record.js';
import { featureMissing } from '../../feature.js';
import { clearFailures, countFailure, isLocked } from '../throttle/throttle.js';

export type { CheckFailure } from '../../transition-types.js';



/** What a method verifier answers: the updated method state, or why the input was refused. */
export type MethodCheck<M extends TotpMethodState = TotpMethodState> =
  | { ok: true; method: M }
  | { ok: false; reason: CheckFailure };

/**
 * Checks `input` against one kind of secret-based method. `format` means "not this method's shape",
 * and the caller then tries a recovery code. E-mail/SMS codes live in the record, not the method, and
 * are checked by `checkOutOfBandCode`.
 */
type MethodVerifiers = {
  [T in TotpMethodState['type']]: (method: Extract<TotpMethodState, { type: T }>, input: string, ctx: TransitionContext) => MethodCheck<Extract<TotpMethodState, { type: T }>>;
};

const methodVerifiers: MethodVerifiers = {
  totp: verifyTotpMethod,
};

/** @internal The open (base64url) secret of a method as bytes. */
export function secretOf(method: SecretMethodState): Uint8Array {
  if (method.secretSealed) throw new MfaError('CIPHER_FAILURE', 'secret is still sealed (no cipher opened it)');
  const bytes = decodeBase64Url(method.secret, { canonical: false });
  if (bytes === null) throw new MfaError('INVALID_RECORD', 'stored MFA record is invalid: method.secret');
  return bytes;
}

/** A stored secret as it is (bytes), refused under 128 bits like any secret (`SECRET_TOO_SHORT`). */
function checkedLength(secret: Uint8Array): Uint8Array {
  assertSecretLength(secret.length, false);
  return secret;
}

function verifyTotpMethod(method: TotpMethodState, input: string, ctx: TransitionContext): MethodCheck<TotpMethodState> {
  const t = ctx.options.totp;
  const hash = otpKernel(method.algorithm, t.hashes, "this user's TOTP method");
  const result = checkTotp(secretOf(method), input, {
    time: ctx.now,
    period: method.period,
    window: t.window,
    ...(method.lastStep === null ? {} : { afterStep: method.lastStep }),
  }, hash, method.digits, checkedLength);
  if (!result.ok) return result;
  return { ok: true, method: { ...method, lastStep: result.step } };
}

/** Result of `checkFactor`. `record` is the record to store (unchanged when nothing counts). */
export type FactorCheck =
  | { ok: true; record: MfaRecord; method: MethodType | 'recovery'; remainingRecoveryCodes: number; matched?: string | undefined }
  | { ok: false; record: MfaRecord; reason: CheckFailure | 'locked'; retryAt?: number };

/**
 * @internal Checks a code typed by the user — the method's code, else a recovery code — against an
 * active record, with lockout. Pure: returns the record to store and pushes audit events.
 *
 * - locked: answers `locked` without looking at the input (no write);
 * - `format` and `replayed` do not count toward the lockout (they reveal nothing to a guesser);
 * - `mismatch` counts; reaching the threshold locks;
 * - success clears the failure count, stores the accepted step or marks the recovery code used.
 */
export function checkFactor(
  record: MfaRecord,
  input: unknown,
  operation: CheckedOperation,
  ctx: TransitionContext,
  events: MfaEvent[],
  options: { allowRecovery?: boolean; client?: string } = {},
): FactorCheck {
  const { now } = ctx;
  // With a client (and throttling on), that client's own lock applies, and the account lock only
  // to clients that never passed a check (see client-throttle).
  // `client` is only set with the clientThrottle feature (verifyLogin checks it).
  const throttle = ctx.features?.clientThrottle;
  const client = ctx.options.throttle === null || throttle === undefined ? undefined : options.client;
  const blockedUntil = client === undefined ? (isLocked(record, now) ? record.lockedUntil! : null) : throttle!.blockedUntil(record, client, now);
  if (blockedUntil !== null) return { ok: false, record, reason: 'locked', retryAt: blockedUntil };
  const succeeded = (next: MfaRecord): MfaRecord => (client === undefined ? next : throttle!.succeeded(next, client, now, ctx.options));
  // A login or a step-up stamps its time (the window of `{ fresh: true }` proofs); other checks keep it.
  const verifiedAt = operation === 'verifyLogin' || operation === 'stepUp' ? now : (record.verifiedAt ?? null);
  const method = record.method;
  if (method === null) throw new MfaError('INVALID_STATE', 'checkFactor needs a record with a method');
  const text = typeof input === 'string' ? input : '';
  let reason: CheckFailure;
  let weight: number | undefined;
  // A feature's factor (e-mail/SMS codes; `authenticators()` takes over TOTP and adds HOTP): its
  // state (attempts, counters, consumption) changes whatever the outcome.
  const factor = ctx.features?.factors[method.type];
  if (factor !== undefined || method.type !== 'totp') {
    if (factor === undefined) throw featureMissing(`a user with an ${method.type} factor`, method.type === 'hotp' ? 'authenticators()' : 'oneTimeCodes({ sender })');
    const check = factor.check(record, text, operation, ctx);
    if (check.ok) {
      events.push(...(check.events ?? []));
      const next = succeeded({ ...clearFailures(check.record), updatedAt: now, verifiedAt });
      return { ok: true, record: next, method: check.method ?? method.type, remainingRecoveryCodes: remaining(next, ctx.features), matched: check.matched };
    }
    record = check.record;
    reason = check.reason as CheckFailure;
    weight = check.weight;
  } else {
    const check = methodVerifiers[method.type](method, text, ctx);
    if (check.ok) {
      const next = succeeded({ ...clearFailures(record), method: check.method, updatedAt: now, verifiedAt });
      return { ok: true, record: next, method: method.type, remainingRecoveryCodes: remaining(next, ctx.features) };
    }
    reason = check.reason;
  }
  // A recovery code, with the recoveryCodes() feature (without it a stored set is never read).
  const recovery = ctx.features?.recoveryCodes;
  if (reason === 'format' && options.allowRecovery !== false && recovery !== undefined && record.recoveryCodes !== null) {
    const rc = recovery.check(record, text, ctx, events);
    if (rc.ok) {
      const next = succeeded({ ...clearFailures(record), recoveryCodes: rc.set, updatedAt: now, verifiedAt });
      return { ok: true, record: next, method: 'recovery', remainingRecoveryCodes: rc.remaining };
    }
    reason = rc.reason;
  }
  if (reason !== 'mismatch') {
    events.push({ type: 'failed', userId: record.userId, at: now, operation, reason, failures: record.failures });
    return { ok: false, record, reason };
  }
  if (client !== undefined) {
    const next = throttle!.countFailure(record, client, operation, now, ctx.options, events, weight);
    const until = throttle!.blockedUntil(next, client, now);
    return until === null ? { ok: false, record: next, reason: 'mismatch' } : { ok: false, record: next, reason: 'mismatch', retryAt: until };
  }
  const next = countFailure(record, operation, now, ctx.options, events, weight);
  return isLocked(next, now)
    ? { ok: false, record: next, reason: 'mismatch', retryAt: next.lockedUntil! }
    : { ok: false, record: next, reason: 'mismatch' };
}

/** @internal Unused recovery codes left in a record: 0 without the recoveryCodes() feature (none can be used). */
export function remaining(record: MfaRecord, features: FeatureSet | undefined): number {
  return features?.recoveryCodes?.remaining(record) ?? 0;
}
