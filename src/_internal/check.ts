import { MfaError } from '../errors.js';

/** Throws INVALID_OPTION unless `value` is an integer within [min, max]. */
export function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new MfaError('INVALID_OPTION', `${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}
