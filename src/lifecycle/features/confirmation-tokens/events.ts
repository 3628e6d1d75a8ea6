/** Audit event of the confirmation-token feature; part of `MfaEvent`. Carries no token. */
export type ConfirmationTokenEvent = {
  /** A confirmation token was issued ("confirmation e-mail sent"). */
  readonly type: 'confirmation_issued';
  readonly userId: string;
  readonly at: number;
  readonly purpose: string;
  readonly expiresAt: number;
};
