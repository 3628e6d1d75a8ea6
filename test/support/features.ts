// Every opt-in feature of the lifecycle, for tests that exercise them through one service.
import { apiPasswords, clientThrottle, confirmationTokens, oneTimeCodes, type LifecycleApiPasswordOptions, type Sender } from '../../src/index.js';

/** `createMfa({ features: allFeatures() })`: e-mail/SMS codes (through `sender`), confirmation tokens, API passwords, per-client throttling. */
export function allFeatures(sender: Sender = { send: async () => {} }, api: LifecycleApiPasswordOptions = {}) {
  return [oneTimeCodes({ sender }), confirmationTokens(), apiPasswords(api), clientThrottle()] as const;
}
