// The login method of the service: a TOTP, e-mail/SMS or recovery code checked at login, with
// per-client throttling when the caller names the client.
import type { CoreMethods } from '../../core-host.js';
import type { Mfa } from '../../mfa.js';

/** @internal The method of login. */
export const loginMethods: CoreMethods<Pick<Mfa, 'verifyLogin'>> = ({ execute }) => ({
  verifyLogin: (userId, input, o = {}) =>
    execute(userId, o.client === undefined ? { type: 'verifyLogin', input } : { type: 'verifyLogin', input, client: o.client }),
});
