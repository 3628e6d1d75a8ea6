// hashOf (src/_internal/hmac-otp.ts): an unknown algorithm is UNSUPPORTED_ALGORITHM with a message
// that lists the supported ones (StrykerJS found the message unchecked).
import { describe, expect, it } from 'vitest';
import { hashOf } from '../../src/_internal/hmac-otp.js';

describe('hashOf', () => {
  it.each(['MD5', 'sha1', '', undefined])('refuses %s', (algorithm) => {
    expect(() => hashOf(algorithm as never)).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_ALGORITHM', message: 'algorithm must be SHA1, SHA256 or SHA512' }),
    );
  });
});
