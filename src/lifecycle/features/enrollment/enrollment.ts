import { MfaError } from '../../../errors.js';
import { refused } from '../../refusal.js';
import { encodeBase32 } from '../../../base32.js';
import { otpauthUri } from '../../../otpauth-uri.js';
import { generateSecret } from '../../../secret.js';
import { encodeBase64Url } from '../../../_internal/base64.js';
import type { MfaEvent } from '../../events.js';
import { bumpEpoch } from '../../epoch.js';
import type { MethodState, MfaRecord, SecretMethodState, TotpMethodState } from '../../record.js';
import type { Transition, TransitionContext } from '../../transition-types.js';
import { checkFactor, secretOf, type CheckFailure } from '../login/verification.js';
import { redact } from '../../../_internal/redact.js';
import { checkText } from '../../../_internal/text.js';
import { withoutFactorSlices } from '../../feature.js';
import { proofCheck, type Proof, type ProofFailure } from '../management/proof.js';

/** What the user needs to add the account to an authenticator app. Shown once; never logged. */
export interface Enrollment {
  readonly ok: true;
  /** The shared secret (bytes). */
  readonly secret: Uint8Array;
  /** `otpauth://totp/...` URI for a QR code. */
  readonly uri: string;
  /** The secret as grouped base32 for typing by hand ("enter the code manually"). */
  readonly manualKey: string;
  /**
   * Present when the account holds `:` (say `DOMAIN:user`): the URI writes it as `%3A` behind the
   * issuer prefix. Apps that split the label at its first `:` (Google Authenticator, the Key URI
   * format) show the account unchanged; one that splits at the last `:` would not, so check it in
   * the app your users run. Also present when the account starts with whitespace, which apps drop
   * after the issuer prefix: the URI's label leaves it out (an account of whitespace only is shown
   * as `user`). The stored account is unchanged either way.
   */
  readonly labelAdjusted?: true;
}

/** Result of `beginEnrollment`. */
export type BeginEnrollmentResult = Enrollment | { readonly ok: false; readonly reason: 'already_active' };

/**
 * Result of `confirmEnrollment`: on success the recovery codes, shown exactly this once (empty
 * without the `recoveryCodes()` feature, and for an e-mail/SMS factor unless its feature issues them).
 */
export type ConfirmEnrollmentResult =
  | { readonly ok: true; readonly recoveryCodes: readonly string[] }
  | { readonly ok: false; readonly reason: CheckFailure | 'locked' | 'not_pending' | 'uri_mismatch'; readonly retryAt?: number };

/**
 * Result of `resetSecret`: the new pending enrolment; `not_active`; or why the proof was refused
 * (`proof_required`: no proof given and no login within `freshWithin`).
 */
export type ResetSecretResult =
  | Enrollment
  | { readonly ok: false; readonly reason: 'not_active' | ProofFailure; readonly retryAt?: number };

/** @internal The enrolment view (URI, manual key) of a pending or active TOTP method. */
export function enrollmentOf(method: TotpMethodState, ctx: TransitionContext): Enrollment {
  const secret = secretOf(method);
  const base32 = encodeBase32(secret);
  // The method's settings and the issuer were checked when the options were resolved.
  const { account, algorithm, digits, period } = method;
  // Leading whitespace would be dropped by apps after the issuer prefix: the label leaves it out.
  const label = account.replace(/^\s+/, '') || 'user';
  const uri = otpauthUri('totp', ctx.options.issuer, label, base32, algorithm, digits, `&period=${period}`);
  // Groups of four, as formatManualKey writes them.
  const view = { ok: true as const, secret, uri, manualKey: base32.replace(/.{4}(?=.)/g, '$& ') };
  const adjusted = label !== account || account.includes(':');
  return redact(adjusted ? { ...view, labelAdjusted: true as const } : view, ['secret', 'uri', 'manualKey']);
}

function checkAccount(account: unknown): string {
  // A ':' is allowed: the URI escapes it (otpauthUri) and the enrolment says so (labelAdjusted).
  if (typeof account !== 'string' || account.length === 0 || account.length > 256) {
    throw new MfaError('INVALID_LABEL', 'account must be a non-empty string of at most 256 characters');
  }
  return checkText('account', account);
}

/** @internal A record moved to `pending` with a fresh secret; recovery codes and step cleared. */
function withNewSecret(record: MfaRecord, account: string, ctx: TransitionContext): MfaRecord {
  const t = ctx.options.totp;
  const secret = generateSecret({ bytes: t.secretBytes, rng: ctx.rng });
  const method: TotpMethodState = {
    type: 'totp',
    secret: encodeBase64Url(secret),
    algorithm: t.algorithm,
    digits: t.digits,
    period: t.period,
    lastStep: null,
    account,
    createdAt: ctx.now,
  };
  return { ...withoutFactorSlices(record, ctx.features), status: 'pending', method, recoveryCodes: null, activatedAt: null, updatedAt: ctx.now };
}

/**
 * `beginEnrollment`: disabled or pending → pending with a new secret. While pending, calling it
 * again replaces the secret (a reloaded enrolment page shows a fresh QR and the old one stops
 * working). Refused when MFA is already active: use `resetSecret`.
 */
export function beginEnrollment(
  record: MfaRecord,
  command: { readonly account: string },
  ctx: TransitionContext,
): Transition<BeginEnrollmentResult> {
  const account = checkAccount(command.account);
  if (record.status === 'active') return { record, result: { ok: false, reason: 'already_active' }, events: [] };
  const next = withNewSecret(record, account, ctx);
  const events: MfaEvent[] = [
    { type: 'enrolled', userId: record.userId, at: ctx.now, method: 'totp', replaced: record.status === 'pending' },
  ];
  return { record: next, result: enrollmentOf(next.method as TotpMethodState, ctx), events };
}

/**
 * `confirmEnrollment`: pending → active when `code` is a current code of the pending secret. With the
 * `recoveryCodes()` feature, issues a new set of recovery codes (returned in the result, only their
 * hashes stored). Wrong codes count
 * toward the lockout.
 */
export function confirmEnrollment(
  record: MfaRecord,
  command: { readonly code: string; readonly secretUrl?: string },
  ctx: TransitionContext,
): Transition<ConfirmEnrollmentResult> {
  if (record.status !== 'pending') return { record, result: { ok: false, reason: 'not_pending' }, events: [] };
  if (command.secretUrl !== undefined && !uriHoldsSecret(command.secretUrl, record.method!)) {
    return { record, result: { ok: false, reason: 'uri_mismatch' }, events: [] };
  }
  const events: MfaEvent[] = [];
  const check = checkFactor(record, command.code, 'confirmEnrollment', ctx, events, { allowRecovery: false });
  if (!check.ok) {
    return refused(check, events);
  }
  // E-mail/SMS MFA "cannot be recovered": no recovery codes unless its feature says so.
  const type = record.method!.type;
  const withCodes = type === 'totp' || ctx.features?.factors[type]?.recoveryCodes === true;
  const { codes, set } = withCodes ? issueRecoveryCodes(ctx) : { codes: [], set: null };
  // Confirming finishes a reset.
  const next: MfaRecord = { ...check.record, status: 'active', recoveryCodes: set, activatedAt: ctx.now, resetAt: null };
  events.push({ type: 'confirmed', userId: record.userId, at: ctx.now, method: type, recoveryCodes: codes.length });
  return { record: next, result: redact({ ok: true, recoveryCodes: codes }, ['recoveryCodes']), events };
}

/**
 * True when the otpauth URI's `secret` parameter is the pending secret (compared in constant time):
 * a client that sends back the URI it was shown with the code proves which enrolment it confirms.
 */
function uriHoldsSecret(uri: unknown, method: MethodState): boolean {
  try {
    // As base32 text, the way decoders read it: any case, separators (spaces, hyphens) and trailing
    // padding ignored; compared with the canonical text of the secret without an early exit.
    const text = /[?&]secret=([^&#]*)/i.exec(uri as string)![1]!.toUpperCase().replace(/[\s-]|=+$/g, '');
    const expected = encodeBase32(secretOf(method as SecretMethodState));
    let diff = text.length ^ expected.length;
    for (let i = 0; i < expected.length; i++) diff |= text.charCodeAt(i) ^ expected.charCodeAt(i);
    return diff === 0;
  } catch {
    // Not a string, no secret parameter, not base32, or not a secret-based method.
    return false;
  }
}

/**
 * @internal A new recovery-code set from the `recoveryCodes()` feature: the codes to show, the set to
 * store; none without the feature (the app then relies on an administrator's reset).
 */
export function issueRecoveryCodes(ctx: TransitionContext): { codes: string[]; set: MfaRecord['recoveryCodes'] } {
  return ctx.features?.recoveryCodes?.issue(ctx) ?? { codes: [], set: null };
}

/**
 * `resetSecret`: active → pending with a new secret ("Reset Secret", "Reset MFA").
 * Needs a {@link Proof} — a code, a recovery code, a confirmation token (purpose `'reset'`), or by
 * default `{ fresh: true }`: a login within `freshWithin` — plus `passwordVerified` when
 * `disableRequiresPassword` is set. Without one, whoever holds only the password or a session could
 * turn MFA into a pending enrolment. The old secret and recovery codes stop working at once; the
 * user confirms the new one at next login and counts as enrolled until then (`resetAt`). For an
 * e-mail/SMS user it switches to TOTP, labelled with `account` (default: the destination).
 */
export function resetSecret(
  record: MfaRecord,
  command: { readonly account?: string; readonly proof?: Proof },
  ctx: TransitionContext,
): Transition<ResetSecretResult> {
  if (record.status !== 'active' || record.method === null) {
    return { record, result: { ok: false, reason: 'not_active' }, events: [] };
  }
  const account = checkAccount(command.account ?? ('account' in record.method ? record.method.account : record.method.destination));
  const events: MfaEvent[] = [];
  const check = proofCheck(record, command.proof ?? { fresh: true }, 'resetSecret', ctx, events, ctx.options.disableRequiresPassword);
  if (!check.ok) {
    return refused(check, events);
  }
  events.push(
    { type: 'reset', userId: record.userId, at: ctx.now, by: 'user' },
    { type: 'enrolled', userId: record.userId, at: ctx.now, method: 'totp', replaced: true },
  );
  const next = bumpEpoch({ ...withNewSecret(check.record, account, ctx), resetAt: ctx.now }, ctx, events);
  return { record: next, result: enrollmentOf(next.method as TotpMethodState, ctx), events };
}
