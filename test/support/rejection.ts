import { expect } from 'vitest';
import { MfaError } from '../../src/index.js';

/** Awaits `promise`, expects it to reject with an MfaError, and returns that error. */
export async function rejection(promise: Promise<unknown>): Promise<MfaError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(MfaError);
    return err as MfaError;
  }
  throw new Error('expected a rejection');
}

/** Calls `fn`, expects it to throw an MfaError, and returns that error. */
export function thrown(fn: () => unknown): MfaError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MfaError);
    return err as MfaError;
  }
  throw new Error('expected an MfaError, nothing was thrown');
}

/** {@link thrown}'s code and message only, to compare with `toEqual`. */
export function thrownCodeAndMessage(fn: () => unknown): { code: string; message: string } {
  const err = thrown(fn);
  return { code: err.code, message: err.message };
}
