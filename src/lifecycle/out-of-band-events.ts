import type { OutOfBandChannel } from './out-of-band.js';

interface Base {
  readonly userId: string;
  readonly at: number;
}

/**
 * Audit events of e-mail/SMS codes, confirmation tokens and API passwords; part of `MfaEvent`. Like
 * every event they carry no code, token, password or hash: only ids, purposes and times.
 */
export type OutOfBandEvent =
  /** A one-time code was stored for `purpose` and handed to the Sender (destination not included). */
  | (Base & { readonly type: 'code_issued'; readonly method: OutOfBandChannel; readonly purpose: string; readonly expiresAt: number })
  /** A confirmation token was issued (seed 003: "Confirmation email sent"). */
  | (Base & { readonly type: 'confirmation_issued'; readonly purpose: string; readonly expiresAt: number })
  /** An API password was issued; `id` is its public id. */
  | (Base & { readonly type: 'api_password_issued'; readonly id: string })
  /**
   * An API password stopped working: revoked by the user, replaced by a new one, or revoked by an
   * administrator's `adminReset` (option `revokeApiPasswordsOnAdminReset`).
   */
  | (Base & { readonly type: 'api_password_revoked'; readonly id: string; readonly by: 'user' | 'replaced' | 'admin' });
