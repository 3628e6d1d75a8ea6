// Every opt-in feature of the lifecycle, for tests that exercise them through one service.
import {
  apiPasswords,
  breakGlassRecovery,
  clientThrottle,
  confirmationTokens,
  oneTimeCodes,
  policies,
  recoveryCodes,
  trustedDevices,
  type LifecycleApiPasswordOptions,
  type RecoveryCodesOptions,
  type RecoveryNotice,
  type Sender,
} from '../../src/index.js';

/**
 * `createMfa({ features: allFeatures() })`: recovery codes (with `recovery` options), enforcement
 * policies, e-mail/SMS codes (through `sender`), confirmation tokens, API passwords, per-client
 * throttling, trusted devices and break-glass recovery (notices to `notify`).
 */
export function allFeatures(
  sender: Sender = { send: async () => {} },
  api: LifecycleApiPasswordOptions = {},
  notify: (notice: RecoveryNotice) => void = () => {},
  recovery: RecoveryCodesOptions = {},
) {
  return [
    recoveryCodes(recovery),
    policies(),
    oneTimeCodes({ sender }),
    confirmationTokens(),
    apiPasswords(api),
    clientThrottle(),
    trustedDevices(),
    breakGlassRecovery({ notify }),
  ] as const;
}
