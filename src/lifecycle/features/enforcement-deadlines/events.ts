/** Audit events of the `enforcementDeadlines()` feature; part of `MfaEvent`. Forward them to the user. */
export type EnforcementEvent =
  /**
   * A policy with a deadline reached the user: they must set up MFA by `deadline` (ms) or within
   * `loginsLeft` more password logins (null: that term is not set). Tell the user the date.
   */
  | {
      readonly type: 'enforcement_grace_started';
      readonly userId: string;
      readonly at: number;
      readonly deadline: number | null;
      readonly loginsLeft: number | null;
    }
  /** A password login skipped enrolment under the grace; `loginsLeft` after it ("2 sign-ins left"). */
  | {
      readonly type: 'enforcement_grace_login';
      readonly userId: string;
      readonly at: number;
      readonly deadline: number | null;
      readonly loginsLeft: number;
    };

// The events join `MfaEvent` from here, so the events module never imports a feature.
declare module '../../events.js' {
  interface MfaFeatureEvents {
    enforcementDeadlines: EnforcementEvent;
  }
}
