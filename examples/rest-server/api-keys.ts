// Bearer API keys (seed 002: `Authorization: Bearer <API-Key>`) and the Management API's password
// (seed 001: Basic auth with the API password) are both mfakit API passwords (`mfak_…`).
//
// `mfa.verifyApiPassword(userId, presented)` needs the user id, and a Bearer key does not carry one.
// So the app keeps an index table `api_key_index(key_hash PRIMARY KEY, user_id)`: SHA-256 of the key
// (a 190-bit random secret, so a plain hash is enough) → user id. The lookup only finds the
// candidate user; mfakit's verify still decides (a revoked or replaced key fails there).
import { createHash } from 'node:crypto';
import { isApiPasswordFormat, type ApiPasswordsMfa } from 'mfakit';
import type { KeyIndex } from './storage.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export async function issueApiKey(mfa: ApiPasswordsMfa, keys: KeyIndex, userId: string, label: string) {
  const issued = await mfa.issueApiPassword(userId, { label });
  if (!issued.ok) return issued;
  await keys.put(sha256(issued.password), userId);
  return issued;
}

/** The user id a presented key belongs to, or null. */
export async function userOfApiKey(mfa: ApiPasswordsMfa, keys: KeyIndex, presented: string): Promise<string | null> {
  if (!isApiPasswordFormat(presented)) return null; // typo or foreign token: no database round trip
  const userId = await keys.find(sha256(presented));
  if (userId === null) return null;
  const verified = await mfa.verifyApiPassword(userId, presented);
  return verified.ok ? userId : null;
}
