// The one way tests enrol a TOTP user through the service: begin, confirm with the code of the
// clock's current step, and (by default) move the clock one step on, so the next code the test
// computes is not a replay of the confirming one.
import { totp } from '../../src/totp.js';

/** What {@link enrolledUser} needs of a service (any `createMfa` result). */
interface Enrolling {
  beginEnrollment(userId: string, options: { account: string }): Promise<{ ok: true; secret: Uint8Array } | { ok: false; reason: string }>;
  confirmEnrollment(userId: string, code: string): Promise<{ ok: true; recoveryCodes: readonly string[] } | { ok: false; reason: string }>;
}

export interface EnrolledUser {
  readonly userId: string;
  readonly secret: Uint8Array;
  readonly recoveryCodes: readonly string[];
}

export interface EnrolledUserOptions {
  /** Account label. Default `${userId}@example.com`. */
  readonly account?: string;
  /** Advance the clock one TOTP step (30 s) after confirming. Default true. */
  readonly advance?: boolean;
}

/** Enrols `userId` on `mfa` with the code of `clock`'s current step; throws if either step is refused. */
export async function enrolledUser(
  mfa: Enrolling,
  clock: { now(): number; advance(ms: number): unknown },
  userId = 'alice',
  { account = `${userId}@example.com`, advance = true }: EnrolledUserOptions = {},
): Promise<EnrolledUser> {
  const begun = await mfa.beginEnrollment(userId, { account });
  if (!begun.ok) throw new Error(`beginEnrollment: ${begun.reason}`);
  const confirmed = await mfa.confirmEnrollment(userId, totp(begun.secret, { time: clock.now() }));
  if (!confirmed.ok) throw new Error(`confirmEnrollment: ${confirmed.reason}`);
  if (advance) clock.advance(30_000);
  return { userId, secret: begun.secret, recoveryCodes: confirmed.recoveryCodes };
}
