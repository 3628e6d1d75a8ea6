// What mfakit hands to your mailer or SMS gateway. Imports nothing: one-time-codes.ts and the
// lifecycle build on these types.

/**
 * What a one-time code is for. A code issued for one purpose never verifies for another, so a login
 * code cannot confirm `disable`. Any other string names your own purpose.
 */
export type OneTimeCodePurpose = 'login' | 'disable' | 'enroll' | (string & {});

/** One message for a {@link Sender}. */
export interface OneTimeCodeMessage {
  userId: string;
  /** The e-mail address or phone number the user enrolled. */
  destination: string;
  /** The code: put it in the message, nowhere else. */
  code: string;
  purpose: OneTimeCodePurpose;
  /** When the code stops working (ms since the epoch), e.g. to say "valid for 10 minutes". */
  expiresAt: number;
}

/**
 * Delivers one-time codes by e-mail or SMS. mfakit never sends mail itself: implement this with
 * your mailer or SMS gateway. A rejected promise is reported to the caller; the code is not retried.
 *
 * @example An e-mail sender
 * ```ts
 * import type { Sender } from 'mfakit';
 * declare const mailer: { send(mail: { to: string; subject: string; text: string }): Promise<void> };
 *
 * const sender: Sender = {
 *   async send({ destination, code }) {
 *     await mailer.send({ to: destination, subject: 'Your sign-in code', text: `Your code is ${code}.` });
 *   },
 * };
 * ```
 */
export interface Sender {
  send(message: OneTimeCodeMessage): Promise<void>;
}
