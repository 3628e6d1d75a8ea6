// SHA-256 and SHA-512 TOTP for the lifecycle as values an app passes in (`createMfa({ totp: {
// algorithm: otpSha256 } })`), like the recovery-code KDFs: `createMfa` then bundles only SHA-1, the
// algorithm authenticator apps use, unless the app imports one of these. The standalone
// `totp`/`hotp` functions keep their `algorithm` strings.
import { MfaError } from './errors.js';
import type { OtpAlgorithm } from './hotp.js';
import type { MdHash } from './_internal/md.js';
import { SHA1 } from './_internal/sha1.js';
import { SHA256, SHA512 } from './_internal/sha2.js';

/** A TOTP hash beyond SHA-1 for `createMfa`: {@link otpSha256} or {@link otpSha512}. */
export interface OtpHash {
  /** The algorithm name written into otpauth URIs and stored records. */
  readonly algorithm: 'SHA256' | 'SHA512';
}

/** The kernel an {@link OtpHash} value carries (not part of the public shape). */
interface KernelHash extends OtpHash {
  readonly kernel: MdHash;
}

/**
 * HMAC-SHA-256 TOTP (RFC 6238 §1.2) for the lifecycle. Few authenticator apps honour it; pass it
 * only when yours do.
 *
 * @example
 * ```ts
 * import { createMfa, MemoryStore, otpSha256 } from 'mfakit';
 * const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', totp: { algorithm: otpSha256 } });
 * ```
 */
export const otpSha256: OtpHash = { algorithm: 'SHA256', kernel: SHA256 } as KernelHash;

/**
 * HMAC-SHA-512 TOTP (RFC 6238 §1.2) for the lifecycle; see {@link otpSha256}.
 *
 * @example Keep verifying records enrolled with SHA-512 while new enrolments use SHA-1
 * ```ts
 * import { createMfa, MemoryStore, otpSha512 } from 'mfakit';
 * const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', totp: { hashes: [otpSha512] } });
 * ```
 */
export const otpSha512: OtpHash = { algorithm: 'SHA512', kernel: SHA512 } as KernelHash;

const exportName = (algorithm: OtpAlgorithm): string => `otpSha${algorithm.slice(3)}`;

/**
 * @internal The kernel for `algorithm` among SHA-1 and the `hashes` an app passed; throws
 * `INVALID_OPTION` naming the value to pass when it is missing. `what` says who needs it.
 */
export function otpKernel(algorithm: OtpAlgorithm, hashes: readonly OtpHash[], what: string): MdHash {
  if (algorithm === 'SHA1') return SHA1;
  const found = hashes.find((h) => h.algorithm === algorithm) as KernelHash | undefined;
  if (found?.kernel === undefined) {
    const name = exportName(algorithm);
    throw new MfaError('INVALID_OPTION', `${what} uses ${algorithm}: pass ${name} (from 'mfakit') as totp.algorithm or in totp.hashes`);
  }
  return found.kernel;
}
