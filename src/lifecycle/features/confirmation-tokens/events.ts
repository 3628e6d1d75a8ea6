/** Audit event of the confirmation-token feature; part of `MfaEvent`. Carries no token. */
export type ConfirmationTokenEvent = {
  /** A confirmation token was issued ("confirmation e-mail sent"). */
  readonly type: 'confirmation_issued';
  readonly userId: string;
  readonly at: number;
  readonly purpose: string;
  readonly expiresAt: number;
};

// The events join `MfaEvent` from here, so the events module never imports a feature.
declare module '../../events.js' {
  interface MfaFeatureEvents {
    confirmationTokens: ConfirmationTokenEvent;
  }
}
