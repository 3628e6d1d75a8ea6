/**
 * Encrypts shared secrets before they reach a store, and decrypts them after. The lifecycle calls
 * it with the user id as context so a ciphertext cannot be moved to another user (AAD binding).
 * Without a cipher, stores hold the raw secret (base64url) — see the docs on secrets at rest.
 */
export interface SecretCipher {
  /** Seals `plaintext` for `context.userId`; the result is stored as an opaque string. */
  encrypt(plaintext: Uint8Array, context: { userId: string }): Promise<string>;
  /** Opens a string made by `encrypt` (with any known key). Rejects with `CIPHER_FAILURE`. */
  decrypt(sealed: string, context: { userId: string }): Promise<Uint8Array>;
  /** True when `sealed` was made with a key other than the current one (re-encrypt on next write). */
  needsRotation?(sealed: string): boolean;
}
