/** Audit events of the API-password feature; part of `MfaEvent`. They carry the public id, never the password or hash. */
export type ApiPasswordEvent =
  /** An API password was issued; `id` is its public id. */
  | { readonly type: 'api_password_issued'; readonly userId: string; readonly at: number; readonly id: string }
  /**
   * An API password stopped working: revoked by the user, replaced by a new one, or revoked by an
   * administrator's `adminReset` (option `revokeOnAdminReset`).
   */
  | { readonly type: 'api_password_revoked'; readonly userId: string; readonly at: number; readonly id: string; readonly by: 'user' | 'replaced' | 'admin' };

// The events join `MfaEvent` from here, so the events module never imports a feature.
declare module '../../events.js' {
  interface MfaFeatureEvents {
    apiPasswords: ApiPasswordEvent;
  }
}
