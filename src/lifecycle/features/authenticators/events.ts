/** Audit events of the `authenticators()` feature; part of `MfaEvent`. Ids and names, never a secret or code. */
export type AuthenticatorEvent =
  /** Another authenticator was enrolled (pending until `confirmAuthenticator`). */
  | { readonly type: 'authenticator_added'; readonly userId: string; readonly at: number; readonly id: string; readonly authenticator: 'totp' | 'hotp' | 'email' | 'sms' }
  /** A pending authenticator was confirmed by its own code. */
  | { readonly type: 'authenticator_confirmed'; readonly userId: string; readonly at: number; readonly id: string }
  | { readonly type: 'authenticator_renamed'; readonly userId: string; readonly at: number; readonly id: string }
  /** One authenticator was removed (the last active one goes through `disable` instead). */
  | { readonly type: 'authenticator_removed'; readonly userId: string; readonly at: number; readonly id: string }
  /**
   * An authenticator was imported, active at once. `shortSecret`: its secret is under 128 bits
   * (allowed only with `allowShortSecret`): a warning, replace it when you can.
   */
  | {
      readonly type: 'authenticator_imported';
      readonly userId: string;
      readonly at: number;
      readonly id: string;
      readonly authenticator: 'totp' | 'hotp';
      readonly shortSecret?: true;
    }
  /** A TOTP authenticator's window centre moved (learned drift), `drift` steps from the true time. */
  | { readonly type: 'authenticator_drift'; readonly userId: string; readonly at: number; readonly id: string; readonly drift: number; readonly previous: number }
  /** An HOTP token's counter moved by `resyncHotp` (two consecutive codes, RFC 4226 §7.4). */
  | { readonly type: 'hotp_resynced'; readonly userId: string; readonly at: number; readonly id: string; readonly skipped: number };

// The events join `MfaEvent` from here, so the events module never imports a feature.
declare module '../../events.js' {
  interface MfaFeatureEvents {
    authenticators: AuthenticatorEvent;
  }
}
