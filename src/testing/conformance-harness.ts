// What the lifecycle groups of runStoreConformance share: a service on the store under test with a
// fake clock and the features a suite names (by default e-mail/SMS codes, confirmation tokens and API
// passwords, so their slices round-trip too), a toy cipher and a counting store.
import { createMfa, type CreateMfaOptions } from '../lifecycle/service.js';
import type { MfaFeature } from '../lifecycle/feature.js';
import { oneTimeCodes } from '../lifecycle/features/one-time-codes/index.js';
import { confirmationTokens } from '../lifecycle/features/confirmation-tokens/index.js';
import { apiPasswords } from '../lifecycle/features/api-passwords/index.js';
import { recoveryCodes } from '../lifecycle/features/recovery-codes/index.js';
import { encryptedSecrets } from '../lifecycle/features/encrypted-secrets/index.js';
import { policies } from '../lifecycle/features/policy/index.js';
import type { MfaStore } from '../lifecycle/store.js';
import type { SecretCipher } from '../secret-cipher.js';
import type { Sender } from '../one-time-codes.js';
import { totp } from '../totp.js';
import { FakeClock } from './fake-clock.js';
import { seededRandom } from './seeded-random.js';

/**
 * @internal How conformance.ts registers a capability group. Declared here, over the fields this file reads,
 * rather than imported from conformance.ts, which imports this file: no cycle between the two.
 */
export type Group = (
  capability: 'lifecycle' | 'lifecycle-concurrency' | 'encrypted-secrets',
  body: (ctx: { readonly store: () => MfaStore; readonly id: (label: string) => string; readonly concurrency: number }) => void,
) => void;

/** @internal One TOTP step, ms. */
export const STEP = 30_000;

/** The features of the lifecycle groups' service unless a suite names its own. */
const defaultFeatures = (sender: Sender) => [recoveryCodes({ count: 20 }), policies(), oneTimeCodes({ sender }), confirmationTokens(), apiPasswords()] as const;

/** @internal What a suite sets on its harness: the cipher, the Sender, its features and other `createMfa` options. */
export interface HarnessExtra<F extends readonly MfaFeature[]> {
  readonly cipher?: SecretCipher;
  readonly sender?: Sender;
  /** Default: recovery codes, policies, e-mail/SMS codes (through `sender`), confirmation tokens and API passwords. */
  readonly features?: F;
  /** Other `createMfa` options (throttle, TOTP, …). */
  readonly options?: Partial<Omit<CreateMfaOptions, 'store' | 'features' | 'clock' | 'rng' | 'cipher'>>;
}

/**
 * @internal A service on the store under test with a fake clock and the suite's features, plus
 * helpers to enrol a user.
 */
export function makeHarness<const F extends readonly MfaFeature[] = ReturnType<typeof defaultFeatures>>(store: MfaStore, seed: string, extra: HarnessExtra<F> = {}) {
  // Mid-step, so a code stays current while the test runs.
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0) + 10_000);
  const { sender = { send: async () => {} }, cipher, options } = extra;
  // With a cipher, encryptedSecrets(cipher) joins the suite's features.
  const features = [...(extra.features ?? defaultFeatures(sender)), ...sealedWith(cipher)] as unknown as F;
  const mfa = createMfa({
    store,
    issuer: 'Conformance',
    clock,
    rng: seededRandom(seed),
    maxAttempts: 1000,
    ...options,
    features,
  });
  const code = (secret: Uint8Array): string => totp(secret, { time: clock.now() });
  async function enrolled(userId: string): Promise<{ secret: Uint8Array; recoveryCodes: readonly string[] }> {
    const begun = await mfa.beginEnrollment(userId, { account: `${userId}@example.com` });
    if (!begun.ok) throw new Error('beginEnrollment failed');
    const confirmed = await mfa.confirmEnrollment(userId, code(begun.secret));
    if (!confirmed.ok) throw new Error(`confirmEnrollment failed: ${confirmed.reason}`);
    clock.advance(STEP);
    return { secret: begun.secret, recoveryCodes: confirmed.recoveryCodes };
  }
  return { mfa, clock, code, enrolled };
}

/** @internal `[encryptedSecrets(cipher)]`, or no feature without a cipher: the features of a suite run with `cipher`. */
export const sealedWith = (cipher: SecretCipher | undefined) => (cipher === undefined ? [] : [encryptedSecrets(cipher)]);

/** @internal A toy cipher for the suite only (reversible, bound to the user id); not encryption. */
export const toyCipher: SecretCipher = {
  async encrypt(plaintext, { userId }) {
    const bytes = Array.from(plaintext, (b, i) => (b ^ (0x5a + i + userId.length)) & 0xff);
    return `toy1.${userId.length}.${bytes.map((b) => b.toString(16).padStart(2, '0')).join('')}`;
  },
  async decrypt(sealed, { userId }) {
    const [tag, len, hex] = sealed.split('.');
    if (tag !== 'toy1' || Number(len) !== userId.length || hex === undefined) throw new Error('toy cipher: wrong user');
    const bytes = hex.match(/../g)!.map((h) => parseInt(h, 16));
    return Uint8Array.from(bytes, (b, i) => (b ^ (0x5a + i + userId.length)) & 0xff);
  },
  // With a cipher, recovery-code hashes are keyed with a pepper the cipher derives (a fixed one here).
  derivePepper: (keyId = 'toy1') => (keyId === 'toy1' ? { keyId, pepper: new Uint8Array(32).fill(0x5a) } : null),
};

/** @internal A pass-through store that counts compare-and-set calls that wrote (`won`) and lost races (`lost`). */
export function countingStore(inner: MfaStore) {
  const counts = { won: 0, lost: 0 };
  const store: MfaStore = {
    get: (id) => inner.get(id),
    delete: (id) => inner.delete(id),
    async compareAndSet(id, expected, record) {
      const written = await inner.compareAndSet(id, expected, record);
      if (written) counts.won++;
      else counts.lost++;
      return written;
    },
  };
  return {
    store,
    get won() {
      return counts.won;
    },
    get lost() {
      return counts.lost;
    },
    reset() {
      counts.won = 0;
      counts.lost = 0;
    },
  };
}

/** @internal A harness maker with the suite's `cipher` option applied (an `extra.cipher` wins). */
export type Harness = (store: MfaStore, seed: string, extra?: { cipher?: SecretCipher; sender?: Sender }) => ReturnType<typeof makeHarness<ReturnType<typeof defaultFeatures>>>;

/** @internal The harness maker of a suite run with `cipher` (or none). */
export function harnessWith(cipher: SecretCipher | undefined): Harness {
  return (store, seed, extra = {}) => makeHarness(store, seed, { ...(cipher === undefined ? {} : { cipher }), ...extra });
}
