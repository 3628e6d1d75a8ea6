// The factor's secret at rest: decrypted after a load and encrypted before a write with the cipher of
// `encryptedSecrets(cipher)`. An unchanged secret keeps its ciphertext (no needless re-encryption)
// unless the cipher asks for rotation.
import { MfaError } from '../../../errors.js';
import type { SecretCipher } from '../../../secret-cipher.js';
import { decodeBase64Url, encodeBase64Url } from '../../../_internal/base64.js';
import type { RecordCodec } from '../../engine.js';
import type { MfaRecord, SecretMethodState } from '../../record.js';
import { isSealed } from '../../user-codec.js';

/** The cipher context purpose of TOTP secrets: binds each ciphertext to that field (AAD). */
const SECRET_PURPOSE = 'totp-secret';

/** The ciphertext and plaintext of the secret as loaded. */
interface SealMemo {
  readonly sealed: string;
  readonly open: string;
}

function cipherFailure(what: string, err: unknown): MfaError {
  return err instanceof MfaError ? err : new MfaError('CIPHER_FAILURE', `could not ${what} the stored secret`, { cause: err });
}

/**
 * @internal Wraps the core user-record codec: opens a sealed factor secret after a load, seals it
 * before a write; `requireSealed` refuses a plaintext one.
 */
export function sealFactorSecret(base: RecordCodec<MfaRecord>, cipher: SecretCipher, requireSealed: boolean): RecordCodec<MfaRecord> {
  return {
    empty: base.empty,
    parse(data, userId) {
      const record = base.parse(data, userId);
      if (requireSealed && record.method !== null && 'secret' in record.method && !isSealed(record)) {
        throw new MfaError('INVALID_RECORD', 'stored MFA record is invalid: method.secret is not encrypted (requireSealed)');
      }
      return record;
    },
    open(userId, record) {
      return isSealed(record) ? openSealed(userId, record) : null;
    },
    async seal(userId, record, loaded) {
      const memo = loaded as SealMemo | undefined;
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
          throw cipherFailure('encrypt', err);
        }
      }
      const sealedMethod: SecretMethodState = { ...method, secret: sealed, secretSealed: true };
      return { ...record, method: sealedMethod };
    },
  };

  async function openSealed(userId: string, record: MfaRecord): Promise<{ record: MfaRecord; memo: unknown }> {
    const method = record.method as SecretMethodState;
    let bytes: Uint8Array;
    try {
      bytes = await cipher.decrypt(method.secret, { userId, purpose: SECRET_PURPOSE });
    } catch (err) {
      throw cipherFailure('decrypt', err);
    }
    const { secretSealed: _sealed, ...rest } = method;
    const open = encodeBase64Url(bytes);
    const memo: SealMemo = { sealed: method.secret, open };
    return { record: { ...record, method: { ...rest, secret: open } as SecretMethodState }, memo };
  }
}
