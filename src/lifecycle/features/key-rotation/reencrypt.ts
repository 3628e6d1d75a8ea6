// Key rotation for secrets at rest: re-seal every record still encrypted under an old key, while
// the application keeps running. Each record goes through the lifecycle's own codec (validate, open
// with any key the cipher holds, seal with its current key) and back with compare-and-set on the
// version it was read at, so a login that wrote meanwhile is never overwritten: the record is read
// again and re-sealed from its new state. Progress lives in the store itself (a re-sealed record
// no longer needs rotation), so a run killed midway leaves every record readable, and the next run
// — from the start or from the last reported `cursor` — finishes the job.
import { MfaError } from '../../../errors.js';
import type { SecretCipher } from '../../../secret-cipher.js';
import { checkInteger } from '../../../_internal/check.js';
import type { MfaStore, StoreListPage, StoredRecord } from '../../store.js';
import type { MfaRecord } from '../../record.js';
import { userRecordCodec } from '../../user-codec.js';
import { encryptedSecrets } from '../encrypted-secrets/index.js';
import { featureSet } from '../../feature.js';
import type { MfaFeature } from '../../transition-types.js';
import { RESERVED_ID_PREFIX } from '../policy/policy.js';

/** Options of {@link reencryptAll}. */
export interface ReencryptOptions {
  /** Records per page of `store.list` (1–1000). Default 100. */
  readonly batchSize?: number;
  /** Stops the run between records (the iterator then throws the signal's reason). */
  readonly signal?: AbortSignal;
  /** Resume after this user id (the `cursor` of a previous run's last progress). Default: from the start. */
  readonly after?: string | null;
  /** Also seal TOTP secrets stored unencrypted (records written before a cipher was configured). Default false. */
  readonly sealPlaintext?: boolean;
  /** Compare-and-set rounds per record before it counts as failed (`conflict`). Default 16. */
  readonly maxAttempts?: number;
  /**
   * The features the service runs with (`createMfa({ features })`): those that seal secrets of their
   * own (`authenticators()`) have them re-sealed too. Without them, such records are left on their
   * old keys. Its `encryptedSecrets(…)`, if any, is replaced by `cipher`. Default: none.
   */
  readonly features?: readonly MfaFeature[];
}

/** Why a record could not be re-sealed. */
export type ReencryptFailure = 'invalid-record' | 'cipher' | 'conflict';

/** Progress of {@link reencryptAll}, after each page; every count is cumulative over the run. */
export interface ReencryptProgress {
  /** User records looked at (scope policies and other reserved records are not counted). */
  readonly scanned: number;
  /** Records re-sealed under the current key and written back. */
  readonly rewritten: number;
  /** Records that could not be re-sealed: unreadable, not decryptable with this cipher, or changed at every attempt. */
  readonly failed: number;
  /** Records seen so far whose secret is still not under the current key (the failed ones). */
  readonly remainingOnOldKeys: number;
  /**
   * Key ids still in use by the records seen so far, with their counts, for the secrets the run could
   * not re-seal (when the cipher reports key ids: `keyIdOf`, as `aesGcmCipher` does).
   */
  readonly oldKeyIds: Readonly<Record<string, number>>;
  /**
   * Records whose recovery codes are hashed with a pepper from another key than the current one.
   * Their hashes cannot be re-keyed (the codes are not stored): keep that key in the cipher until
   * those users regenerate their codes.
   */
  readonly recoveryCodesOnOldKeys: number;
  /** The first 100 failures, by user id (never a secret). */
  readonly failures: readonly { readonly userId: string; readonly reason: ReencryptFailure }[];
  /** The last user id processed: pass it as `after` to resume a run that stopped. */
  readonly cursor: string | null;
  /** True on the last progress: the scan reached the end of the store. */
  readonly done: boolean;
}


/**
 * Re-encrypts every TOTP secret at rest that `cipher.needsRotation` reports (made with an old key or
 * format) under the cipher's current key, through the store's `list` capability. Yields progress
 * after every page. Safe while the application runs: each record is written with compare-and-set
 * on the version it was read at; a record that changed meanwhile (a login) is read again and
 * re-sealed, never overwritten. A run stopped midway (crash, `signal`) leaves every record readable
 * with a cipher holding the old and the new key; run it again (or resume from `cursor`).
 *
 * Run it after every application instance uses the new cipher (current = new key, old key still
 * held), and retire the old key once a run ends with `remainingOnOldKeys: 0` and
 * `recoveryCodesOnOldKeys: 0` (or accept that those recovery codes stop working).
 *
 * @throws {@link MfaError} `INVALID_OPTION` when the store has no `list` or the cipher no `needsRotation`;
 *   `STORE_UNAVAILABLE` from the store.
 * @example Rotating the master key
 * ```ts
 * import { aesGcmCipher, MemoryStore, reencryptAll } from 'mfakit';
 * const store = new MemoryStore();
 * const k1 = crypto.getRandomValues(new Uint8Array(32));
 * const k2 = crypto.getRandomValues(new Uint8Array(32));
 * const cipher = aesGcmCipher({ keys: { k1, k2 }, current: 'k2' });
 * for await (const progress of reencryptAll(store, cipher, { batchSize: 200 })) {
 *   console.log(progress.scanned, progress.rewritten, progress.remainingOnOldKeys);
 * }
 * ```
 */
export async function* reencryptAll(store: MfaStore, cipher: SecretCipher, options: ReencryptOptions = {}): AsyncGenerator<ReencryptProgress, void, undefined> {
  if (store === null || typeof store !== 'object' || typeof store.list !== 'function') {
    throw new MfaError('INVALID_OPTION', 'reencryptAll: the store has no list capability');
  }
  if (cipher === null || typeof cipher !== 'object' || typeof cipher.needsRotation !== 'function') {
    throw new MfaError('INVALID_OPTION', 'reencryptAll: the cipher must implement needsRotation (aesGcmCipher does)');
  }
  const batchSize = checkInteger('batchSize', options.batchSize ?? 100, 1, 1000);
  const maxAttempts = checkInteger('maxAttempts', options.maxAttempts ?? 16, 1, 1000);
  const sealPlaintext = options.sealPlaintext === true;
  const { signal } = options;
  // The service's features with this cipher's sealing in place of the one they bring (if any).
  const features = featureSet([encryptedSecrets(cipher), ...featureSet(options.features).list.filter((f) => f.secrets === undefined)]);
  const codec = userRecordCodec(features);
  const sealedIn = features.list.flatMap((f) => (f.sealedSecrets === undefined ? [] : [f.sealedSecrets.bind(f)]));
  const currentPepper = cipher.derivePepper?.()?.keyId;
  const keyIdOf = (cipher as { keyIdOf?: (sealed: string) => string | null }).keyIdOf;

  let scanned = 0;
  let rewritten = 0;
  let recoveryCodesOnOldKeys = 0;
  const failures: { userId: string; reason: ReencryptFailure }[] = [];
  let failed = 0;
  const oldKeyIds: Record<string, number> = Object.create(null) as Record<string, number>;

  /** Whether the record's secret must be (re)sealed. */
  const needsWork = (data: StoredRecord): boolean => {
    if (sealedIn.some((list) => list(data).some((s) => cipher.needsRotation!(s)))) return true;
    const method = data.method as { type?: unknown; secret?: unknown; secretSealed?: unknown } | null | undefined;
    if (method === null || typeof method !== 'object' || (method.type !== 'totp' && method.type !== 'hotp') || typeof method.secret !== 'string') return false;
    return method.secretSealed === true ? cipher.needsRotation!(method.secret) : sealPlaintext;
  };

  /** Re-seals one record; the failure reason, or null when it is done (or needed nothing). */
  async function rotate(id: string, first: StoredRecord): Promise<ReencryptFailure | null> {
    let data: StoredRecord | null = first;
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      if (data === null || !needsWork(data)) return null; // deleted, or re-sealed by a concurrent write
      let record: MfaRecord;
      try {
        record = codec.parse(data, id);
      } catch {
        return 'invalid-record';
      }
      let sealed: MfaRecord;
      try {
        const opened = await codec.open!(id, record);
        sealed = await codec.seal!(id, opened?.record ?? record, opened?.memo);
      } catch (err) {
        if (err instanceof MfaError && err.code === 'CIPHER_FAILURE') return 'cipher';
        if (err instanceof MfaError && err.code === 'INVALID_RECORD') return 'invalid-record';
        throw err;
      }
      const next = { ...sealed, version: data.version + 1 } as unknown as StoredRecord;
      if (await store.compareAndSet(id, data.version, next)) return null;
      data = await store.get(id); // changed meanwhile: start again from what is stored now
    }
    return 'conflict';
  }

  let after = options.after ?? null;
  for (;;) {
    signal?.throwIfAborted();
    const page: StoreListPage = await store.list!({ after, limit: batchSize });
    for (const { id, record } of page.entries) {
      signal?.throwIfAborted();
      after = id;
      if (id.startsWith(RESERVED_ID_PREFIX) || record.kind !== 'user') continue;
      scanned++;
      const wanted = needsWork(record);
      const reason = wanted ? await rotate(id, record) : null;
      if (wanted && reason === null) rewritten++;
      if (reason !== null) {
        failed++;
        if (failures.length < 100) failures.push({ userId: id, reason });
        const sealed = (record.method as { secret?: unknown } | null)?.secret;
        const keyId = typeof sealed === 'string' && keyIdOf !== undefined ? keyIdOf(sealed) : null;
        if (keyId !== null) oldKeyIds[keyId] = (oldKeyIds[keyId] ?? 0) + 1;
      }
      const codes = record.recoveryCodes as { pepperId?: unknown } | null | undefined;
      if (typeof codes?.pepperId === 'string' && currentPepper !== undefined && codes.pepperId !== currentPepper) recoveryCodesOnOldKeys++;
    }
    if (page.next !== null) after = page.next;
    const done = page.next === null;
    yield {
      scanned,
      rewritten,
      failed,
      remainingOnOldKeys: failed,
      oldKeyIds: { ...oldKeyIds },
      recoveryCodesOnOldKeys,
      failures: failures.slice(),
      cursor: after,
      done,
    };
    if (done) return;
  }
}
