// Edges of the enrolment transitions and methods (src/lifecycle/features/enrollment/) that
// StrykerJS found untested (npm run mutation -- lifecycle-features): resetSecret's account option,
// a uri_mismatch emits nothing, which records count as reset-pending, and the error texts.
import { describe, expect, it } from 'vitest';
import { createMfa, FakeClock, MemoryStore, parseOtpauthUri, seededRandom, totp, type MfaEvent } from '../../../../src/index.js';
import { emptyRecord, isResetPending, type MfaRecord } from '../../../../src/lifecycle/public.js';
import { enrolledUser } from '../../../support/enrolled-user.js';
import { rejection } from '../../../support/rejection.js';

const T0 = Date.UTC(2026, 11, 2, 8);

function service() {
  const clock = new FakeClock(T0);
  const events: MfaEvent[] = [];
  const mfa = createMfa({ issuer: 'Acme', store: new MemoryStore(), clock, rng: seededRandom(9), onEvent: (e) => events.push(e) });
  return { clock, events, mfa };
}

describe('resetSecret', () => {
  it('with an account: the new enrolment is labelled with it', async () => {
    const { clock, mfa } = service();
    const user = await enrolledUser(mfa, clock);
    const reset = await mfa.resetSecret('alice', { account: 'alice@new.example', proof: { code: totp(user.secret, { time: clock.now() }) } });
    if (!reset.ok) throw new Error(`resetSecret: ${reset.reason}`);
    const parsed = parseOtpauthUri(reset.uri);
    expect(parsed.ok && parsed.value.account).toBe('alice@new.example');
  });
});

describe('confirmEnrollment', () => {
  it('uri_mismatch emits no event', async () => {
    const { clock, events, mfa } = service();
    const first = await mfa.beginEnrollment('alice', { account: 'alice' });
    const second = await mfa.beginEnrollment('alice', { account: 'alice' });
    if (!first.ok || !second.ok) throw new Error('begin');
    events.length = 0;
    const code = totp(second.secret, { time: clock.now() });
    expect(await mfa.confirmEnrollment('alice', code, { secretUrl: first.uri })).toEqual({ ok: false, reason: 'uri_mismatch' });
    expect(events).toEqual([]);
  });
});

describe('isResetPending', () => {
  const base = emptyRecord('alice', T0);
  it.each<[string, Partial<MfaRecord>, boolean]>([
    ['never reset', {}, false],
    ['a reset awaiting confirmation (pending)', { status: 'pending', resetAt: T0 }, true],
    ['a reset whose enrolment expired (disabled)', { status: 'disabled', resetAt: T0 }, true],
    ['active with a reset time left behind', { status: 'active', resetAt: T0 }, false],
  ])('%s: %s', (_, patch, expected) => {
    expect(isResetPending({ ...base, ...patch })).toBe(expected);
  });
});

describe('errors say what is wrong', () => {
  it('an empty account', async () => {
    const { mfa } = service();
    const err = await rejection(mfa.beginEnrollment('alice', { account: '' }));
    expect({ code: err.code, message: err.message }).toEqual({ code: 'INVALID_LABEL', message: 'account must be a non-empty string of at most 256 characters' });
  });

  it('an e-mail/SMS method without the oneTimeCodes feature', async () => {
    const { mfa } = service();
    const err = await rejection(mfa.beginEnrollment('alice', { method: 'email', destination: 'a@example.com' } as never));
    expect({ code: err.code, message: err.message }).toEqual({
      code: 'INVALID_OPTION',
      message: 'beginEnrollment with a method needs the oneTimeCodes({ sender }) feature: createMfa({ features: [oneTimeCodes({ sender })] })',
    });
  });
});
