/**
 * Hides most of an e-mail address or phone number for screens and audit logs:
 * `alice@example.com` → `a••••@example.com`, `+44 7700 900123` → `••••••••0123`.
 *
 * @example
 * ```ts
 * import { maskDestination } from 'mfakit';
 * declare const user: { email: string };
 * `We sent a code to ${maskDestination(user.email)}`;
 * ```
 */
export function maskDestination(destination: string): string {
  if (typeof destination !== 'string') return '';
  const at = destination.lastIndexOf('@');
  if (at > 0) return destination[0] + '•'.repeat(Math.max(at - 1, 1)) + destination.slice(at);
  const digits = destination.replace(/[^0-9]/g, '');
  return '•'.repeat(Math.max(digits.length - 4, 0)) + digits.slice(-4);
}
