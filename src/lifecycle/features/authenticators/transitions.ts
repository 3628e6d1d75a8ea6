// The commands of the `authenticators()` feature: enrol another authenticator (with a proof),
// confirm it by its own code, rename, remove (the last active one through `disable`'s rules), and
// resynchronise an HOTP token. Pure transitions; importing is in import-transition.ts.
import { MfaError } from '../../../errors.js';
import { verifyHotp } from '../../../hotp.js';
import { formatManualKey } from '../../../manual-key.js';
import { buildOtpauthUri } from '../../../otpauth-uri.js';
import { generateSecret } from '../../../secret.js';
import { encodeBase64Url } from '../../../_internal/base64.js';
import { redact } from '../../../_internal/redact.js';
import { checkText } from '../../../_internal/text.js';
import type { MfaEvent } from '../../events.js';
import type { MfaRecord, SecretMethodState } from '../../record.js';
import type { Transition, TransitionContext } from '../../transition-types.js';
import type { CheckFailure } from '../login/verification.js';
import { secretOf } from '../login/verification.js';
import { disable } from '../management/management.js';
import { bumpEpoch } from '../../epoch.js';
import { proofCheck, type Proof, type ProofFailure } from '../management/proof.js';
import { clearFailures, countFailure, isLocked } from '../throttle/throttle.js';
import { afterMatch, checkOne, type Candidate } from './check.js';
import type { ChallengeSent, IssuedChallenge } from '../one-time-codes/index.js';
import { checkDestination } from '../one-time-codes/transitions.js';
import { confirmOutOfBand, isOutOfBand, issueTo, outOfBandFactor } from './out-of-band.js';
import type { ResolvedAuthenticatorsOptions } from './options.js';
import { sliceOf, withAuthenticators, type StoredAuthenticator } from './slice.js';

/** What a new authenticator is set up with: the secret, shown once, as a URI and a manual key. */
export interface AuthenticatorEnrollment {
  readonly ok: true;
  readonly id: string;
  readonly secret: Uint8Array;
  /** `otpauth://totp/…` or `otpauth://hotp/…?counter=0`. */
  readonly uri: string;
  readonly manualKey: string;
}

/** Why `addAuthenticator` added nothing. `rate_limited`: no e-mail/SMS code may be sent before `retryAt`. */
export type AddAuthenticatorFailure = { readonly ok: false; readonly reason: 'not_active' | 'limit_reached' | 'rate_limited' | ProofFailure; readonly retryAt?: number };

/** An e-mail/SMS authenticator was added (pending): a code went to it; never the code, the destination masked. */
export type AuthenticatorCodeSent = ChallengeSent & { readonly id: string };

/** Result of `addAuthenticator`: a TOTP/HOTP secret to set up, or the e-mail/SMS code sent. */
export type AddAuthenticatorResult = AuthenticatorEnrollment | AuthenticatorCodeSent | AddAuthenticatorFailure;

/** Result of the `addAuthenticator` command: for an e-mail/SMS one, the code for the Sender. */
export type AddAuthenticatorCommandResult = AuthenticatorEnrollment | (IssuedChallenge & { readonly id: string }) | AddAuthenticatorFailure;

/** The kinds of authenticator `addAuthenticator` enrols. */
export type AuthenticatorType = 'totp' | 'hotp' | 'email' | 'sms';

/** Result of `confirmAuthenticator`. */
export type ConfirmAuthenticatorResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: CheckFailure | 'locked' | 'not_found' | 'not_pending'; readonly retryAt?: number };

/** Result of `removeAuthenticator`; removing the last active one answers like `disable`. */
export type RemoveAuthenticatorResult =
  | { readonly ok: true; readonly disabled: boolean }
  | { readonly ok: false; readonly reason: ProofFailure | 'not_found' | 'not_enrolled' | 'policy'; readonly retryAt?: number };

/** Result of `resyncHotp`: `skipped` is how far the counter moved past the expected one. */
export type ResyncHotpResult =
  | { readonly ok: true; readonly skipped: number }
  | { readonly ok: false; readonly reason: 'mismatch' | 'format' | 'locked' | 'not_found' | 'not_hotp'; readonly retryAt?: number };

/** @internal Throws INVALID_OPTION unless `name` is 1 to 64 characters of text. */
export function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.trim().length === 0 || name.length > 64) {
    throw new MfaError('INVALID_OPTION', 'an authenticator name must be a string of 1 to 64 characters');
  }
  return checkText('name', name);
}

/** @internal A new random public id. */
export function newId(ctx: TransitionContext): string {
  return encodeBase64Url(ctx.rng(9));
}

/** @internal Active and pending authenticators of a record, the primary included. */
export function countOf(record: MfaRecord): number {
  return (record.method === null ? 0 : 1) + sliceOf(record).extra.length;
}

function failure<R>(record: MfaRecord, check: { reason: R; retryAt?: number }, events: MfaEvent[]): Transition<{ ok: false; reason: R; retryAt?: number }> {
  const result = check.retryAt === undefined ? { ok: false as const, reason: check.reason } : { ok: false as const, reason: check.reason, retryAt: check.retryAt };
  return { record, result, events };
}

/** @internal The otpauth URI, manual key and secret of an authenticator's method. */
export function enrollmentView(id: string, method: SecretMethodState, ctx: TransitionContext): AuthenticatorEnrollment {
  const secret = secretOf(method);
  const common = { issuer: ctx.options.issuer, account: method.account, secret, algorithm: method.algorithm, digits: method.digits, allowShortSecret: true };
  const uri =
    method.type === 'hotp' ? buildOtpauthUri({ ...common, type: 'hotp', counter: method.counter }) : buildOtpauthUri({ ...common, type: 'totp', period: method.period });
  return redact({ ok: true, id, secret, uri, manualKey: formatManualKey(secret) }, ['secret', 'uri', 'manualKey']);
}

/**
 * `addAuthenticator`: with a {@link Proof} (like `resetSecret`), a new pending authenticator next to
 * the active ones, confirmed by its own code: a TOTP one (or a soft HOTP one, counter 0), or an
 * e-mail/SMS destination (one of `channels`) that is sent an `enroll` code at once.
 */
export function addAuthenticator(
  record: MfaRecord,
  command: { readonly name: string; readonly authenticator?: AuthenticatorType; readonly destination?: string; readonly proof?: Proof },
  ctx: TransitionContext,
  o: ResolvedAuthenticatorsOptions,
): Transition<AddAuthenticatorCommandResult> {
  const name = checkName(command.name);
  const kind = command.authenticator ?? 'totp';
  const outOfBand = kind === 'email' || kind === 'sms';
  if (outOfBand) {
    if (!o.channels.includes(kind)) throw new MfaError('INVALID_OPTION', `${kind} authenticators are off: authenticators({ channels: ['${kind}'] })`);
    checkDestination(kind, command.destination);
  } else if (kind !== 'totp' && kind !== 'hotp') {
    throw new MfaError('INVALID_OPTION', "authenticator must be 'totp', 'hotp', 'email' or 'sms'");
  }
  const primary = record.method;
  if (record.status !== 'active' || primary === null) return { record, result: { ok: false, reason: 'not_active' }, events: [] };
  if (countOf(record) >= o.max) return { record, result: { ok: false, reason: 'limit_reached' }, events: [] };
  // The resend limit first: a code that may not be sent spends no proof.
  const trial = outOfBand ? outOfBandFactor(kind, ctx).issue(record, 'enroll', ctx) : null;
  if (trial?.ok === false) return { record, result: { ok: false, reason: 'rate_limited', retryAt: trial.retryAt }, events: [] };
  const events: MfaEvent[] = [];
  const check = proofCheck(record, command.proof ?? { fresh: true }, 'addAuthenticator', ctx, events, ctx.options.disableRequiresPassword);
  if (!check.ok) return failure(check.record, check, events);
  const id = newId(ctx);
  const { primary: meta, extra } = sliceOf(check.record);
  const base = { id, name, lastUsedAt: null, status: 'pending' as const, createdAt: ctx.now };
  events.push({ type: 'authenticator_added', userId: record.userId, at: ctx.now, id, authenticator: kind });
  if (outOfBand) {
    const method = { type: kind, destination: command.destination!, createdAt: ctx.now };
    const added = withAuthenticators(check.record, meta, [...extra, { ...base, method }]);
    return issueTo(added, { where: extra.length, meta: base, method, pending: true }, 'enroll', ctx, events);
  }
  const t = ctx.options.totp;
  // The otpauth label of the new secret: the primary's account, or the e-mail/SMS destination.
  const account = 'account' in primary ? primary.account : primary.destination;
  const secret = { secret: encodeBase64Url(generateSecret({ bytes: t.secretBytes, rng: ctx.rng })), algorithm: t.algorithm, digits: t.digits, account, createdAt: ctx.now };
  const method: SecretMethodState = kind === 'hotp' ? { type: 'hotp', ...secret, counter: 0 } : { type: 'totp', ...secret, period: t.period, lastStep: null };
  const added: StoredAuthenticator = { ...base, method };
  return { record: { ...withAuthenticators(check.record, meta, [...extra, added]), updatedAt: ctx.now }, result: enrollmentView(id, method, ctx), events };
}

/** `confirmAuthenticator`: a pending authenticator becomes active when `code` is one of its own current codes. */
export function confirmAuthenticator(
  record: MfaRecord,
  command: { readonly id: string; readonly code: string },
  ctx: TransitionContext,
  o: ResolvedAuthenticatorsOptions,
): Transition<ConfirmAuthenticatorResult> {
  const { extra } = sliceOf(record);
  const where = extra.findIndex((a) => a.id === command.id);
  if (where < 0) return { record, result: { ok: false, reason: 'not_found' }, events: [] };
  const a = extra[where]!;
  if (a.status !== 'pending') return { record, result: { ok: false, reason: 'not_pending' }, events: [] };
  if (isLocked(record, ctx.now)) return { record, result: { ok: false, reason: 'locked', retryAt: record.lockedUntil! }, events: [] };
  if (!('secret' in a.method)) return confirmOutOfBand(record, where, typeof command.code === 'string' ? command.code : '', ctx);
  const answer = checkOne(a.method, a, typeof command.code === 'string' ? command.code : '', ctx, o.lookAhead);
  const events: MfaEvent[] = [];
  if (answer.code !== 1) {
    const reason = answer.code === 3 ? 'format' : answer.code === 2 ? 'replayed' : 'mismatch';
    if (reason !== 'mismatch') return { record, result: { ok: false, reason }, events };
    const next = countFailure(record, 'confirmAuthenticator', ctx.now, ctx.options, events);
    return failure(next, { reason, ...(isLocked(next, ctx.now) ? { retryAt: next.lockedUntil! } : {}) }, events);
  }
  const candidate: Candidate = { where, meta: { ...a, status: 'active' } as StoredAuthenticator, method: a.method as SecretMethodState };
  const next = afterMatch(clearFailures(record), [candidate], [answer], 0, ctx, o, events);
  events.push({ type: 'authenticator_confirmed', userId: record.userId, at: ctx.now, id: a.id });
  return { record: { ...next, updatedAt: ctx.now }, result: { ok: true }, events };
}

/** `renameAuthenticator`: a new name for one authenticator (no proof: a name is not a credential). */
export function renameAuthenticator(
  record: MfaRecord,
  command: { readonly id: string; readonly name: string },
  ctx: TransitionContext,
): Transition<{ readonly ok: boolean }> {
  const name = checkName(command.name);
  const { primary, extra } = sliceOf(record);
  const event: MfaEvent = { type: 'authenticator_renamed', userId: record.userId, at: ctx.now, id: command.id };
  if (record.method !== null && primary.id === command.id) {
    return { record: { ...withAuthenticators(record, { ...primary, name }, extra), updatedAt: ctx.now }, result: { ok: true }, events: [event] };
  }
  const where = extra.findIndex((a) => a.id === command.id);
  if (where < 0) return { record, result: { ok: false }, events: [] };
  const list = extra.slice();
  list[where] = { ...extra[where]!, name };
  return { record: { ...withAuthenticators(record, primary, list), updatedAt: ctx.now }, result: { ok: true }, events: [event] };
}

/**
 * `removeAuthenticator`: with a proof, one authenticator stops working. The last active one is
 * `disable` (its proof rules, its policy check). Removing the primary promotes the oldest active
 * other one. A pending one goes without a proof.
 */
export function removeAuthenticator(
  record: MfaRecord,
  command: { readonly id: string; readonly proof: Proof },
  ctx: TransitionContext,
): Transition<RemoveAuthenticatorResult> {
  const { primary, extra } = sliceOf(record);
  const isPrimary = record.method !== null && primary.id === command.id;
  const where = extra.findIndex((a) => a.id === command.id);
  if (!isPrimary && where < 0) return { record, result: { ok: false, reason: 'not_found' }, events: [] };
  const others = extra.filter((a) => a.status === 'active' && a.id !== command.id);
  if (isPrimary && (record.status !== 'active' || others.length === 0)) {
    const out = disable(record, { proof: command.proof }, ctx);
    return { record: out.record, result: out.result.ok ? { ok: true, disabled: true } : out.result, events: out.events };
  }
  const events: MfaEvent[] = [];
  let base = record;
  if (isPrimary || extra[where]!.status === 'active') {
    const check = proofCheck(record, command.proof, 'removeAuthenticator', ctx, events, ctx.options.disableRequiresPassword);
    if (!check.ok) return failure(check.record, check, events);
    base = check.record;
  }
  let next: MfaRecord;
  if (isPrimary) {
    const promoted = others[0]!;
    const { status: _s, createdAt: _c, method, ...meta } = promoted;
    next = withAuthenticators({ ...base, method }, meta, sliceOf(base).extra.filter((a) => a.id !== promoted.id));
  } else {
    next = withAuthenticators(base, sliceOf(base).primary, sliceOf(base).extra.filter((a) => a.id !== command.id));
  }
  events.push({ type: 'authenticator_removed', userId: record.userId, at: ctx.now, id: command.id });
  // A removed authenticator (a lost phone) must not leave sessions or trusted devices behind: the epoch moves.
  return { record: { ...bumpEpoch(next, ctx, events), updatedAt: ctx.now }, result: { ok: true, disabled: false }, events };
}

/**
 * `resyncHotp` (RFC 4226 §7.4): two consecutive codes of a token within `resyncWindow` counters of
 * the expected one move its counter past them. Every counter of the window is computed for both
 * codes; a mismatch counts toward the lockout like a wrong login code.
 */
export function resyncHotp(
  record: MfaRecord,
  command: { readonly id: string; readonly codes: readonly [string, string] },
  ctx: TransitionContext,
  o: ResolvedAuthenticatorsOptions,
): Transition<ResyncHotpResult> {
  const { primary, extra } = sliceOf(record);
  const isPrimary = record.method !== null && primary.id === command.id;
  const where = extra.findIndex((a) => a.id === command.id && a.status === 'active');
  const method = isPrimary ? record.method : where < 0 ? null : extra[where]!.method;
  if (method === null || record.status !== 'active') return { record, result: { ok: false, reason: 'not_found' }, events: [] };
  if (method.type !== 'hotp') return { record, result: { ok: false, reason: 'not_hotp' }, events: [] };
  if (isLocked(record, ctx.now)) return { record, result: { ok: false, reason: 'locked', retryAt: record.lockedUntil! }, events: [] };
  const [first, second] = Array.isArray(command.codes) ? command.codes : [];
  const options = { digits: method.digits, algorithm: method.algorithm, allowShortSecret: true, lookAhead: o.resyncWindow - 1 } as const;
  const secret = secretOf(method);
  const a = verifyHotp(secret, typeof first === 'string' ? first : '', method.counter, options);
  const b = verifyHotp(secret, typeof second === 'string' ? second : '', method.counter + 1, options);
  const events: MfaEvent[] = [];
  if (!a.ok || !b.ok || Number(b.counter) !== Number(a.counter) + 1) {
    if ((!a.ok && a.reason === 'format') || (!b.ok && b.reason === 'format')) return { record, result: { ok: false, reason: 'format' }, events };
    const next = countFailure(record, 'resyncHotp', ctx.now, ctx.options, events);
    return failure(next, { reason: 'mismatch' as const, ...(isLocked(next, ctx.now) ? { retryAt: next.lockedUntil! } : {}) }, events);
  }
  const moved = { ...method, counter: Number(b.counter) + 1 };
  const skipped = Number(a.counter) - method.counter;
  const next = clearFailures(record);
  const updated = isPrimary
    ? withAuthenticators({ ...next, method: moved }, { ...primary, lastUsedAt: ctx.now }, extra)
    : withAuthenticators(next, primary, extra.map((x, i) => (i === where ? { ...x, method: moved, lastUsedAt: ctx.now } : x)));
  events.push({ type: 'hotp_resynced', userId: record.userId, at: ctx.now, id: command.id, skipped });
  return { record: { ...updated, updatedAt: ctx.now }, result: { ok: true, skipped }, events };
}
