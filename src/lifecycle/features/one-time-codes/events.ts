import type { OutOfBandChannel } from '../../record.js';

/** Audit event of the e-mail/SMS feature; part of `MfaEvent`. Carries no code, only purpose and times. */
export type OneTimeCodeEvent = {
  /** A one-time code was stored for `purpose` and handed to the Sender (destination not included). */
  readonly type: 'code_issued';
  readonly userId: string;
  readonly at: number;
  readonly method: OutOfBandChannel;
  readonly purpose: string;
  readonly expiresAt: number;
  /** With `authenticators()`: the id of the authenticator the code went to. */
  readonly authenticator?: string;
};

// The events join `MfaEvent` from here, so the events module never imports a feature.
declare module '../../events.js' {
  interface MfaFeatureEvents {
    oneTimeCodes: OneTimeCodeEvent;
  }
}
