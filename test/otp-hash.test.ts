// SHA-256/512 TOTP in the lifecycle are values passed in (otpSha256, otpSha512), so createMfa bundles
// SHA-1 alone unless an app imports them. A string naming SHA-2, or a record enrolled with a hash the
// service was not given, is a configuration error naming the value to pass. On the old code
// `totp: { algorithm: 'SHA256' }` was accepted (and every kernel bundled).
import { describe, expect, it } from 'vitest';
import { createMfa, FakeClock, MemoryStore, MfaError, otpSha256, otpSha512, parseOtpauthUri, seededRandom, totp, type OtpHash } from '../src/index.js';
import type { LifecycleOptions } from '../src/lifecycle/index.js';

const T0 = Date.UTC(2026, 11, 2);

function service(store: MemoryStore, totpOptions: LifecycleOptions['totp']) {
  const clock = new FakeClock(T0);
  return { clock, mfa: createMfa({ issuer: 'Acme', store, clock, rng: seededRandom(3), ...(totpOptions ? { totp: totpOptions } : {}) }) };
}

function codeOf(err: unknown): [string, string] {
  if (!(err instanceof MfaError)) throw err;
  return [err.code, err.message];
}

describe('otpSha256 / otpSha512 in createMfa', () => {
  it.each([
    [otpSha256, 'SHA256'],
    [otpSha512, 'SHA512'],
  ] as const)('%o: enrols with that algorithm, confirms and logs in with codes from it', async (hash, name) => {
    const { clock, mfa } = service(new MemoryStore(), { algorithm: hash, digits: 8 });
    const e = await mfa.beginEnrollment('u1', { account: 'alice' });
    if (!e.ok) throw new Error('enrolment refused');
    const parsed = parseOtpauthUri(e.uri);
    expect(parsed.ok && parsed.value.algorithm).toBe(name);
    // A SHA-1 code of the same secret is not accepted: the kernel really is the one passed.
    expect((await mfa.confirmEnrollment('u1', totp(e.secret, { time: clock.now(), digits: 8 }))).ok).toBe(false);
    expect((await mfa.confirmEnrollment('u1', totp(e.secret, { time: clock.now(), digits: 8, algorithm: name }))).ok).toBe(true);
    clock.advance(60_000);
    const login = await mfa.verifyLogin('u1', totp(e.secret, { time: clock.now(), digits: 8, algorithm: name }));
    expect(login.ok).toBe(true);
  });

  it("a string 'SHA256'/'SHA512' is INVALID_OPTION naming the value to import; an unknown one stays UNSUPPORTED_ALGORITHM", () => {
    for (const [algorithm, name] of [['SHA256', 'otpSha256'], ['SHA512', 'otpSha512']] as const) {
      const [code, message] = codeOf(catchIt(() => service(new MemoryStore(), { algorithm: algorithm as unknown as OtpHash })));
      expect(code).toBe('INVALID_OPTION');
      expect(message).toContain(name);
    }
    expect(codeOf(catchIt(() => service(new MemoryStore(), { algorithm: 'MD5' as 'SHA1' })))[0]).toBe('UNSUPPORTED_ALGORITHM');
    // An object that only looks like one (no kernel) is refused too.
    expect(codeOf(catchIt(() => service(new MemoryStore(), { algorithm: { algorithm: 'SHA256' } })))[0]).toBe('INVALID_OPTION');
  });

  it('a record enrolled with SHA-512 needs otpSha512 to verify: INVALID_OPTION without it, accepted with totp.hashes', async () => {
    const store = new MemoryStore();
    const first = service(store, { algorithm: otpSha512 });
    const e = await first.mfa.beginEnrollment('u1', { account: 'alice' });
    if (!e.ok) throw new Error('enrolment refused');
    const code = (time: number) => totp(e.secret, { time, algorithm: 'SHA512' });
    expect((await first.mfa.confirmEnrollment('u1', code(T0))).ok).toBe(true);

    const plain = service(store, undefined);
    const [errCode, message] = codeOf(await plain.mfa.verifyLogin('u1', code(T0 + 30_000)).then(() => null, (err: unknown) => err));
    expect(errCode).toBe('INVALID_OPTION');
    expect(message).toContain('otpSha512');

    const both = service(store, { hashes: [otpSha512] });
    expect((await both.mfa.verifyLogin('u1', code(T0 + 30_000))).ok).toBe(true);
    // New enrolments of that service are SHA-1 (the default algorithm).
    const e2 = await both.mfa.beginEnrollment('u2', { account: 'bob' });
    expect(e2.ok && parseOtpauthUri(e2.uri).ok && (parseOtpauthUri(e2.uri) as { value: { algorithm: string } }).value.algorithm).toBe('SHA1');
  });
});

function catchIt(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('did not throw');
}
