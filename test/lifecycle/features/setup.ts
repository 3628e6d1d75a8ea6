// The setup shared by the tests of the opt-in features: a service on a MemoryStore with every
// feature on (recovery codes, one-time codes through a recording Sender, confirmation tokens, API passwords), a fake
// clock and the events, plus an enrolled e-mail user.
import { expect } from 'vitest';
import {
  apiPasswords,
  confirmationTokens,
  oneTimeCodes,
  recoveryCodes,
  createMfa,
  encryptedSecrets,
  MemoryStore,
  type CreateMfaOptions,
  type LifecycleApiPasswordOptions,
  type OneTimeCodeOptions,
  type RecoveryCodesOptions,
  type MfaEvent,
  type OneTimeCodeMessage,
  type SecretCipher,
  type Sender,
} from '../../../src/index.js';
import { FakeClock, seededRandom } from '../../../src/testing/index.js';

export const MIN = 60_000;

/** The options of each feature by name, as the tests set them; every feature is on. */
export interface SetupOptions extends Partial<Omit<CreateMfaOptions, 'features'>> {
  outOfBand?: OneTimeCodeOptions;
  apiPasswords?: LifecycleApiPasswordOptions;
  sender?: Sender;
  recovery?: RecoveryCodesOptions;
  /** Secrets at rest: adds `encryptedSecrets(cipher)`. */
  cipher?: SecretCipher;
}

export function setup({ outOfBand, apiPasswords: apiOptions, sender: customSender, cipher, recovery, ...extra }: SetupOptions = {}) {
  const store = new MemoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 10));
  const outbox: OneTimeCodeMessage[] = [];
  const events: MfaEvent[] = [];
  const sender: Sender = {
    async send(message) {
      outbox.push(message);
    },
  };
  const mfa = createMfa({
    store,
    clock,
    issuer: 'Acme',
    rng: seededRandom('oob'),
    onEvent: (e) => events.push(e),
    features: [recoveryCodes(recovery), oneTimeCodes({ sender: customSender ?? sender, ...outOfBand }), confirmationTokens(), apiPasswords(apiOptions), ...(cipher ? [encryptedSecrets(cipher)] : [])],
    ...extra,
  });
  const lastCode = (): string => outbox.at(-1)!.code;
  return { store, clock, mfa, outbox, events, lastCode };
}

export async function emailUser(t: ReturnType<typeof setup>, user = 'alice') {
  const begun = await t.mfa.beginEnrollment(user, { method: 'email', destination: 'alice@example.com' });
  expect(begun.ok).toBe(true);
  const confirmed = await t.mfa.confirmEnrollment(user, t.lastCode());
  expect(confirmed.ok).toBe(true);
  t.clock.advance(31_000); // past the resend interval
  return confirmed;
}
