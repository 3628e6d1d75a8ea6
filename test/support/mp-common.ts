// Shared by the multi-process harness parent (multiprocess.ts) and its children (mp-worker.ts):
// the service configuration both sides use, and how an adapter name becomes a store.
//
// Adding an adapter: create test/support/mp-adapters/<name>.ts exporting `open` (see
// {@link HarnessAdapter}); the parent and the children find it by name. Connection details travel
// as a flat string map (JSON in an env var), so keep them serialisable.
import { fileURLToPath } from 'node:url';
import { createMfa, type Mfa } from '../../src/lifecycle/service.js';
import { recoveryCodes, type RecoveryCodesMfa } from '../../src/lifecycle/features/recovery-codes/index.js';
import type { MfaStore } from '../../src/lifecycle/store.js';
import { FakeClock } from '../../src/testing/fake-clock.js';
import { totp } from '../../src/totp.js';
import { enrolledUser } from './enrolled-user.js';

/** Connection details for one adapter, e.g. `{ url, table }`. Strings only (passed via env). */
export type HarnessConnection = Readonly<Record<string, string>>;

/** An adapter plugged into the harness. */
export interface HarnessAdapter {
  /**
   * Opens a store on the shared database. `role` is 'child' in worker processes (e.g. to set an
   * application_name the parent can find), 'parent' in the test process.
   */
  open(conn: HarnessConnection, role: 'parent' | 'child'): Promise<OpenedStore>;
}

export interface OpenedStore {
  readonly store: MfaStore;
  close(): Promise<void>;
}

/** What the harness tests: which adapter, and how to reach the database. */
export interface HarnessTarget {
  readonly adapter: string;
  readonly conn: HarnessConnection;
}

/** Loads test/support/mp-adapters/<name>.ts and opens a store. */
export async function openAdapter(target: HarnessTarget, role: 'parent' | 'child'): Promise<OpenedStore> {
  if (!/^[a-z0-9-]+$/.test(target.adapter)) throw new Error(`bad adapter name ${target.adapter}`);
  const file = fileURLToPath(new URL(`./mp-adapters/${target.adapter}.ts`, import.meta.url));
  const mod = (await import(file)) as HarnessAdapter;
  return mod.open(target.conn, role);
}

export const STEP_MS = 30_000;
export const RECOVERY_CODES = 20;

/** Mid-step time of TOTP step `step`, so a code of that step is current. */
export const timeOfStep = (step: number): number => step * STEP_MS + 10_000;

/** The TOTP code of `step` for a base64url secret. */
export function codeAt(secret: string, step: number): string {
  return totp(Buffer.from(secret, 'base64url'), { time: timeOfStep(step) });
}

/**
 * The service every harness process uses: same issuer and rules, a clock the caller moves, and
 * throttling as asked (off for the crash test, which replays codes on purpose).
 */
export function harnessMfa(store: MfaStore, clock: FakeClock, options: { throttle?: boolean } = {}): Mfa & RecoveryCodesMfa {
  return createMfa({
    store,
    issuer: 'Harness',
    clock,
    features: [recoveryCodes({ count: RECOVERY_CODES })],
    ...(options.throttle === true ? {} : { throttle: false as const }),
    maxAttempts: 64,
  });
}

/** A user enrolled at `step`: its secret (base64url) and recovery codes. */
export interface EnrolledUser {
  readonly userId: string;
  readonly secret: string;
  readonly recoveryCodes: readonly string[];
  /** The step the enrolment was confirmed with (already used). */
  readonly step: number;
}

/** Enrols `userId` through the service (begin + confirm with the code of `step`). */
export async function enrol(mfa: Mfa, clock: FakeClock, userId: string, step: number): Promise<EnrolledUser> {
  clock.set(timeOfStep(step));
  const enrolled = await enrolledUser(mfa, clock, userId, { advance: false });
  return { userId, secret: Buffer.from(enrolled.secret).toString('base64url'), recoveryCodes: enrolled.recoveryCodes, step };
}

export { FakeClock };
