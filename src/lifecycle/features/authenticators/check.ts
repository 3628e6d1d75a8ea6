// Checking a code against every active TOTP/HOTP authenticator of a user at once: every one is
// computed (no early exit), so the time does not tell which matched or whether one did; replay is
// refused per authenticator; a mismatch counts as many failures as it was guesses (see guessWeight).
// The pending e-mail/SMS code, if any, is checked too (out-of-band.ts).
import { verifyHotp } from '../../../hotp.js';
import { checkTotp } from '../../../totp.js';
import { secretBytes } from '../../../secret.js';
import { hashOf } from '../../../_internal/hmac-otp.js';
import type { CheckedOperation, MfaEvent } from '../../events.js';
import { purposeOf } from '../../purpose.js';
import type { FeatureCheck } from '../../feature.js';
import type { MfaRecord, SecretMethodState } from '../../record.js';
import type { TransitionContext } from '../../transition-types.js';
import { secretOf } from '../login/verification.js';
import type { ResolvedAuthenticatorsOptions } from './options.js';
import { checkSentCode } from './out-of-band.js';
import { sliceOf, withAuthenticators, type AuthenticatorMeta, type StoredAuthenticator } from './slice.js';


/** One authenticator to check: where it lives (-1: `record.method`, else its index in the slice). */
export interface Candidate {
  readonly where: number;
  readonly meta: AuthenticatorMeta;
  readonly method: SecretMethodState;
}

/** What one authenticator answered: 1 match, 2 replayed, 3 format, 0 mismatch; its state after a match. */
export interface Answer {
  readonly code: 0 | 1 | 2 | 3;
  readonly method: SecretMethodState;
  readonly delta: number;
}

/** @internal The authenticators a code is checked against: the primary, and unless `primaryOnly` the active others. */
export function candidatesOf(record: MfaRecord, primaryOnly: boolean): Candidate[] {
  const { primary, extra } = sliceOf(record);
  const out: Candidate[] = [];
  const m = record.method;
  if (m !== null && 'secret' in m) out.push({ where: -1, meta: primary, method: m });
  if (!primaryOnly) extra.forEach((a, i) => a.status === 'active' && 'secret' in a.method && out.push({ where: i, meta: a, method: a.method }));
  return out;
}

/** @internal Checks `text` against one authenticator (HOTP: its look-ahead; TOTP: its window around its learned centre). */
export function checkOne(method: SecretMethodState, meta: AuthenticatorMeta, text: string, ctx: TransitionContext, lookAhead: number): Answer {
  // Stored secrets were checked when they were written; an imported short one is allowed then.
  const common = { digits: method.digits, algorithm: method.algorithm, allowShortSecret: true } as const;
  if (method.type === 'hotp') {
    // The scan starts one counter early: the last accepted code (a double submit, a lost race)
    // answers `replayed`, which counts no failure, instead of `mismatch`.
    const back = method.counter > 0 ? 1 : 0;
    const r = verifyHotp(secretOf(method), text, method.counter - back, { ...common, lookAhead: lookAhead + back });
    // Built either way, like a TOTP one's (see below).
    const accepted = { ...method, counter: r.ok ? Number(r.counter) + 1 : method.counter };
    if (!r.ok) return { code: r.reason === 'format' ? 3 : 0, method: accepted, delta: 0 };
    if (r.delta < back) return { code: 2, method: accepted, delta: 0 };
    return { code: 1, method: accepted, delta: r.delta - back };
  }
  // checkTotp with one options shape and the kernel picked here: through verifyTotp with spread
  // options a login with the feature cost 4–6 µs more CPU (16 vs 10 µs, process.cpuUsage).
  const options = { time: ctx.now + (meta.drift ?? 0) * method.period * 1000, period: method.period, window: ctx.options.totp.window, afterStep: method.lastStep ?? -1, allowShortSecret: true };
  const r = checkTotp(secretOf(method), text, options, hashOf(method.algorithm), method.digits, secretBytes);
  // The accepted state is built whether or not this one matched: copying a method costs more or less
  // with its object shape (the primary's differs from the others'), which would tell which matched.
  const accepted = { ...method, lastStep: r.ok ? r.step : method.lastStep };
  if (!r.ok) return { code: r.reason === 'format' ? 3 : r.reason === 'replayed' ? 2 : 0, method: accepted, delta: 0 };
  return { code: 1, method: accepted, delta: r.delta };
}

/**
 * @internal How many one-authenticator guesses a check against `candidates` is. A default TOTP
 * authenticator accepts 2·window+1 codes out of 10^digits; k of them accept k times as many, an HOTP
 * token its look-ahead + 1, a pending e-mail/SMS code one (`extra`: that chance). Counting a mismatch
 * as this many failures keeps the chance that guesses up to the lock threshold hit any authenticator
 * at the one-authenticator level: with 5 TOTP authenticators and `maxFailures` 5, one wrong code locks.
 */
export function guessWeight(candidates: readonly Candidate[], ctx: TransitionContext, lookAhead: number, extra = 0): number {
  const t = ctx.options.totp;
  const base = (2 * t.window + 1) / 10 ** t.digits;
  let odds = extra;
  for (const c of candidates) odds += (c.method.type === 'hotp' ? lookAhead + 1 : 2 * t.window + 1) / 10 ** c.method.digits;
  return Math.max(1, Math.ceil(odds / base - 1e-9));
}

/** @internal Drift learning after an accepted TOTP code at offset `delta` from the authenticator's centre. */
export function learnDrift(meta: AuthenticatorMeta, delta: number, o: ResolvedAuthenticatorsOptions): { meta: AuthenticatorMeta; moved?: number } {
  if (o.driftMax === 0) return { meta };
  const [last, n] = meta.seen ?? [0, 0];
  const count = last === delta ? n + 1 : 1;
  const drift = meta.drift ?? 0;
  const next = Math.max(-o.driftMax, Math.min(o.driftMax, drift + delta));
  if (delta !== 0 && count >= o.driftAfter && next !== drift) return { meta: { ...meta, drift: next, seen: [0, 0] }, moved: next };
  return { meta: { ...meta, seen: [delta, count] } };
}


/**
 * @internal The record after candidate `matched` accepted a code: its new state, `lastUsedAt`, drift.
 * Every candidate's accepted form is built and the record's whole slice rewritten, and only then is
 * the matched one picked: the same work whichever authenticator matched.
 */
export function afterMatch(
  record: MfaRecord,
  candidates: readonly Candidate[],
  answers: readonly Answer[],
  matched: number,
  ctx: TransitionContext,
  o: ResolvedAuthenticatorsOptions,
  events: MfaEvent[],
): MfaRecord {
  const { primary, extra } = sliceOf(record);
  let method = record.method;
  let meta = primary;
  const list = extra.slice();
  let moved: { id: string; drift: number; previous: number } | undefined;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!;
    const answer = answers[i]!;
    const learned = answer.method.type === 'totp' ? learnDrift(c.meta, answer.delta, o) : { meta: c.meta };
    const accepted = { ...learned.meta, lastUsedAt: ctx.now };
    const take = i === matched;
    const shift = learned.moved === undefined ? undefined : { id: c.meta.id, drift: learned.moved, previous: c.meta.drift ?? 0 };
    moved = take ? shift : moved;
    if (c.where < 0) {
      method = take ? answer.method : method;
      meta = take ? accepted : meta;
    } else {
      const next = { ...(accepted as StoredAuthenticator), method: answer.method };
      list[c.where] = take ? next : list[c.where]!;
    }
  }
  if (moved !== undefined) events.push({ type: 'authenticator_drift', userId: record.userId, at: ctx.now, ...moved });
  return withAuthenticators({ ...record, method }, meta, list);
}

/**
 * @internal The factor check of the feature: `text` against every TOTP/HOTP candidate, all computed
 * before any is looked at, and against the pending e-mail/SMS code of the authenticator it was sent
 * to. A confirmation of the primary enrolment checks the primary only.
 */
export function checkAuthenticators(
  record: MfaRecord,
  text: string,
  operation: CheckedOperation,
  ctx: TransitionContext,
  o: ResolvedAuthenticatorsOptions,
): FeatureCheck {
  const primaryOnly = operation === 'confirmEnrollment';
  const candidates = candidatesOf(record, primaryOnly);
  const answers = candidates.map((c) => checkOne(c.method, c.meta, text, ctx, o.lookAhead));
  const sent = checkSentCode(record, text, purposeOf(operation), primaryOnly, ctx);
  let matched = -1;
  let replayed = 0;
  let mismatch = 0;
  for (let i = 0; i < answers.length; i++) {
    const code = answers[i]!.code;
    // The first match wins (two secrets matching one code is a 10^-6 coincidence).
    matched = matched < 0 && code === 1 ? i : matched;
    replayed |= code === 2 ? 1 : 0;
    mismatch |= code === 0 ? 1 : 0;
  }
  if (matched >= 0) {
    const events: MfaEvent[] = [];
    const c = candidates[matched]!;
    return { ok: true, record: afterMatch(record, candidates, answers, matched, ctx, o, events), matched: c.meta.id, method: c.method.type, events };
  }
  if (sent?.ok === true) return { ok: true, record: sent.record, matched: sent.id, method: sent.method };
  const after = sent?.record ?? record;
  const reason = sent?.reason;
  if (replayed === 1 || reason === 'replayed') return { ok: false, record: after, reason: 'replayed' };
  if (mismatch === 1 || reason === 'mismatch') {
    return { ok: false, record: after, reason: 'mismatch', weight: guessWeight(mismatch === 1 ? candidates : [], ctx, o.lookAhead, sent?.odds) };
  }
  return { ok: false, record: after, reason: reason === 'expired' ? 'expired' : 'format' };
}
