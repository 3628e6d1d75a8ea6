// The secrets of the other authenticators at rest: the service's cipher opens them after a load and
// seals them before a write, like the primary factor's (the core codec handles that one). An
// unchanged secret keeps its ciphertext unless the cipher asks for rotation.
import { MfaError } from '../../../errors.js';
import type { SecretCipher } from '../../../secret-cipher.js';
import { decodeBase64Url, encodeBase64Url } from '../../../_internal/base64.js';
import type { RecordCodec } from '../../engine.js';
import type { MfaRecord, SecretMethodState } from '../../record.js';
import type { StoredAuthenticator } from './slice.js';

/** The AAD purpose of the primary's secret too: a secret keeps its meaning when it is promoted. */
const PURPOSE = 'totp-secret';

interface Memo {
  readonly inner: unknown;
  /** Plaintext (base64url) → ciphertext of the secrets as loaded. */
  readonly open?: ReadonlyMap<string, string>;
}

const extraOf = (record: MfaRecord): readonly StoredAuthenticator[] => record.authenticators?.extra ?? [];
const withExtra = (record: MfaRecord, extra: readonly StoredAuthenticator[]): MfaRecord => ({
  ...record,
  authenticators: { ...record.authenticators, primary: record.authenticators?.primary ?? null, extra },
});
/** The method of an authenticator with a secret still sealed by a cipher, or null. */
const sealedOf = (a: StoredAuthenticator): SecretMethodState | null => ('secret' in a.method && a.method.secretSealed === true ? a.method : null);

function cipherFailure(what: string, err: unknown): MfaError {
  return err instanceof MfaError ? err : new MfaError('CIPHER_FAILURE', `could not ${what} the stored secret`, { cause: err });
}

/** @internal Wraps the user-record codec so the slice's secrets are opened and sealed too. */
export function sealAuthenticators(base: RecordCodec<MfaRecord>, cipher: SecretCipher | undefined, requireSealed: boolean): RecordCodec<MfaRecord> {
  const codec: RecordCodec<MfaRecord> = {
    empty: base.empty,
    parse(data, userId) {
      const record = base.parse(data, userId);
      if (requireSealed && extraOf(record).some((a) => 'secret' in a.method && a.method.secretSealed !== true)) {
        throw new MfaError('INVALID_RECORD', 'stored MFA record is invalid: authenticators.method.secret is not encrypted (requireSealed)');
      }
      return record;
    },
    open(userId, record) {
      const inner = base.open?.(userId, record) ?? null;
      if (!extraOf(record).some((a) => sealedOf(a) !== null)) {
        return inner === null ? null : inner.then((o): { record: MfaRecord; memo: unknown } => ({ record: o.record, memo: { inner: o.memo } }));
      }
      if (cipher === undefined) throw new MfaError('CIPHER_FAILURE', 'the stored secret is encrypted but no cipher is configured');
      return (async () => {
        const opened = inner === null ? { record, memo: undefined } : await inner;
        const open = new Map<string, string>();
        const extra = await Promise.all(
          extraOf(opened.record).map(async (a) => {
            const sealed = sealedOf(a);
            if (sealed === null) return a;
            let bytes: Uint8Array;
            try {
              bytes = await cipher.decrypt(sealed.secret, { userId, purpose: PURPOSE });
            } catch (err) {
              throw cipherFailure('decrypt', err);
            }
            const { secretSealed: _sealed, ...rest } = sealed;
            const secret = encodeBase64Url(bytes);
            open.set(secret, sealed.secret);
            return { ...a, method: { ...rest, secret } as SecretMethodState };
          }),
        );
        const memo: Memo = { inner: opened.memo, open };
        return { record: withExtra(opened.record, extra), memo: memo as unknown };
      })();
    },
  };
  if (cipher === undefined) return codec;
  codec.seal = async (userId, record, loaded) => {
    const memo = loaded as Memo | undefined;
    const sealed = base.seal === undefined ? record : await base.seal(userId, record, memo?.inner);
    const list = extraOf(sealed);
    if (list.length === 0) return sealed;
    const extra = await Promise.all(
      list.map(async (a) => {
        const m = a.method;
        if (!('secret' in m) || m.secretSealed === true) return a;
        let ciphertext = memo?.open?.get(m.secret);
        if (ciphertext === undefined || cipher.needsRotation?.(ciphertext) === true) {
          const bytes = decodeBase64Url(m.secret, { canonical: false });
          if (bytes === null) throw new MfaError('INVALID_RECORD', 'stored MFA record is invalid: authenticators.method.secret');
          try {
            ciphertext = await cipher.encrypt(bytes, { userId, purpose: PURPOSE });
          } catch (err) {
            throw cipherFailure('encrypt', err);
          }
        }
        return { ...a, method: { ...m, secret: ciphertext, secretSealed: true as const } };
      }),
    );
    return withExtra(sealed, extra);
  };
  return codec;
}

/** The sealed secrets of the extra authenticators in a stored record (for key rotation); never throws. */
export function sealedAuthenticatorSecrets(data: { readonly [field: string]: unknown }): readonly string[] {
  const extra = (data.authenticators as { extra?: unknown } | null | undefined)?.extra;
  if (!Array.isArray(extra)) return [];
  const out: string[] = [];
  for (const a of extra as { method?: { secret?: unknown; secretSealed?: unknown } | null }[]) {
    const m = a?.method;
    if (m?.secretSealed === true && typeof m.secret === 'string') out.push(m.secret);
  }
  return out;
}
