import { issueApiPasswordTransition, revokeApiPasswordTransition, type IssueApiPasswordCommandResult } from './api-passwords.js';
import { issueConfirmationTokenTransition, type IssueConfirmationTokenResult } from './confirmation.js';
import {
  beginOutOfBandEnrollment,
  sendChallenge,
  type BeginOutOfBandEnrollmentCommandResult,
  type OutOfBandChannel,
  type SendChallengeCommandResult,
} from './out-of-band.js';
import type { MfaRecord } from './record.js';
import type { Transition, TransitionContext } from './transition-types.js';

/**
 * Lifecycle commands of issue 8 (e-mail/SMS codes, confirmation tokens, API passwords); part of
 * `MfaCommand`. Results of `beginOutOfBandEnrollment` and `sendChallenge` hold the code for the
 * Sender: the service methods deliver it and leave it out of what they return.
 */
export type OutOfBandCommand =
  | { readonly type: 'beginOutOfBandEnrollment'; readonly method: OutOfBandChannel; readonly destination: string }
  | { readonly type: 'sendChallenge'; readonly purpose: string }
  | { readonly type: 'issueConfirmationToken'; readonly purpose: string; readonly ttl?: number }
  | { readonly type: 'issueApiPassword'; readonly label?: string }
  | { readonly type: 'revokeApiPassword'; readonly id: string };

/** The result type of each {@link OutOfBandCommand}. */
export interface OutOfBandResults {
  beginOutOfBandEnrollment: BeginOutOfBandEnrollmentCommandResult;
  sendChallenge: SendChallengeCommandResult;
  issueConfirmationToken: IssueConfirmationTokenResult;
  issueApiPassword: IssueApiPasswordCommandResult;
  revokeApiPassword: { readonly ok: true; readonly revoked: boolean };
}

type Handlers = {
  [K in OutOfBandCommand['type']]: (
    record: MfaRecord,
    command: Extract<OutOfBandCommand, { type: K }>,
    ctx: TransitionContext,
  ) => Transition<OutOfBandResults[K]>;
};

/** @internal The pure transitions of {@link OutOfBandCommand}, merged into `transition`'s table. */
export const outOfBandHandlers: Handlers = {
  beginOutOfBandEnrollment,
  sendChallenge,
  issueConfirmationToken: issueConfirmationTokenTransition,
  issueApiPassword: issueApiPasswordTransition,
  revokeApiPassword: revokeApiPasswordTransition,
};
