// Secrets at rest as an opt-in feature: `createMfa({ features: [encryptedSecrets(cipher)] })`. The
// factor's TOTP/HOTP secret is decrypted after every load and encrypted before every write; features
// that keep secrets of their own (`authenticators()`) seal them with the same cipher, and with a
// cipher recovery-code hashes are keyed with a pepper it derives. An app that stores secrets as
// base64url does not bundle any of it.
import { MfaError } from '../../../errors.js';
import type { SecretCipher } from '../../../secret-cipher.js';
import type { MfaFeature } from '../../feature.js';
import { sealFactorSecret } from './sealing.js';

/** Options of {@link encryptedSecrets}. */
export interface EncryptedSecretsOptions {
  /**
   * A TOTP secret found in the store unencrypted is `INVALID_RECORD` instead of being accepted (and
   * sealed on the next write). Turn it on once every record has been written since the cipher was
   * introduced (`reencryptAll(store, cipher, { sealPlaintext: true })` does that): it stops someone
   * with write access to the store from planting a secret they know. Default false.
   */
  readonly requireSealed?: boolean;
}

/**
 * Encrypts secrets at rest with `cipher` (e.g. `aesGcmCipher`): decrypt after every load, encrypt
 * before every write (an unchanged secret keeps its ciphertext unless `needsRotation` says otherwise).
 * Records written without it (base64url secrets) are read as they are and sealed on their next write;
 * a service without this feature refuses a sealed record (`CIPHER_FAILURE`).
 *
 * @throws {@link index!MfaError} `INVALID_OPTION` when `cipher` has no `encrypt`/`decrypt`
 * @example
 * ```ts
 * import { aesGcmCipher, createMfa, encryptedSecrets, MemoryStore } from 'mfakit';
 * const cipher = aesGcmCipher({ keys: { k1: crypto.getRandomValues(new Uint8Array(32)) }, current: 'k1' });
 * const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', features: [encryptedSecrets(cipher)] });
 * ```
 */
export function encryptedSecrets(cipher: SecretCipher, options: EncryptedSecretsOptions = {}): MfaFeature {
  if (cipher === null || typeof cipher !== 'object' || typeof cipher.encrypt !== 'function' || typeof cipher.decrypt !== 'function') {
    throw new MfaError('INVALID_OPTION', 'encryptedSecrets needs a SecretCipher (e.g. aesGcmCipher({ keys, current }))');
  }
  const requireSealed = options.requireSealed === true;
  return {
    name: 'encryptedSecrets',
    secrets: { cipher, requireSealed, wrap: (codec) => sealFactorSecret(codec, cipher, requireSealed) },
  };
}
