// The recovery-code set of a user's record: issuing a set (shown once, hashes stored), checking a
// code against it at login or as a proof, and `regenerateRecoveryCodes`.
import { generateRecoveryCodes } from '../../../recovery-codes.js';
import { markSetCodeUsed, packRecoveryCodes, unusedInSet, type StoredRecoveryCodeSet } from '../../../recovery-code-set.js';
import { normaliseCode } from '../../../_internal/crockford.js';
import { checkPepper, kdfList } from '../../../_internal/recovery-hash.js';
import { matchSetCode } from '../../../_internal/recovery-verify.js';
import { redact } from '../../../_internal/redact.js';
import type { MfaEvent } from '../../events.js';
import type { MfaRecord } from '../../record.js';
import type { CheckFailure, Transition, TransitionContext } from '../../transition-types.js';
import { proofCheck, type Proof, type ProofFailure } from '../management/proof.js';
import type { ResolvedRecoveryCodesOptions } from './options.js';
import { hashingForNewSet, hashingForSet } from './recovery-pepper.js';

/**
 * Result of `regenerateRecoveryCodes`. `not_supported`: the user's factor is e-mail/SMS and
 * `oneTimeCodes({ recoveryCodes })` is off (e-mail MFA "cannot be recovered").
 */
export type RegenerateRecoveryCodesResult =
  | { readonly ok: true; readonly recoveryCodes: readonly string[] }
  | { readonly ok: false; readonly reason: ProofFailure | 'not_active' | 'not_supported'; readonly retryAt?: number };

/** @internal A new set per the options (none when `count` is 0): the codes to show, the set to store. */
export function issueSet(o: ResolvedRecoveryCodesOptions, ctx: TransitionContext): { codes: string[]; set: StoredRecoveryCodeSet | null } {
  if (o.count === 0) return { codes: [], set: null };
  const { hashing, pepperId } = hashingForNewSet(o.hashing, ctx);
  const { codes, hashes } = generateRecoveryCodes({
    count: o.count,
    rng: ctx.rng,
    ...(o.length === undefined ? {} : { length: o.length }),
    ...(o.alphabet === undefined ? {} : { alphabet: o.alphabet }),
    ...(o.groupSize === undefined ? {} : { groupSize: o.groupSize }),
    ...(hashing === undefined ? {} : { hashing }),
  });
  return { codes, set: packRecoveryCodes(pepperId === undefined ? hashes : hashes.map((h) => ({ ...h, pepperId }))) };
}

/**
 * @internal Checks `input` against the record's set: `verifyRecoveryCode` on the packed set — one
 * scheme check, one derivation, a constant-time scan over every digest (the set's shape was checked
 * when the record was read). A used code is `replayed`.
 */
export function checkSetCode(
  o: ResolvedRecoveryCodesOptions,
  record: MfaRecord,
  input: string,
  ctx: TransitionContext,
  events: MfaEvent[],
): { ok: true; set: StoredRecoveryCodeSet; remaining: number } | { ok: false; reason: CheckFailure } {
  const set = record.recoveryCodes!;
  const hashing = hashingForSet(set, o.hashing, ctx);
  const rc = matchSetCode(set, normaliseCode(input), checkPepper(hashing?.pepper), kdfList(hashing?.kdf));
  if (!rc.ok) return { ok: false, reason: rc.reason === 'used' ? 'replayed' : rc.reason };
  const next = markSetCodeUsed(set, rc.index, ctx.now);
  const left = unusedInSet(next);
  const base = { userId: record.userId, at: ctx.now, remaining: left } as const;
  events.push({ type: 'recovery_used', ...base });
  if (o.lowThreshold !== null && left <= o.lowThreshold) events.push({ type: 'recovery_codes_low', ...base });
  return { ok: true, set: next, remaining: left };
}

/** `regenerateRecoveryCodes`: with a proof, a new set replaces the old one; every old code stops working. */
export function regenerateTransition(
  record: MfaRecord,
  command: { readonly proof: Proof },
  ctx: TransitionContext,
  o: ResolvedRecoveryCodesOptions,
): Transition<RegenerateRecoveryCodesResult> {
  if (record.status !== 'active') return { record, result: { ok: false, reason: 'not_active' }, events: [] };
  const type = record.method?.type;
  if (type !== 'totp' && (type === undefined || ctx.features?.factors[type]?.recoveryCodes !== true)) {
    return { record, result: { ok: false, reason: 'not_supported' }, events: [] };
  }
  const events: MfaEvent[] = [];
  const check = proofCheck(record, command.proof, 'regenerateRecoveryCodes', ctx, events, false);
  if (!check.ok) {
    const result: RegenerateRecoveryCodesResult =
      check.retryAt === undefined ? { ok: false, reason: check.reason } : { ok: false, reason: check.reason, retryAt: check.retryAt };
    return { record: check.record, result, events };
  }
  const { codes, set } = issueSet(o, ctx);
  events.push({ type: 'codes_regenerated', userId: record.userId, at: ctx.now, count: codes.length });
  return { record: { ...check.record, recoveryCodes: set }, result: redact({ ok: true, recoveryCodes: codes }, ['recoveryCodes']), events };
}
