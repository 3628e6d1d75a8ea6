// Finding: numeric recovery codes as long as the TOTP code can never work. Every such code parses as a
// TOTP code, answers `mismatch`, counts toward the lockout and never reaches the recovery-code check.
// mfakit refuses the combination when the service is created (INVALID_OPTION), before a single code
// is handed out. On the old code `createMfa` accepted it and the recovery code answered `mismatch`.
import { describe, expect, it } from 'vitest';
import {
  createMfa,
  MemoryStore,
  oneTimeCodes,
  pbkdf2Kdf,
  recoveryCodes,
  totp,
  type RecoveryCodesOptions,
} from '../../src/index.js';
import { FakeClock, seededRandom } from '../../src/testing/index.js';

const invalid = expect.objectContaining({ code: 'INVALID_OPTION' });
/** A service with these TOTP digits and recovery-code options. */
const service = (digits: number, rc: RecoveryCodesOptions) =>
  createMfa({ store: new MemoryStore(), issuer: 'Acme', totp: { digits }, features: [recoveryCodes(rc)] });

describe('recovery codes that look like one-time codes are refused', () => {
  it('totp.digits 8 with 8-digit numeric recovery codes: INVALID_OPTION', () => {
    expect(() =>
      createMfa({
        store: new MemoryStore(),
        issuer: 'Acme',
        totp: { digits: 8 },
        features: [recoveryCodes({ alphabet: '0123456789', length: 8, hashing: { algorithm: 'pbkdf2-sha256', kdf: pbkdf2Kdf, iterations: 1000 } })],
      }),
    ).toThrowError(invalid);
  });

  it('any alphabet with a digit can draw an all-digit code, so the length alone decides', () => {
    expect(() => service(10, { length: 10 })).toThrowError(invalid);
    expect(() => service(6, { length: 6, alphabet: '0123456789ABCDEF' })).toThrowError(invalid);
    // Letters only, another length, or no codes at all: nothing to confuse.
    expect(service(6, { length: 6, alphabet: 'ABCDEFGHJKMNPQRSTVWXYZ' }).options.totp.digits).toBe(6);
    expect(service(8, { length: 9 }).options.totp.digits).toBe(8);
    expect(service(8, { count: 0, length: 8 }).options.totp.digits).toBe(8);
  });

  it('the e-mail/SMS code length counts when those users get recovery codes', () => {
    const rc = { length: 9, alphabet: '0123456789', hashing: { algorithm: 'pbkdf2-sha256' as const, iterations: 1000 } };
    const sender = { send: async () => {} };
    const store = new MemoryStore();
    expect(() => createMfa({ store, issuer: 'Acme', features: [recoveryCodes(rc), oneTimeCodes({ sender, digits: 9, recoveryCodes: true })] })).toThrowError(invalid);
    expect(createMfa({ store, issuer: 'Acme', features: [recoveryCodes(rc), oneTimeCodes({ sender, digits: 9 })] }).options.issuer).toBe('Acme');
  });

  it('an allowed numeric length works at login', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 10));
    const mfa = createMfa({
      store: new MemoryStore(),
      issuer: 'Acme',
      clock,
      rng: seededRandom('digits'),
      totp: { digits: 8 },
      features: [recoveryCodes({ alphabet: '0123456789', length: 10, groupSize: 0, hashing: { algorithm: 'pbkdf2-sha256', kdf: pbkdf2Kdf, iterations: 1000 } })],
    });
    const begun = await mfa.beginEnrollment('u', { account: 'u@example.com' });
    if (!begun.ok) throw new Error('enrolment');
    const confirmed = await mfa.confirmEnrollment('u', totp(begun.secret, { time: clock.now(), digits: 8 }));
    if (!confirmed.ok) throw new Error('confirm');
    expect(await mfa.verifyLogin('u', confirmed.recoveryCodes[0]!)).toMatchObject({ ok: true, method: 'recovery' });
  });
});
