// Recovery codes as an opt-in feature: `createMfa({ features: [recoveryCodes()] })`. It issues a set
// when a factor is confirmed (shown once, hashes stored), accepts an unused code at login and as a
// `{ code }` proof, counts what is left, and adds `regenerateRecoveryCodes`. Without it the default
// bundle carries no code generation, hashing or set handling, confirming issues no codes, and a
// user who loses the device is helped by an administrator's reset (or break-glass recovery).
import type { MfaFeature } from '../../feature.js';
import type { Proof } from '../management/proof.js';
import { unusedInSet } from '../../../recovery-code-set.js';
import { checkRecoveryCodesUnlikeCodes, resolveRecoveryCodesOptions, type RecoveryCodesOptions } from './options.js';
import { pepperSourceOf } from './recovery-pepper.js';
import { readRecoveryCodes, recoveryCodesProblem } from './slice.js';
import { checkSetCode, issueSet, regenerateTransition, type RegenerateRecoveryCodesResult } from './transitions.js';

/** The command of the recovery-code feature; part of `MfaCommand`. */
export type RecoveryCodesCommand = { readonly type: 'regenerateRecoveryCodes'; readonly proof: Proof };

/** The result type of {@link RecoveryCodesCommand}. */
export interface RecoveryCodesResults {
  regenerateRecoveryCodes: RegenerateRecoveryCodesResult;
}

// The command joins `MfaCommand` and its result `MfaResults` from here, so the core never imports a feature.
declare module '../../transitions.js' {
  interface MfaFeatureCommands {
    recoveryCodes: RecoveryCodesCommand;
  }
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merged into MfaResults
  interface MfaResults extends RecoveryCodesResults {}
}

/** Service methods the `recoveryCodes()` feature adds to `Mfa`. */
export interface RecoveryCodesMfa {
  /** Replaces the recovery codes, with a proof (a code, an unused recovery code, a token or `{ fresh: true }`); every old code stops working. */
  regenerateRecoveryCodes(userId: string, proof: Proof): Promise<RegenerateRecoveryCodesResult>;
}

/**
 * Recovery codes for the lifecycle: a set issued when a factor is confirmed (`confirmEnrollment`
 * returns the codes, once; only their hashes are stored), login with an unused code (checked in
 * constant time against every stored digest; a used one is `replayed`), `regenerateRecoveryCodes`
 * with a proof, `remainingRecoveryCodes` in `getStatus` and login results, and the
 * `recovery_used` / `recovery_codes_low` events. With `encryptedSecrets(cipher)`, new sets are keyed with a pepper
 * derived from its current key (or `hashing.pepper`). Recommended: without it, a user who loses
 * the device needs an administrator's reset.
 *
 * Records written before recovery codes became a feature keep working as they are.
 *
 * @throws {@link MfaError} `INVALID_OPTION` for a bad `count` or `lowThreshold`; `createMfa` throws it
 * when `length` equals a code length of the factors, or the cipher of `encryptedSecrets` cannot derive a pepper and no
 * `hashing.pepper` is set
 * @example Confirm, keep the codes shown once, log in with one
 * ```ts
 * import { createMfa, MemoryStore, recoveryCodes, totp } from 'mfakit';
 * const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', features: [recoveryCodes({ count: 8 })] });
 * const enrollment = await mfa.beginEnrollment('u1', { account: 'alice@example.com' });
 * if (enrollment.ok) {
 *   const confirmed = await mfa.confirmEnrollment('u1', totp(enrollment.secret));
 *   if (confirmed.ok) await mfa.verifyLogin('u1', confirmed.recoveryCodes[0]!); // { ok: true, method: 'recovery', … }
 * }
 * ```
 */
export function recoveryCodes(options: RecoveryCodesOptions = {}): MfaFeature<RecoveryCodesMfa> {
  const o = resolveRecoveryCodesOptions(options ?? {});
  return {
    name: 'recoveryCodes',
    handlers: { regenerateRecoveryCodes: (record, command, ctx) => regenerateTransition(record, command, ctx, o) },
    slice: { key: 'recoveryCodes', problem: recoveryCodesProblem, read: readRecoveryCodes },
    recoveryCodes: {
      prepare(cipher, lifecycle, features) {
        checkRecoveryCodesUnlikeCodes(o, lifecycle.totp.digits, 'totp.digits');
        for (const factor of Object.values(features.factors)) {
          if (factor.recoveryCodes) checkRecoveryCodesUnlikeCodes(o, factor.digits, `${factor.types.join('/')} code length`);
        }
        return pepperSourceOf(cipher, o.hashing);
      },
      issue: (ctx) => issueSet(o, ctx),
      check: (record, input, ctx, events) => checkSetCode(o, record, input, ctx, events),
      remaining: (record) => unusedInSet(record.recoveryCodes),
    },
    methods: ({ execute }) => ({
      regenerateRecoveryCodes: (userId, proof) => execute(userId, { type: 'regenerateRecoveryCodes', proof }) as Promise<RegenerateRecoveryCodesResult>,
    }),
  };
}

export type { RecoveryCodesOptions, LifecycleRecoveryCodeOptions, ResolvedRecoveryCodesOptions } from './options.js';
export type { RegenerateRecoveryCodesResult } from './transitions.js';
