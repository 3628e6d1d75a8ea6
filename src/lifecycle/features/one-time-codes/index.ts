// The e-mail/SMS factor as an opt-in feature: `createMfa({ features: [oneTimeCodes({ sender })] })`.
// It adds the commands `beginOutOfBandEnrollment` and `sendChallenge`, the verifier of `email`/`sms`
// factors, the `oneTimeCodes` record slice, and the service methods `sendChallenge` and
// `beginEnrollment(userId, { method, destination })`.
import { MfaError } from '../../../errors.js';
import { redact } from '../../../_internal/redact.js';
import { maskDestination } from '../../../mask-destination.js';
import type { IssueOneTimeCodeResult, OneTimeCodePurpose } from '../../../one-time-codes.js';
import type { Sender } from '../../../sender.js';
import type { FeatureFactor, FeatureHandler, MfaFeature } from '../../feature.js';
import { purposeOf } from '../../purpose.js';
import type { MfaRecord, OutOfBandChannel } from '../../record.js';
import type { TransitionContext } from '../../transition-types.js';
import { resolveOneTimeCodeOptions, type OneTimeCodeOptions } from './options.js';
import { oneTimeCodesProblem } from './slice.js';
import {
  beginOutOfBandEnrollment,
  checkOutOfBandCode,
  issueCode,
  sendChallenge,
  type OutOfBandCodeCheck,
  type BeginOutOfBandEnrollmentCommandResult,
  type IssuedChallenge,
  type OutOfBandEnrollmentRefused,
  type SendChallengeCommandResult,
  type SendChallengeFailure,
} from './transitions.js';

/** Options of `beginEnrollment` for the e-mail/SMS method. */
export interface OutOfBandEnrollmentOptions {
  readonly method: OutOfBandChannel;
  /** E-mail address or phone number; codes go there through the configured `Sender`. */
  readonly destination: string;
}

/** A code was sent. What the caller may show: never the code, and the destination masked. */
export interface ChallengeSent {
  readonly ok: true;
  readonly method: OutOfBandChannel;
  /** Masked destination for "we sent a code to a••••@example.com". */
  readonly sentTo: string;
  readonly expiresAt: number;
}

/** Result of `beginEnrollment` with an e-mail/SMS method: the first code was sent. */
export type BeginOutOfBandEnrollmentResult = ChallengeSent | OutOfBandEnrollmentRefused;

/** Result of `sendChallenge`. */
export type SendChallengeResult =
  | ChallengeSent
  | { readonly ok: false; readonly reason: SendChallengeFailure; readonly retryAt?: number };

/** The commands of the e-mail/SMS feature; part of `MfaCommand`. Their results hold the code for the Sender. */
export type OneTimeCodeCommand =
  | { readonly type: 'beginOutOfBandEnrollment'; readonly method: OutOfBandChannel; readonly destination: string }
  | { readonly type: 'sendChallenge'; readonly purpose: string };

/** The result type of each {@link OneTimeCodeCommand}. */
export interface OneTimeCodeResults {
  beginOutOfBandEnrollment: BeginOutOfBandEnrollmentCommandResult;
  sendChallenge: SendChallengeCommandResult;
}

// The commands join `MfaCommand` and their results `MfaResults` from here, so the core never imports a feature.
declare module '../../transitions.js' {
  interface MfaFeatureCommands {
    oneTimeCodes: OneTimeCodeCommand;
  }
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merged into MfaResults
  interface MfaResults extends OneTimeCodeResults {}
}

/** Service methods the e-mail/SMS feature adds to `Mfa`. */
export interface OneTimeCodesMfa {
  /**
   * disabled/pending → pending with an e-mail/SMS method; sends the first code (purpose `enroll`)
   * through the `Sender`. Confirm with `confirmEnrollment(userId, code)`.
   */
  beginEnrollment(userId: string, options: OutOfBandEnrollmentOptions): Promise<BeginOutOfBandEnrollmentResult>;
  /**
   * Sends a new code to an e-mail/SMS user through the `Sender`, bound to `purpose` (`'login'`,
   * `'disable'`, `'enroll'` while pending, or your own); it replaces the pending code. Rejects with
   * `SENDER_FAILURE` when the Sender throws (the code was stored and counts toward the resend limit).
   */
  sendChallenge(userId: string, purpose: OneTimeCodePurpose): Promise<SendChallengeResult>;
}

/**
 * The e-mail/SMS factor as `oneTimeCodes()` registers it, with what another feature needs to send
 * codes to destinations of its own (`authenticators()`): issue and check a code in the record's code
 * state with this feature's options, and deliver it through its `Sender`.
 */
export interface OutOfBandFactor extends FeatureFactor {
  /** A new code for `purpose` (it replaces the pending one), within the resend limits. */
  issue(record: MfaRecord, purpose: string, ctx: TransitionContext): IssueOneTimeCodeResult;
  /** Checks `input` against the pending code for `purpose`; the record carries the updated code state. */
  verify(record: MfaRecord, input: string, purpose: string, ctx: TransitionContext): OutOfBandCodeCheck;
  /** Hands the code to the `Sender`; what the caller may show. */
  deliver(userId: string, issued: IssuedChallenge): Promise<ChallengeSent>;
}

/** Options of {@link oneTimeCodes}. */
export interface OneTimeCodesFeatureOptions extends OneTimeCodeOptions {
  /** Delivers the codes (mfakit never sends mail itself). */
  readonly sender: Sender;
}

/**
 * The e-mail/SMS factor: codes sent through your `Sender`, stored as keyed hashes, bound to a
 * purpose, rate-limited and burnt after `maxAttempts` wrong answers. Pass it to `createMfa`.
 *
 * @throws {@link MfaError} `INVALID_OPTION` without a `sender` or with bad options
 * @example E-mail codes
 * ```ts
 * import { createMfa, MemoryStore, oneTimeCodes } from 'mfakit';
 * const mfa = createMfa({
 *   store: new MemoryStore(),
 *   issuer: 'Acme',
 *   features: [oneTimeCodes({ sender: { send: async (m) => console.log(`mail ${m.destination}`) } })],
 * });
 * await mfa.beginEnrollment('u1', { method: 'email', destination: 'alice@example.com' });
 * ```
 */
export function oneTimeCodes(options: OneTimeCodesFeatureOptions): MfaFeature<OneTimeCodesMfa> {
  const sender = options?.sender;
  if (sender === undefined || sender === null || typeof sender.send !== 'function') {
    throw new MfaError('INVALID_OPTION', 'e-mail/SMS codes need a sender: oneTimeCodes({ sender })');
  }
  const o = resolveOneTimeCodeOptions(options);

  async function deliver(userId: string, issued: IssuedChallenge): Promise<ChallengeSent> {
    const { method, destination, code, purpose, expiresAt } = issued;
    try {
      // Redacted like every once-shown value, in case a Sender logs the whole message.
      await sender.send(redact({ userId, destination, code, purpose, expiresAt }, ['code']));
    } catch (cause) {
      throw new MfaError('SENDER_FAILURE', `the sender failed to deliver the ${method} code`, { cause });
    }
    return { ok: true, method, sentTo: maskDestination(destination), expiresAt };
  }

  const handlers: Record<OneTimeCodeCommand['type'], FeatureHandler> = {
    beginOutOfBandEnrollment: (record, command, ctx) => beginOutOfBandEnrollment(record, command, ctx, o),
    sendChallenge: (record, command, ctx) => sendChallenge(record, command, ctx, o),
  };
  const factor: OutOfBandFactor = {
    types: ['email', 'sms'],
    check: (record, input, operation, ctx) => checkOutOfBandCode(record, input, purposeOf(operation), ctx, o),
    recoveryCodes: o.recoveryCodes,
    digits: o.digits,
    issue: (record, purpose, ctx) => issueCode(record, purpose, ctx, o),
    verify: (record, input, purpose, ctx) => checkOutOfBandCode(record, input, purpose, ctx, o),
    deliver,
  };
  return {
    name: 'oneTimeCodes',
    handlers,
    slice: { key: 'oneTimeCodes', problem: oneTimeCodesProblem },
    factor,
    methods: ({ execute }) => ({
      async beginEnrollment(userId, e) {
        const r = (await execute(userId, { type: 'beginOutOfBandEnrollment', method: e?.method, destination: e?.destination })) as BeginOutOfBandEnrollmentCommandResult;
        return r.ok ? deliver(userId, r) : r;
      },
      async sendChallenge(userId, purpose) {
        const r = (await execute(userId, { type: 'sendChallenge', purpose })) as SendChallengeCommandResult;
        return r.ok ? deliver(userId, r) : r;
      },
    }),
  };
}

export type { OneTimeCodeOptions, ResolvedOneTimeCodeOptions } from './options.js';
export type {
  IssuedChallenge,
  BeginOutOfBandEnrollmentCommandResult,
  OutOfBandEnrollmentRefused,
  SendChallengeCommandResult,
  SendChallengeFailure,
  OutOfBandCodeCheck,
} from './transitions.js';
export type { OneTimeCodesSlice } from './slice.js';
