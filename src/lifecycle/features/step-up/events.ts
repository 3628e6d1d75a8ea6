import type { MethodType } from '../../record.js';

/** Audit events of the `stepUpAuthentication()` feature; part of `MfaEvent`. */
export type StepUpEvent =
  /** `stepUp` accepted a code: the user proved the factor again (not a login). */
  { readonly type: 'stepped_up'; readonly userId: string; readonly at: number; readonly method: MethodType };
