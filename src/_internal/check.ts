import { MfaError } from '../errors.js';

/** Throws INVALID_OPTION unless `value` is an integer within [min, max]. */
export function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new MfaError('INVALID_OPTION', `${name} must be an integer from ${min} to ${max}`);
  }
  return value as number;
}
