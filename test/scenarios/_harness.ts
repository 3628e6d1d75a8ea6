// Shared set-up for the seed scenarios: a product backend's view of mfakit — one service on a
// MemoryStore, a fake clock that only moves when the story says so, a seeded random source, and
// a phone that runs an authenticator app.
import {
  apiPasswords,
  confirmationTokens,
  createMfa,
  MemoryStore,
  totp,
  type ApiPasswordsMfa,
  type ConfirmationTokensMfa,
  type CreateMfaOptions,
  type MfaEvent,
  type MfaFeature,
} from '../../src/index.js';
import { FakeClock, seededRandom } from '../../src/testing/index.js';

type DefaultFeatures = readonly [MfaFeature<ConfirmationTokensMfa>, MfaFeature<ApiPasswordsMfa>];

/**
 * The products of the seeds use API passwords and confirmation tokens, so those features are on by
 * default; a scenario with e-mail/SMS codes passes its own list (one line, with `oneTimeCodes`).
 */
export function backend<const F extends readonly MfaFeature[] = DefaultFeatures>(
  issuer: string,
  extra: Partial<Omit<CreateMfaOptions, 'features'>> & { features?: F } = {},
) {
  const clock = new FakeClock(Date.UTC(2026, 2, 2, 9, 0, 10));
  const events: MfaEvent[] = [];
  const store = new MemoryStore();
  const features = (extra.features ?? [confirmationTokens(), apiPasswords()]) as F;
  const mfa = createMfa({ store, issuer, clock, rng: seededRandom(issuer), onEvent: (e) => events.push(e), ...extra, features });
  return { mfa, clock, events, store };
}

/** An authenticator app on a phone: it shows the current code of the secret it scanned. */
export function authenticatorApp(clock: FakeClock, secret: Uint8Array) {
  return { code: () => totp(secret, { time: clock.now() }) };
}

/** Moves to the middle of the next TOTP step, so the next code is a new one. */
export function nextStep(clock: FakeClock): void {
  clock.set(Math.floor(clock.now() / 30_000) * 30_000 + 30_000 + 10_000);
}
