// Shared set-up for the seed scenarios: a product backend's view of mfakit — one service on a
// MemoryStore, a fake clock that only moves when the story says so, a seeded random source, and
// a phone that runs an authenticator app.
import { createMfa, MemoryStore, totp, type CreateMfaOptions, type MfaEvent } from '../../src/index.js';
import { FakeClock, seededRandom } from '../../src/testing/index.js';

export function backend(issuer: string, extra: Partial<CreateMfaOptions> = {}) {
  const clock = new FakeClock(Date.UTC(2026, 2, 2, 9, 0, 10));
  const events: MfaEvent[] = [];
  const store = new MemoryStore();
  const mfa = createMfa({ store, issuer, clock, rng: seededRandom(issuer), onEvent: (e) => events.push(e), ...extra });
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
