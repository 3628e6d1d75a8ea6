// The multi-process race checks every adapter runs (issue 7): 8 OS processes verify one code at
// once, spend one recovery code at once, or spend 8 different codes at once. Each adapter's test
// file wraps these in its own `it` with its own target(s); the assertions live here, once.
import { expect } from 'vitest';
import { codeAt, timeOfStep } from './mp-common.js';
import { enrolUser, openParent, raceVerifyLogin, type HarnessTarget } from './multiprocess.js';

type Results = Awaited<ReturnType<typeof raceVerifyLogin>>;

const accepted = (results: Results) => results.filter((r) => 'ok' in r && r.ok);
const replayed = (results: Results) => results.filter((r) => 'ok' in r && !r.ok && r.reason === 'replayed');

/** 8 processes verify the same TOTP code at the same moment: exactly one success, 7 `replayed`. */
export async function raceSameTotpCode(target: HarnessTarget, userId: string): Promise<void> {
  const user = await enrolUser(target, userId);
  const step = user.step + 1;
  const results = await raceVerifyLogin(target, { userId: user.userId, input: codeAt(user.secret, step), time: timeOfStep(step), processes: 8 });
  expect(results).toHaveLength(8);
  expect(accepted(results)).toHaveLength(1);
  expect(replayed(results)).toHaveLength(7);
}

/** 8 processes spend the same recovery code at once: spent once, the others see it used. */
export async function raceSameRecoveryCode(target: HarnessTarget, userId: string): Promise<void> {
  const user = await enrolUser(target, userId);
  const results = await raceVerifyLogin(target, { userId: user.userId, input: user.recoveryCodes[3]!, time: timeOfStep(user.step + 1), processes: 8 });
  const ok = accepted(results);
  expect(ok).toHaveLength(1);
  expect(ok[0]).toMatchObject({ method: 'recovery', remainingRecoveryCodes: user.recoveryCodes.length - 1 });
  expect(replayed(results)).toHaveLength(7);
  const parent = await openParent(target);
  try {
    expect((await parent.mfa.getStatus(user.userId)).remainingRecoveryCodes).toBe(user.recoveryCodes.length - 1);
  } finally {
    await parent.close();
  }
}

/**
 * 8 processes (spread over `targets`, e.g. two client libraries) each spend a different recovery
 * code at once: all succeed, none is lost, and each is refused as `replayed` afterwards.
 */
export async function raceDifferentRecoveryCodes(targets: readonly HarnessTarget[], userId: string): Promise<void> {
  const first = targets[0]!;
  const user = await enrolUser(first, userId);
  const time = timeOfStep(user.step + 1);
  const results = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      raceVerifyLogin(targets[i % targets.length]!, { userId: user.userId, input: user.recoveryCodes[i]!, time, processes: 1 }),
    ),
  );
  expect(accepted(results.flat())).toHaveLength(8);
  const parent = await openParent(first);
  try {
    expect((await parent.mfa.getStatus(user.userId)).remainingRecoveryCodes).toBe(user.recoveryCodes.length - 8);
    for (const code of user.recoveryCodes.slice(0, 8)) {
      expect(await parent.mfa.verifyLogin(user.userId, code)).toMatchObject({ ok: false, reason: 'replayed' });
    }
  } finally {
    await parent.close();
  }
}
