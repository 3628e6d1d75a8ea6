// checkFactor and verifyLogin (src/lifecycle/features/login/): throttle answers, the `failed`
// event, the step-up time kept by non-login checks, and the internal errors for records the
// lifecycle never writes. Written against mutants StrykerJS found surviving
// (npm run mutation -- lifecycle-login).
import { describe, expect, it } from 'vitest';
import { clientThrottle, createMfa, FakeClock, MemoryStore, recoveryCodes, seededRandom, totp, type MfaEvent, type RecoveryCodesMfa } from '../../../../src/index.js';
import { emptyRecord, resolveLifecycleOptions, transition, type MfaRecord, type TransitionContext } from '../../../../src/lifecycle/public.js';

const T0 = Date.UTC(2026, 5, 1);

async function enrolled(extra: Record<string, unknown> = {}) {
  const clock = new FakeClock(T0);
  const events: MfaEvent[] = [];
  const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', clock, rng: seededRandom(7), onEvent: (e) => void events.push(e), ...extra });
  const begun = await mfa.beginEnrollment('alice', { account: 'alice' });
  if (!begun.ok) throw new Error('begin');
  const confirmed = await mfa.confirmEnrollment('alice', totp(begun.secret, { time: clock.now() }));
  if (!confirmed.ok) throw new Error('confirm');
  clock.advance(30_000);
  const code = (): string => totp(begun.secret, { time: clock.now() });
  const wrong = (): string => (code() === '000000' ? '000001' : '000000');
  return { mfa, clock, events, code, wrong, recovery: confirmed.recoveryCodes };
}

describe('verifyLogin: throttle answers', () => {
  it('per client: a plain mismatch has no retryAt key; the failure that blocks the client has one', async () => {
    const { mfa, wrong } = await enrolled({ throttle: { maxFailures: 3 }, features: [clientThrottle()] });
    for (let i = 0; i < 2; i++) {
      const r = await mfa.verifyLogin('alice', wrong(), { client: '10.0.0.1' });
      expect(Object.keys(r).sort()).toEqual(['ok', 'reason']);
      expect(r).toEqual({ ok: false, reason: 'mismatch' });
    }
    const third = await mfa.verifyLogin('alice', wrong(), { client: '10.0.0.1' });
    expect(third).toMatchObject({ ok: false, reason: 'mismatch', retryAt: expect.any(Number) });
    expect(await mfa.verifyLogin('alice', wrong(), { client: '10.0.0.1' })).toMatchObject({ ok: false, reason: 'locked' });
  });

  it('without a client: the account lock applies, even to the right code', async () => {
    const { mfa, code, wrong } = await enrolled({ throttle: { maxFailures: 3 } });
    for (let i = 0; i < 3; i++) await mfa.verifyLogin('alice', wrong());
    expect(await mfa.verifyLogin('alice', code())).toMatchObject({ ok: false, reason: 'locked', retryAt: expect.any(Number) });
  });

  it('with throttling off, a client is ignored even with the clientThrottle feature: no lock however many failures, and the right code passes', async () => {
    const { mfa, code, wrong } = await enrolled({ throttle: false, features: [clientThrottle()] });
    for (let i = 0; i < 30; i++) expect(await mfa.verifyLogin('alice', wrong(), { client: '10.0.0.1' })).toEqual({ ok: false, reason: 'mismatch' });
    expect(await mfa.verifyLogin('alice', code(), { client: '10.0.0.1' })).toMatchObject({ ok: true });
  });
});

describe('verifyLogin: a client needs the clientThrottle feature', () => {
  it('without it, passing a client is INVALID_OPTION naming the call and the feature', async () => {
    const { mfa, code } = await enrolled();
    await expect(mfa.verifyLogin('alice', code(), { client: '10.0.0.1' })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringMatching(/verifyLogin with a client.*clientThrottle\(\)/),
    });
  });
});

describe('checkFactor: events and the step-up time', () => {
  it('a refusal other than mismatch emits `failed` with the operation, reason and failure count', async () => {
    const { mfa, code, events } = await enrolled();
    const c = code();
    expect(await mfa.verifyLogin('alice', c)).toMatchObject({ ok: true });
    events.length = 0;
    expect(await mfa.verifyLogin('alice', c)).toEqual({ ok: false, reason: 'replayed' });
    expect(events).toEqual([{ type: 'failed', userId: 'alice', at: expect.any(Number), operation: 'verifyLogin', reason: 'replayed', failures: 0 }]);
  });

  it('a proof by code keeps the time of the last login, so { fresh: true } still vouches after it', async () => {
    const enrolledUser = await enrolled({ features: [recoveryCodes()] });
    const { clock, code } = enrolledUser;
    const mfa = enrolledUser.mfa as typeof enrolledUser.mfa & RecoveryCodesMfa;
    expect(await mfa.verifyLogin('alice', code())).toMatchObject({ ok: true });
    clock.advance(30_000);
    expect(await mfa.regenerateRecoveryCodes('alice', { code: code() })).toMatchObject({ ok: true });
    clock.advance(30_000);
    expect(await mfa.regenerateRecoveryCodes('alice', { fresh: true })).toMatchObject({ ok: true });
  });
});

describe('checkFactor: recovery codes where they do not apply', () => {
  it('with no recovery codes, text that is not a code is a format refusal', async () => {
    const { mfa } = await enrolled({ features: [recoveryCodes({ count: 0 })] });
    expect(await mfa.verifyLogin('alice', 'not-a-code')).toEqual({ ok: false, reason: 'format' });
  });

  it('confirming a reset takes a code of the new secret, never a recovery code', async () => {
    const { mfa, code, recovery } = await enrolled({ features: [recoveryCodes()] });
    expect(recovery).toHaveLength(10);
    const reset = await mfa.resetSecret('alice', { proof: { code: code() } });
    expect(reset).toMatchObject({ ok: true });
    expect(await mfa.confirmEnrollment('alice', recovery[0]!)).toMatchObject({ ok: false, reason: 'format' });
  });
});

describe('checkFactor: records the lifecycle never writes', () => {
  const options = resolveLifecycleOptions({ issuer: 'Acme' });
  const ctx = (now: number): TransitionContext => ({ now, rng: seededRandom(`c${now}`), options, scopeRequired: false });
  function active(): MfaRecord {
    const begun = transition(emptyRecord('alice', T0), { type: 'beginEnrollment', account: 'alice' }, ctx(T0));
    if (!begun.result.ok) throw new Error('begin');
    const confirmed = transition({ ...begun.record, version: 1 }, { type: 'confirmEnrollment', code: totp(begun.result.secret, { time: T0 }) }, ctx(T0));
    if (!confirmed.result.ok) throw new Error('confirm');
    return { ...confirmed.record, version: 2 };
  }
  const login = (record: MfaRecord) => () => transition(record, { type: 'verifyLogin', input: '123456' }, ctx(T0 + 60_000));

  it('a sealed secret nobody opened: CIPHER_FAILURE', () => {
    const record = active();
    const sealed = { ...record, method: { ...record.method!, secretSealed: true } } as MfaRecord;
    expect(login(sealed)).toThrow(expect.objectContaining({ code: 'CIPHER_FAILURE', message: 'secret is still sealed (no cipher opened it)' }));
  });

  it('a stored secret whose unused base64url bits are set still verifies (written by another tool)', () => {
    const record = active();
    const method = record.method as { secret: string };
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(method.secret.at(-1)!);
    expect((method.secret.length * 6) % 8).not.toBe(0); // there are unused bits to set
    const loose = { ...record, method: { ...record.method!, secret: method.secret.slice(0, -1) + alphabet[last | 1] } } as MfaRecord;
    expect(login(loose)).not.toThrow();
  });

  it('a secret that is not base64url: INVALID_RECORD', () => {
    const record = active();
    const broken = { ...record, method: { ...record.method!, secret: '!!' } } as MfaRecord;
    expect(login(broken)).toThrow(expect.objectContaining({ code: 'INVALID_RECORD', message: 'stored MFA record is invalid: method.secret' }));
  });

  it('an active record without a method: INVALID_STATE', () => {
    const noMethod = { ...active(), method: null } as MfaRecord;
    expect(login(noMethod)).toThrow(expect.objectContaining({ code: 'INVALID_STATE', message: 'checkFactor needs a record with a method' }));
  });

  it("an e-mail factor without the oneTimeCodes feature: INVALID_OPTION naming the feature", () => {
    const record = active();
    const email = { ...record, method: { type: 'email', destination: 'a@example.com', createdAt: T0 } } as unknown as MfaRecord;
    expect(login(email)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringContaining('oneTimeCodes({ sender })') }));
    expect(login(email)).toThrow(expect.objectContaining({ message: expect.stringContaining('a user with an email factor') }));
  });
});
