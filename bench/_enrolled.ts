// Shared bench setup: a service with one confirmed user ('user-0', fixed seed and start time) whose
// record the bench copies to the other users, and a round-robin verifyLogin over them.
import { createMfa, FakeClock, seededRandom, totp, type Mfa, type MfaStore, type StoredRecord } from '../src/index.js';

export const STEP = 30_000;

export interface EnrolledService {
  readonly mfa: Mfa;
  readonly clock: FakeClock;
  readonly secret: Uint8Array;
  /** user-0's stored record, to copy under other ids. */
  readonly template: StoredRecord;
}

export async function enrolledService(store: MfaStore, bench: string): Promise<EnrolledService> {
  const clock = new FakeClock(Date.UTC(2026, 0, 1) + 5_000);
  const mfa = createMfa({ store, issuer: 'Bench', clock, rng: seededRandom('bench') });
  const begun = await mfa.beginEnrollment('user-0', { account: 'bench@example.com' });
  if (!begun.ok) throw new Error(`${bench}: enrolment failed`);
  const confirmed = await mfa.confirmEnrollment('user-0', totp(begun.secret, { time: clock.now() }));
  if (!confirmed.ok) throw new Error(`${bench}: confirmation failed`);
  return { mfa, clock, secret: begun.secret, template: (await store.get('user-0'))! };
}

/**
 * One successful verifyLogin per call, round robin over user-0 … user-(users−1); the clock moves
 * one step each time the users wrap around, so every code is fresh and every login writes.
 */
export function roundRobinVerify(s: EnrolledService, users: number, bench: string): () => Promise<unknown> {
  let next = 0;
  return async () => {
    const i = next++ % users;
    if (i === 0) s.clock.advance(STEP);
    const result = await s.mfa.verifyLogin(`user-${i}`, totp(s.secret, { time: s.clock.now() }));
    if (!result.ok) throw new Error(`${bench}: verifyLogin failed (${result.reason})`);
    return result;
  };
}

/** 16 verifies in flight at once, as one mitata iteration (divide its time by 16). */
export const sixteen = (verifyNext: () => Promise<unknown>) => (): Promise<unknown[]> =>
  Promise.all(Array.from({ length: 16 }, verifyNext));
