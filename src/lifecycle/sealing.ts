// The user-record codec of the engine: records are validated on every read, and the TOTP/HOTP
// secrets (the primary factor's, and those a feature's slice holds) are decrypted after a load and
// encrypted before a write when the service has a `SecretCipher`. An unchanged secret keeps its
// ciphertext (no needless re-encryption) unless the cipher asks for rotation.
import { MfaError } from '../errors.js';
import type { SecretCipher } from '../secret-cipher.js';
import { decodeBase64Url, encodeBase64Url } from '../_internal/base64.js';
import type { RecordCodec } from './engine.js';
import type { FeatureSet } from './feature.js';
import { emptyRecord, parseRecord, type MfaRecord, type SecretMethodState } from './record.js';

/** The cipher context purpose of TOTP/HOTP secrets: binds each ciphertext to that field (AAD). */
const SECRET_PURPOSE = 'totp-secret';

/** @internal The plaintext of each secret as loaded, and its ciphertext. */
export type SealMemo = ReadonlyMap<string, string>;

type Holder = NonNullable<FeatureSet['secrets']>[number];

/** The primary factor as a secret holder, so it and the features' secrets are handled alike. */
const primary: Holder = {
  get: (record) => (record.method !== null && 'secret' in record.method ? [record.method] : []),
  put: (record, [method]) => ({ ...record, method: method! }),
};

/** @internal The codec of user records (validating the features' slices too); `requireSealed` refuses a plaintext secret. */
export function userRecordCodec(
  cipher: SecretCipher | undefined,
  requireSealed: boolean,
  features: Pick<FeatureSet, 'slices' | 'secrets'>,
): RecordCodec<MfaRecord, SealMemo> {
  const holders = [primary, ...(features.secrets ?? [])];
  const methodsOf = (record: MfaRecord): SecretMethodState[] => holders.flatMap((h) => h.get(record));
  // Every load asks this: without a feature's secrets it is one field test, no allocation.
  const anySealed =
    holders.length === 1
      ? (record: MfaRecord): boolean => (record.method as { secretSealed?: true } | null)?.secretSealed === true
      : (record: MfaRecord): boolean => methodsOf(record).some((m) => m.secretSealed === true);
  const codec: RecordCodec<MfaRecord, SealMemo> = {
    empty: emptyRecord,
    parse(data, userId) {
      const record = parseRecord(data, userId, features.slices);
      if (requireSealed && methodsOf(record).some((m) => m.secretSealed !== true)) {
        throw new MfaError('INVALID_RECORD', 'stored MFA record is invalid: method.secret is not encrypted (requireSealed)');
      }
      return record;
    },
  };
  if (cipher === undefined) {
    // Without a cipher a sealed record cannot be read: say so rather than treat ciphertext as a key.
    codec.open = (_userId, record) => {
      if (anySealed(record)) throw new MfaError('CIPHER_FAILURE', 'the stored secret is encrypted but no cipher is configured');
      return null;
    };
    return codec;
  }
  const key: SecretCipher = cipher;
  /** Every holder's methods mapped through `f`, written back in place. */
  async function each(record: MfaRecord, f: (m: SecretMethodState) => Promise<SecretMethodState>): Promise<MfaRecord> {
    let out = record;
    for (const h of holders) {
      const methods = h.get(out);
      if (methods.length > 0) out = h.put(out, await Promise.all(methods.map(f)));
    }
    return out;
  }
  codec.open = (userId, record) => {
    if (!anySealed(record)) return null;
    const memo = new Map<string, string>();
    return each(record, async (method) => {
      if (method.secretSealed !== true) return method;
      let bytes: Uint8Array;
      try {
        bytes = await key.decrypt(method.secret, { userId, purpose: SECRET_PURPOSE });
      } catch (err) {
        throw err instanceof MfaError ? err : new MfaError('CIPHER_FAILURE', 'could not decrypt the stored secret', { cause: err });
      }
      const { secretSealed: _sealed, ...rest } = method;
      const open = encodeBase64Url(bytes);
      memo.set(open, method.secret);
      return { ...rest, secret: open } as SecretMethodState;
    }).then((opened) => ({ record: opened, memo }));
  };
  codec.seal = (userId, record, memo) =>
    each(record, async (method) => {
      if (method.secretSealed === true) return method;
      let sealed = memo?.get(method.secret);
      if (sealed === undefined || cipher.needsRotation?.(sealed) === true) {
        const bytes = decodeBase64Url(method.secret, { canonical: false });
        if (bytes === null) throw new MfaError('INVALID_RECORD', 'stored MFA record is invalid: method.secret');
        try {
          sealed = await cipher.encrypt(bytes, { userId, purpose: SECRET_PURPOSE });
        } catch (err) {
          throw err instanceof MfaError ? err : new MfaError('CIPHER_FAILURE', 'could not encrypt the secret', { cause: err });
        }
      }
      return { ...method, secret: sealed, secretSealed: true };
    });
  return codec;
}
