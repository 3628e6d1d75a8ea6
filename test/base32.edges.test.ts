// Error messages of src/base32.ts (StrykerJS found them unchecked: npm run mutation -- core-otp).
import { describe, expect, it } from 'vitest';
import { decodeBase32, encodeBase32, MfaError } from '../src/index.js';

describe('base32 errors', () => {
  it('encodeBase32 of a non-Uint8Array', () => {
    expect(() => encodeBase32('JBSW' as unknown as Uint8Array)).toThrow(new MfaError('INVALID_OPTION', 'bytes must be a Uint8Array'));
    expect(() => encodeBase32('JBSW' as unknown as Uint8Array)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: 'bytes must be a Uint8Array' }));
  });

  it('decodeBase32 of text outside the alphabet', () => {
    expect(() => decodeBase32('JBSW!')).toThrow(expect.objectContaining({ code: 'INVALID_BASE32', message: 'not valid RFC 4648 base32 text' }));
  });
});
