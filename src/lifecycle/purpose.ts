import type { CheckedOperation } from './events.js';

/** @internal The purpose a code or confirmation token must carry to vouch for a checked operation. */
export function purposeOf(operation: CheckedOperation): string {
  switch (operation) {
    case 'confirmEnrollment':
      return 'enroll';
    case 'verifyLogin':
      return 'login';
    case 'disable':
      return 'disable';
    case 'resetSecret':
      return 'reset';
    case 'stepUp':
      return 'step_up';
    case 'issueApiPassword':
      return 'api_password';
    default:
      return 'recovery_codes';
  }
}
