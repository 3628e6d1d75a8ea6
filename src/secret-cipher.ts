/**
 * What a ciphertext is bound to (AAD): the user it belongs to and what the sealed value is. The
 * lifecycle passes `purpose: 'totp-secret'` for TOTP secrets, so a ciphertext cannot be moved to
 * another user, nor to another sealed field of the same user.
 */
export interface CipherContext {
  readonly userId: string;
  /** What the sealed value is, at most 64 characters. Default `''`. */
  readonly purpose?: string;
}

/**
 * Encrypts shared secrets before they reach a store, and decrypts them after. The lifecycle calls
 * it with the user id and the value's purpose as context (AAD binding, see {@link CipherContext}).
 * Without a cipher, stores hold the raw secret (base64url) — see the docs on secrets at rest.
 */
export interface SecretCipher {
  /** Seals `plaintext` for `context.userId`; the result is stored as an opaque string. */
  encrypt(plaintext: Uint8Array, context: CipherContext): Promise<string>;
  /** Opens a string made by `encrypt` (with any known key). Rejects with `CIPHER_FAILURE`. */
  decrypt(sealed: string, context: CipherContext): Promise<Uint8Array>;
  /** True when `sealed` was made with a key other than the current one (re-encrypt on next write). */
  needsRotation?(sealed: string): boolean;
  /**
   * Optional capability: a 32-byte key derived from the cipher's key `keyId` (default: the current
   * one), for keying the hashes stored next to the secret (recovery codes), or null when no key has
   * that id. Synchronous: the lifecycle calls it inside its pure transitions. The lifecycle stores
   * `keyId` with each recovery-code set, so a set keeps verifying after the current key changes, for
   * as long as the cipher still holds that key. A cipher without it needs
   * `recoveryCodes({ hashing: { pepper } })`.
   */
  derivePepper?(keyId?: string): CipherPepper | null;
}

/** A pepper derived by {@link SecretCipher.derivePepper}, with the id of the key it came from. */
export interface CipherPepper {
  readonly keyId: string;
  readonly pepper: Uint8Array;
}
