// Shared helpers for tests that need a real database server (PostgreSQL, Redis, ...).
//
// Policy (issue 7): when a server binary is missing, a run with `CI` set FAILS (a silent skip in CI
// would hide a broken adapter); a local run skips loudly, saying what is skipped and why.
import { createServer } from 'node:net';

// A unit test (vitest.config.ts, project `unit`) must not need this: file it under `integration`.
if (process.env.MFAKIT_TEST_PROJECT === 'unit') {
  throw new Error(`${import.meta.url} needs services or the packed package: list the test under integration in vitest.config.ts`);
}

/** Whether a service can be used, and if not, why. */
export type Availability = { readonly available: true } | { readonly available: false; readonly reason: string };

/**
 * Decides whether the tests of `what` run. Returns `true` when they must be skipped (local run,
 * service missing, after printing a loud banner); throws when `CI` is set and the service is
 * missing, so the test file fails instead of skipping.
 *
 * Use at the top of a test file: `const skip = skipUnless('PostgreSQL store tests', postgresAvailability());`
 */
export function skipUnless(what: string, availability: Availability): boolean {
  if (availability.available) return false;
  if (isCi()) {
    throw new Error(`${what}: required in CI but unavailable: ${availability.reason}`);
  }
  const line = '!'.repeat(100);
  console.warn(`\n${line}\n!! SKIPPED: ${what}\n!! why: ${availability.reason}\n!! (with CI set this would fail)\n${line}\n`);
  return true;
}

/** True when running under CI (`CI` set to anything but '' / 'false' / '0'). */
export function isCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the caller retries if it lost a race). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it resolves true or `timeoutMs` passes (then throws with `what`). */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A short random suffix for table names / key prefixes, so tests sharing a server never collide. */
export function uniqueSuffix(): string {
  return `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}
