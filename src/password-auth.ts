import { MfaError } from './errors.js';

/** Where a password (the user's first factor) is being presented. */
export type PasswordChannel = 'api' | 'ui';

/** Input of {@link passwordAuthAllowedFor}. */
export interface PasswordAuthInput {
  /** The user's MFA status. */
  status: 'disabled' | 'pending' | 'active';
  /** `'ui'`: interactive login, a second factor follows. `'api'`: a single request, no second factor. */
  channel: PasswordChannel;
  /** Keep accepting the account password on the API even with MFA active. Default false. */
  allowAccountPasswordOnApi?: boolean;
}

/**
 * Whether the user's account password may authenticate on this channel. Once MFA is
 * active, username + password on the REST API would bypass the second factor, so it is refused
 * there and an API password (see {@link createApiPassword}) is required. Interactive logins (`ui`) keep
 * the password as first factor; the code is asked next. While enrolment is only pending, or MFA is
 * merely required by policy but not set up, the API still accepts the password, so
 * existing API clients keep working until the user turns MFA on.
 *
 * @example
 * ```ts
 * import { passwordAuthAllowedFor } from 'mfakit';
 * passwordAuthAllowedFor({ status: 'active', channel: 'api' });   // false: use an API password
 * passwordAuthAllowedFor({ status: 'active', channel: 'ui' });    // true: then ask for the code
 * passwordAuthAllowedFor({ status: 'disabled', channel: 'api' }); // true
 * ```
 */
export function passwordAuthAllowedFor(input: PasswordAuthInput): boolean {
  const { status, channel } = input ?? ({} as PasswordAuthInput);
  if (channel !== 'api' && channel !== 'ui') throw new MfaError('INVALID_OPTION', "channel must be 'api' or 'ui'");
  if (status !== 'disabled' && status !== 'pending' && status !== 'active') {
    throw new MfaError('INVALID_OPTION', "status must be 'disabled', 'pending' or 'active'");
  }
  if (channel === 'ui') return true;
  return status !== 'active' || input.allowAccountPasswordOnApi === true;
}
