// The codec of user records: validated on every read (the core slice and every feature's slice). A
// TOTP/HOTP secret sealed by a cipher is opened only by the `encryptedSecrets(cipher)` feature,
// which wraps this codec; without it a sealed secret is refused, never read as a key.
import { MfaError } from '../errors.js';
import type { RecordCodec } from './engine.js';
import { featureMissing } from './feature.js';
import { emptyRecord, parseRecord, type MfaRecord } from './record.js';
import type { FeatureSet } from './transition-types.js';

/** @internal True when the record's factor secret is ciphertext. */
export const isSealed = (record: MfaRecord): boolean => (record.method as { secretSealed?: true } | null)?.secretSealed === true;

/**
 * @internal The codec of user records for a service with `features`: the core one, wrapped by the
 * feature that seals the factor's secret (if any), then by those whose slices hold secrets
 * (`MfaFeature.wrapCodec`).
 */
export function userRecordCodec(features: FeatureSet): RecordCodec<MfaRecord> {
  const { slices, secrets } = features;
  let codec: RecordCodec<MfaRecord> = {
    empty: emptyRecord,
    parse: (data, userId) => parseRecord(data, userId, slices),
    open(_userId, record) {
      if (isSealed(record)) throw featureMissing('an encrypted stored secret', 'encryptedSecrets(cipher)', 'CIPHER_FAILURE');
      return null;
    },
  };
  if (secrets !== undefined) codec = secrets.wrap(codec);
  for (const f of features.list) codec = f.wrapCodec?.(codec, secrets?.cipher, secrets?.requireSealed === true) ?? codec;
  return codec;
}
