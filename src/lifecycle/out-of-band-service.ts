import { MfaError } from '../errors.js';
import { redact } from '../_internal/redact.js';
import {
  passwordAuthAllowed as passwordAuthAllowedFor,
  summarizeApiPasswords,
  verifyApiPassword as verifyApiPasswordIn,
  type ApiPasswordSummary,
  type PasswordChannel,
  type VerifyApiPasswordResult,
} from '../api-credentials.js';
import { maskDestination, type OneTimeCodePurpose, type Sender } from '../one-time-codes.js';
import { apiPasswordsOf, type IssueApiPasswordCommandResult } from './api-passwords.js';
import type { IssueConfirmationTokenResult } from './confirmation.js';
import type { OutOfBandCommand, OutOfBandResults } from './out-of-band-commands.js';
import type { IssuedChallenge, OutOfBandChannel, OutOfBandEnrollmentRefused, SendChallengeFailure } from './out-of-band.js';
import type { ResolvedLifecycleOptions } from './options.js';
import type { MfaRecord } from './record.js';
import { isResetPending } from './pending-expiry.js';

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

/** Service methods of issue 8, part of `Mfa`. */
export interface OutOfBandMfa {
  /**
   * Sends a new code to an e-mail/SMS user through the configured `Sender`, bound to `purpose`
   * (`'login'`, `'disable'`, `'enroll'` while pending, or your own); it replaces the pending code.
   * Rejects with `SENDER_FAILURE` when the Sender throws (the code was stored and counts toward the
   * resend limit).
   */
  sendChallenge(userId: string, purpose: OneTimeCodePurpose): Promise<SendChallengeResult>;
  /**
   * A confirmation token for a sensitive action (seed 003: disable by e-mailed token, 15 minutes by
   * default). You deliver it; `disable(userId, { token })` consumes it.
   */
  issueConfirmationToken(userId: string, purpose: string, options?: { ttl?: number }): Promise<IssueConfirmationTokenResult>;
  /** Issues an API password, shown once (seed 001 "Generate New API Password"). */
  issueApiPassword(userId: string, options?: { label?: string }): Promise<IssueApiPasswordCommandResult>;
  /** Checks a presented API password (constant time). Reads only; failures do not lock the account. */
  verifyApiPassword(userId: string, presented: unknown): Promise<VerifyApiPasswordResult>;
  /** Revokes one API password by id. */
  revokeApiPassword(userId: string, id: string): Promise<{ readonly ok: true; readonly revoked: boolean }>;
  /** The user's API passwords: id, label, date; never the hash. */
  listApiPasswords(userId: string): Promise<ApiPasswordSummary[]>;
  /** Whether the account password may authenticate on `channel`: not on `api` once MFA is active. */
  passwordAuthAllowed(userId: string, channel: PasswordChannel): Promise<boolean>;
}

/** @internal What the service shell lends to the issue-8 methods. */
export interface OutOfBandServiceDeps {
  readonly execute: <C extends OutOfBandCommand>(userId: string, command: C) => Promise<OutOfBandResults[C['type']]>;
  /** Loads a record without opening its secret (a fresh empty one when none is stored), as read now (expiry applied). */
  readonly read: (userId: string) => Promise<MfaRecord>;
  readonly sender: Sender | undefined;
  readonly options: ResolvedLifecycleOptions;
}

/** @internal The issue-8 service methods over the service shell. */
export function outOfBandService(deps: OutOfBandServiceDeps): OutOfBandMfa & {
  beginOutOfBandEnrollment(userId: string, options: OutOfBandEnrollmentOptions): Promise<BeginOutOfBandEnrollmentResult>;
} {
  const { execute, read, sender, options } = deps;

  function needSender(): Sender {
    if (sender === undefined || typeof sender.send !== 'function') {
      throw new MfaError('INVALID_OPTION', 'e-mail/SMS codes need a sender: createMfa({ sender })');
    }
    return sender;
  }

  async function deliver(s: Sender, userId: string, issued: IssuedChallenge): Promise<ChallengeSent> {
    const { method, destination, code, purpose, expiresAt } = issued;
    try {
      // Redacted like every once-shown value, in case a Sender logs the whole message.
      await s.send(redact({ userId, destination, code, purpose, expiresAt }, ['code']));
    } catch (cause) {
      throw new MfaError('SENDER_FAILURE', `the sender failed to deliver the ${method} code`, { cause });
    }
    return { ok: true, method, sentTo: maskDestination(destination), expiresAt };
  }

  return {
    async beginOutOfBandEnrollment(userId, o) {
      const s = needSender();
      const r = await execute(userId, { type: 'beginOutOfBandEnrollment', method: o?.method, destination: o?.destination });
      return r.ok ? deliver(s, userId, r) : r;
    },
    async sendChallenge(userId, purpose) {
      const s = needSender();
      const r = await execute(userId, { type: 'sendChallenge', purpose });
      return r.ok ? deliver(s, userId, r) : r;
    },
    issueConfirmationToken: (userId, purpose, o = {}) =>
      execute(userId, o.ttl === undefined ? { type: 'issueConfirmationToken', purpose } : { type: 'issueConfirmationToken', purpose, ttl: o.ttl }),
    issueApiPassword: (userId, o = {}) =>
      execute(userId, o.label === undefined ? { type: 'issueApiPassword' } : { type: 'issueApiPassword', label: o.label }),
    async verifyApiPassword(userId, presented) {
      const record = await read(userId);
      return verifyApiPasswordIn(apiPasswordsOf(record), presented, { prefix: options.apiPasswords.prefix });
    },
    async revokeApiPassword(userId, id) {
      if (typeof id !== 'string') throw new MfaError('INVALID_OPTION', 'id must be a string');
      return execute(userId, { type: 'revokeApiPassword', id });
    },
    async listApiPasswords(userId) {
      return summarizeApiPasswords(apiPasswordsOf(await read(userId)));
    },
    async passwordAuthAllowed(userId, channel) {
      const record = await read(userId);
      return passwordAuthAllowedFor({
        // An unfinished reset still counts as MFA: the API keeps asking for an API password.
        status: isResetPending(record) ? 'active' : record.status,
        channel,
        allowAccountPasswordOnApi: options.apiPasswords.allowAccountPasswordOnApi,
      });
    },
  };
}
