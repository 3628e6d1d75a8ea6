// Which pepper keys a user's recovery-code hashes. Without one, a leaked store lets an attacker test
// guesses offline against each set (HMAC keyed with the set's own salt), while the TOTP secret next
// to it is sealed by the cipher. So when a cipher is configured the codes are keyed too, by default
// with a pepper the cipher derives from its current key; the set records that key's id and verifies
// with it for as long as the cipher holds the key. An explicit `recoveryCodes({ hashing: { pepper } })` wins.
import { MfaError } from '../../../errors.js';
import type { RecoveryCodeHashing } from '../../../recovery-codes.js';
import type { StoredRecoveryCodeSet } from '../../../recovery-code-set.js';
import type { SecretCipher } from '../../../secret-cipher.js';
import type { TransitionContext } from '../../transition-types.js';

import type { PepperSource } from './pepper-source.js';

export type { PepperSource } from './pepper-source.js';

/**
 * @internal The pepper source of a service: the cipher's `derivePepper` when it has one (new sets use
 * it unless an explicit pepper is set; sets that name a key id always verify with it). Throws
 * INVALID_OPTION for a cipher that cannot derive one when no explicit pepper is set either (set
 * `recoveryCodes({ hashing: { pepper } })` then: the codes must not be the weakest thing in the store).
 */
export function pepperSourceOf(cipher: SecretCipher | undefined, hashing: RecoveryCodeHashing | undefined): PepperSource | undefined {
  if (cipher === undefined) return undefined;
  if (typeof cipher.derivePepper === 'function') return (keyId) => cipher.derivePepper!(keyId);
  if (hashing?.pepper === undefined) {
    throw new MfaError(
      'INVALID_OPTION',
      'this cipher cannot derive a pepper for recovery-code hashes (no derivePepper): set recoveryCodes({ hashing: { pepper } })',
    );
  }
  return undefined;
}

/** @internal Hashing options and pepper id for a new recovery-code set. */
export function hashingForNewSet(
  hashing: RecoveryCodeHashing | undefined,
  ctx: TransitionContext,
): { hashing: RecoveryCodeHashing | undefined; pepperId: string | undefined } {
  if (ctx.peppers === undefined || hashing?.pepper !== undefined) return { hashing, pepperId: undefined };
  const derived = ctx.peppers();
  if (derived === null) throw new MfaError('CIPHER_FAILURE', 'the cipher could not derive a pepper from its current key');
  return { hashing: { ...hashing, pepper: derived.pepper }, pepperId: derived.keyId };
}

/** @internal Hashing options to verify a code against `set`: the pepper its `pepperId` names, else the configured one. */
export function hashingForSet(
  set: StoredRecoveryCodeSet,
  hashing: RecoveryCodeHashing | undefined,
  ctx: TransitionContext,
): RecoveryCodeHashing | undefined {
  if (set.pepperId === undefined) return hashing;
  const derived = ctx.peppers?.(set.pepperId) ?? null;
  if (derived === null) {
    throw new MfaError('CIPHER_FAILURE', 'the recovery codes were hashed with a cipher key this service does not hold');
  }
  return { ...hashing, pepper: derived.pepper };
}
