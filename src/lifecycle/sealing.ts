// The user-record codec of the engine: records are validated on every read, and a TOTP/HOTP secret is
// decrypted after a load and encrypted before a write when the service has a `SecretCipher`. An
// unchanged secret keeps its ciphertext (no needless re-encryption) unless the cipher asks for
// rotation.
import { MfaError } from '../errors.js';
import type { SecretCipher } from '../secret-cipher.js';
import { decodeBase64Url, encodeBase64Url } from '../_internal/base64.js';
import type { RecordCodec } from './engine.js';
import type { FeatureSet } from './feature.js';
import { emptyRecord, parseRecord, type MfaRecord, type SecretMethodState } from './record.js';

/** The cipher context purpose of TOTP secrets: binds each ciphertext to that field (AAD). */
const SECRET_PURPOSE = 'totp-secret';

/** @internal The ciphertext and plaintext of the secret as loaded. */
export interface SealMemo {
  readonly sealed: string;
  readonly open: string;
}

function isSealed(record: MfaRecord): boolean {
  return (record.method as { secretSealed?: true } | null)?.secretSealed === true;
}

/**
 * @internal The codec of user records (validating the features' slices too); `requireSealed` refuses
 * a plaintext secret. A feature whose slice holds secrets wraps it (`MfaFeature.wrapCodec`).
 */
export function userRecordCodec(cipher: SecretCipher | undefined, requireSealed: boolean, features: FeatureSet): RecordCodec<MfaRecord, SealMemo> {
  let codec = primaryCodec(cipher, requireSealed, features);
  for (const f of features.list) codec = (f.wrapCodec?.(codec, cipher, requireSealed) as typeof codec | undefined) ?? codec;
  return codec;
}

function primaryCodec(cipher: SecretCipher | undefined, requireSealed: boolean, { slices }: FeatureSet): RecordCodec<MfaRecord, SealMemo> {
  const codec: RecordCodec<MfaRecord, SealMemo> = {
    empty: emptyRecord,
    parse(data, userId) {
      const record = parseRecord(data, userId, slices);
      if (requireSealed && record.method !== null && 'secret' in record.method && !isSealed(record)) {
        throw new MfaError('INVALID_RECORD', 'stored MFA record is invalid: method.secret is not encrypted (requireSealed)');
      }
      return record;
    },
  };
  if (cipher === undefined) {
    // Without a cipher a sealed record cannot be read: say so rather than treat ciphertext as a key.
    codec.open = (_userId, record) => {
      if (isSealed(record)) throw new MfaError('CIPHER_FAILURE', 'the stored secret is encrypted but no cipher is configured');
      return null;
    };
    return codec;
  }
  const key: SecretCipher = cipher;
  codec.open = (userId, record) => (isSealed(record) ? openSealed(userId, record) : null);
  async function openSealed(userId: string, record: MfaRecord): Promise<{ record: MfaRecord; memo: SealMemo }> {
    const method = record.method as SecretMethodState;
    let bytes: Uint8Array;
    try {
      bytes = await key.decrypt(method.secret, { userId, purpose: SECRET_PURPOSE });
    } catch (err) {
      throw err instanceof MfaError ? err : new MfaError('CIPHER_FAILURE', 'could not decrypt the stored secret', { cause: err });
    }
    const { secretSealed: _sealed, ...rest } = method;
    const open = encodeBase64Url(bytes);
    return { record: { ...record, method: { ...rest, secret: open } as SecretMethodState }, memo: { sealed: method.secret, open } };
  }
  codec.seal = async (userId, record, memo) => {
    const method = record.method;
    if (method === null || !('secret' in method)) return record;
    let sealed: string;
    if (memo !== undefined && method.secret === memo.open && cipher.needsRotation?.(memo.sealed) !== true) {
      sealed = memo.sealed;
    } else {
      const bytes = decodeBase64Url(method.secret, { canonical: false });
      if (bytes === null) throw new MfaError('INVALID_RECORD', 'stored MFA record is invalid: method.secret');
      try {
        sealed = await cipher.encrypt(bytes, { userId, purpose: SECRET_PURPOSE });
      } catch (err) {
        throw err instanceof MfaError ? err : new MfaError('CIPHER_FAILURE', 'could not encrypt the secret', { cause: err });
      }
    }
    const sealedMethod: SecretMethodState = { ...method, secret: sealed, secretSealed: true };
    return { ...record, method: sealedMethod };
  };
  return codec;
}
