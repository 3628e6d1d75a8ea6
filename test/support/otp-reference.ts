// An independent reference for the tests: HOTP straight from the RFC 4226 §5.3 text on
// @noble/hashes' HMAC, with bigint counters. Slow and simple on purpose.
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import type { OtpAlgorithm } from '../../src/index.js';

export const REFERENCE_HASH = { SHA1: sha1, SHA256: sha256, SHA512: sha512 } as const;

/** HMAC(key, 8-byte big-endian counter). */
export function referenceHmac(algorithm: OtpAlgorithm, key: Uint8Array, counter: bigint): Uint8Array {
  const message = new Uint8Array(8);
  new DataView(message.buffer).setBigUint64(0, counter);
  return hmac(REFERENCE_HASH[algorithm], key, message);
}

/** RFC 4226 §5.3: dynamic truncation, then mod 10^digits, zero-padded. */
export function referenceHotp(key: Uint8Array, counter: bigint, digits: number, algorithm: OtpAlgorithm = 'SHA1'): string {
  const mac = referenceHmac(algorithm, key, counter);
  const offset = mac[mac.length - 1]! & 0xf;
  const binary =
    ((mac[offset]! & 0x7f) * 2 ** 24) + (mac[offset + 1]! << 16) + (mac[offset + 2]! << 8) + mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** RFC 6238 §4.2: T = floor((unix seconds - T0) / X). */
export function referenceTotp(
  key: Uint8Array,
  timeMs: number,
  { period = 30, t0 = 0, digits = 6, algorithm = 'SHA1' as OtpAlgorithm } = {},
): string {
  const step = BigInt(Math.floor((timeMs / 1000 - t0) / period));
  return referenceHotp(key, step, digits, algorithm);
}

export const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
