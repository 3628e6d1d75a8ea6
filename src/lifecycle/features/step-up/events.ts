import type { MethodType } from '../../record.js';

/** Audit events of the `stepUpAuthentication()` feature; part of `MfaEvent`. */
export type StepUpEvent =
  /** `stepUp` accepted a code: the user proved the factor again (not a login). */
  { readonly type: 'stepped_up'; readonly userId: string; readonly at: number; readonly method: MethodType };

// The events join `MfaEvent` from here, so the events module never imports a feature.
declare module '../../events.js' {
  interface MfaFeatureEvents {
    stepUp: StepUpEvent;
  }
}
