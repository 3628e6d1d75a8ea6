import { MfaError } from './errors.js';
import { cryptoRandom, type RandomSource } from './random.js';
import type { CipherContext, CipherPepper, SecretCipher } from './secret-cipher.js';
import { decodeBase64Url, encodeBase64Url } from './_internal/base64.js';
import { utf8Encode } from './_internal/utf8.js';
import { hkdfSha256 } from './_internal/hkdf.js';

/** Options of {@link aesGcmCipher}. */
export interface AesGcmCipherOptions {
  /**
   * The keys, by key id: 32 random bytes each (AES-256). Key ids are 1–32 characters of
   * `A–Z a–z 0–9 _ -`; they are stored in every ciphertext, so never reuse an id for another key.
   */
  keys: Readonly<Record<string, Uint8Array>>;
  /** Id of the key that encrypts. Every other key only decrypts (rotation). */
  current: string;
  /** Source of the 96-bit IVs. Default WebCrypto; inject one only in tests. */
  rng?: RandomSource;
}

/** A {@link SecretCipher} over AES-256-GCM, with rotation helpers. */
export interface AesGcmCipher extends SecretCipher {
  /** Id of the key that encrypts. */
  readonly current: string;
  /** Ids of every key that can decrypt. */
  readonly keyIds: readonly string[];
  /** Key id named in `sealed`, or null when `sealed` is not an mfakit AES-GCM ciphertext. */
  keyIdOf(sealed: string): string | null;
  /** True when `sealed` was not made with the current key and format (or cannot be read at all). */
  needsRotation(sealed: string): boolean;
  /**
   * Re-encrypts `sealed` under the current key, or returns it unchanged when it already uses it.
   * Rejects with `CIPHER_FAILURE` like {@link SecretCipher.decrypt}.
   */
  rotate(sealed: string, context: CipherContext): Promise<string>;
  /**
   * HKDF-SHA-256 of key `keyId` (default: the current key), info `mfakit recovery-code pepper v1`:
   * 32 bytes for keying recovery-code hashes, never used for encryption. Null for an unknown key id.
   */
  derivePepper(keyId?: string): CipherPepper | null;
}

/**
 * Format version written at the start of every ciphertext. `v2` binds the context's purpose in the
 * AAD; `v1` (before it) bound only the user id: still opened, and reported by `needsRotation`.
 */
const VERSION = 'v2';
const LEGACY_VERSION = 'v1';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** HKDF info of the recovery-code pepper: binds the derived key to that one use. */
const PEPPER_INFO = 'mfakit recovery-code pepper v1';
/** WebCrypto's CryptoKey, named without the DOM lib. */
type AesKey = Awaited<ReturnType<SubtleCryptoLike['importKey']>>;
type SubtleCryptoLike = typeof globalThis.crypto.subtle;

/**
 * Encrypts shared secrets at rest with AES-256-GCM (WebCrypto, so Node ≥ 20, browsers, Deno, Bun and
 * edge runtimes; no dependency).
 *
 * A ciphertext is one ASCII string `v2.<keyId>.<iv>.<ciphertext+tag>` (base64url parts): the key id
 * says which key opens it, so keys can be rotated without a migration. The additional authenticated
 * data is `v2.<keyId>.<n>:<purpose><userId>` (UTF-8; `n` the purpose's length), so a ciphertext copied
 * to another user's record or to another sealed field, or relabelled with another key id, fails to
 * decrypt. It does not bind the record version or time: an old ciphertext of the same user and
 * purpose (a secret they replaced since) written back by someone with write access to the store still
 * opens — see SECURITY.md. `v1` ciphertexts (user id only, before purposes) still open and report
 * `needsRotation`, so the lifecycle re-seals them on the next write. Each encryption draws a fresh random 96-bit IV;
 * with random IVs keep one key under 2^32 encryptions (NIST SP 800-38D §8.3), far beyond one per
 * enrolment.
 *
 * Failures to decrypt (unknown key id, wrong user, tampering, garbage) reject with
 * {@link MfaError} `CIPHER_FAILURE`; messages never contain key material or plaintext. Keys live in a
 * closure: `JSON.stringify` and `util.inspect` show only the key ids.
 *
 * @example Encrypting secrets at rest, then rotating the key
 * ```ts
 * import { aesGcmCipher, generateSecret } from 'mfakit';
 * // In production the keys come from your KMS or environment, 32 bytes each.
 * const k2025 = crypto.getRandomValues(new Uint8Array(32));
 * const k2026 = crypto.getRandomValues(new Uint8Array(32));
 *
 * const old = aesGcmCipher({ keys: { k2025 }, current: 'k2025' });
 * const sealed = await old.encrypt(generateSecret(), { userId: 'alice' }); // 'v2.k2025.…'
 *
 * // New writes use k2026; k2025 still decrypts what was sealed before.
 * const cipher = aesGcmCipher({ keys: { k2025, k2026 }, current: 'k2026' });
 * cipher.needsRotation(sealed);                                // true
 * const resealed = await cipher.rotate(sealed, { userId: 'alice' }); // 'v2.k2026.…'
 * ```
 * @see NIST SP 800-38D (GCM), RFC 5116 §5.2 (AEAD_AES_256_GCM)
 */
export function aesGcmCipher(options: AesGcmCipherOptions): AesGcmCipher {
  if (options === null || typeof options !== 'object') {
    throw new MfaError('INVALID_OPTION', 'aesGcmCipher needs { keys, current }');
  }
  const { keys, current } = options;
  const rng = options.rng ?? cryptoRandom;
  if (keys === null || typeof keys !== 'object') {
    throw new MfaError('INVALID_OPTION', 'keys must be an object of key id to 32-byte key');
  }
  const raw = new Map<string, Uint8Array>();
  for (const [id, key] of Object.entries(keys)) {
    if (!KEY_ID.test(id)) {
      throw new MfaError('INVALID_OPTION', 'key ids must be 1 to 32 characters of A-Z a-z 0-9 _ -');
    }
    if (!(key instanceof Uint8Array) || key.length !== 32) {
      throw new MfaError('INVALID_OPTION', `key "${id}" must be a Uint8Array of 32 bytes (AES-256)`);
    }
    raw.set(id, key.slice()); // our own copy: later changes by the caller do not affect us
  }
  if (raw.size === 0) throw new MfaError('INVALID_OPTION', 'keys must hold at least one key');
  if (typeof current !== 'string' || !raw.has(current)) {
    throw new MfaError('INVALID_OPTION', 'current must be the id of one of the keys');
  }
  if (typeof globalThis.crypto?.subtle?.importKey !== 'function') {
    throw new MfaError('UNSUPPORTED_RUNTIME', 'aesGcmCipher needs WebCrypto (globalThis.crypto.subtle); without it, pass your own `cipher` (a SecretCipher) to createMfa');
  }

  const imported = new Map<string, Promise<AesKey>>();
  const cryptoKey = (id: string): Promise<AesKey> => {
    let key = imported.get(id);
    if (key === undefined) {
      key = globalThis.crypto.subtle.importKey('raw', raw.get(id)!, { name: 'AES-GCM' }, false, [
        'encrypt',
        'decrypt',
      ]);
      imported.set(id, key);
    }
    return key;
  };
  const keyIds = Object.freeze([...raw.keys()]);

  async function encrypt(plaintext: Uint8Array, context: CipherContext): Promise<string> {
    if (!(plaintext instanceof Uint8Array)) {
      throw new MfaError('INVALID_OPTION', 'plaintext must be a Uint8Array');
    }
    const userId = contextUserId(context);
    const purpose = contextPurpose(context);
    const iv = rng(IV_BYTES);
    if (!(iv instanceof Uint8Array) || iv.length !== IV_BYTES) {
      throw new MfaError('INVALID_OPTION', 'rng must return a Uint8Array of the requested length');
    }
    const header = `${VERSION}.${current}.`;
    let sealed: ArrayBuffer;
    try {
      sealed = await globalThis.crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: aad(header, userId, purpose), tagLength: TAG_BYTES * 8 },
        await cryptoKey(current),
        plaintext,
      );
    } catch (cause) {
      throw new MfaError('CIPHER_FAILURE', 'AES-GCM encryption failed', { cause });
    }
    return `${header}${encodeBase64Url(iv)}.${encodeBase64Url(new Uint8Array(sealed))}`;
  }

  async function decrypt(sealed: string, context: CipherContext): Promise<Uint8Array> {
    const userId = contextUserId(context);
    const purpose = contextPurpose(context);
    const parts = parse(sealed);
    if (parts === null) throw new MfaError('CIPHER_FAILURE', 'not an mfakit AES-GCM ciphertext');
    if (!raw.has(parts.keyId)) {
      throw new MfaError('CIPHER_FAILURE', 'ciphertext was made with a key id this cipher does not hold');
    }
    try {
      const plain = await globalThis.crypto.subtle.decrypt(
        {
          name: 'AES-GCM',
          iv: parts.iv,
          additionalData: parts.version === VERSION ? aad(parts.header, userId, purpose) : aad(parts.header, userId, null),
          tagLength: TAG_BYTES * 8,
        },
        await cryptoKey(parts.keyId),
        parts.body,
      );
      return new Uint8Array(plain);
    } catch (cause) {
      // OperationError: wrong key, wrong user id (AAD) or tampered data. GCM cannot tell them apart.
      throw new MfaError('CIPHER_FAILURE', 'ciphertext failed authentication (wrong key, wrong user or tampered)', {
        cause,
      });
    }
  }

  const peppers = new Map<string, CipherPepper>();
  const derivePepper = (keyId: string = current): CipherPepper | null => {
    const key = typeof keyId === 'string' ? raw.get(keyId) : undefined;
    if (key === undefined) return null;
    let derived = peppers.get(keyId);
    if (derived === undefined) {
      // HKDF with its own info string: a key for HMAC, independent of the AES-GCM use of the same key.
      derived = Object.freeze({ keyId, pepper: hkdfSha256(key, utf8Encode(PEPPER_INFO)) });
      peppers.set(keyId, derived);
    }
    return { keyId, pepper: derived.pepper.slice() };
  };

  const keyIdOf = (sealed: string): string | null => parse(sealed)?.keyId ?? null;
  const cipher: AesGcmCipher = {
    current,
    keyIds,
    encrypt,
    decrypt,
    keyIdOf,
    needsRotation: (sealed) => {
      const parts = parse(sealed);
      return parts === null || parts.keyId !== current || parts.version !== VERSION;
    },
    derivePepper,
    async rotate(sealed, context) {
      const plain = await decrypt(sealed, context);
      if (!cipher.needsRotation(sealed)) {
        plain.fill(0);
        return sealed;
      }
      try {
        return await encrypt(plain, context);
      } finally {
        plain.fill(0);
      }
    },
  };
  const describe = (): object => ({ type: 'aes-256-gcm', current, keyIds });
  Object.defineProperties(cipher, {
    toJSON: { value: describe, enumerable: false },
    [Symbol.for('nodejs.util.inspect.custom')]: {
      value: () => `AesGcmCipher { current: '${current}', keyIds: [${keyIds.map((k) => `'${k}'`).join(', ')}] }`,
      enumerable: false,
    },
  });
  return Object.freeze(cipher);
}

function contextUserId(context: CipherContext): string {
  const userId = context?.userId;
  if (typeof userId !== 'string') throw new MfaError('INVALID_OPTION', 'context.userId must be a string');
  return userId;
}

function contextPurpose(context: { purpose?: string }): string {
  const purpose = context?.purpose ?? '';
  if (typeof purpose !== 'string' || purpose.length > 64) throw new MfaError('INVALID_OPTION', 'context.purpose must be a string of at most 64 characters');
  return purpose;
}

/**
 * v2: `v2.<keyId>.<purpose length>:<purpose><userId>` (the length makes the split unambiguous);
 * v1 (legacy, `purpose` null): `v1.<keyId>.<userId>`.
 */
function aad(header: string, userId: string, purpose: string | null): Uint8Array {
  return utf8Encode(purpose === null ? header + userId : `${header}${purpose.length}:${purpose}${userId}`);
}

interface Parts {
  header: string;
  version: string;
  keyId: string;
  iv: Uint8Array;
  body: Uint8Array;
}

function parse(sealed: unknown): Parts | null {
  if (typeof sealed !== 'string' || sealed.length > 1_000_000) return null;
  const parts = sealed.split('.');
  const version = parts[0]!;
  if (parts.length !== 4 || (version !== VERSION && version !== LEGACY_VERSION)) return null;
  const keyId = parts[1]!;
  if (!KEY_ID.test(keyId)) return null;
  const iv = decodeBase64Url(parts[2]!);
  const body = decodeBase64Url(parts[3]!);
  if (iv === null || iv.length !== IV_BYTES || body === null || body.length < TAG_BYTES) return null;
  return { header: `${version}.${keyId}.`, version, keyId, iv, body };
}
