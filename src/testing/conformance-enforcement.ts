// The enforcement and step-up tests of runStoreConformance, in the `lifecycle` and
// `lifecycle-concurrency` groups: grace terms and the grace slice round-trip through the store, and
// concurrent password logins use each grace login exactly once.
import { expect, it } from 'vitest';
import { enforcementDeadlines } from '../lifecycle/features/enforcement-deadlines/index.js';
import { stepUpAuthentication } from '../lifecycle/features/step-up/index.js';
import { policies } from '../lifecycle/features/policy/index.js';
import type { MfaStore } from '../lifecycle/store.js';
import type { SecretCipher } from '../secret-cipher.js';
import { totp } from '../totp.js';
import { makeHarness, type Group } from './conformance-harness.js';

const DAY = 86_400_000;

function harness(store: MfaStore, seed: string, scope: string, cipher: SecretCipher | undefined) {
  const features = [policies({ scopes: () => [scope] }), enforcementDeadlines(), stepUpAuthentication()] as const;
  return makeHarness(store, seed, { features, ...(cipher === undefined ? {} : { cipher }) });
}

export function enforcementConformance(group: Group, cipher?: SecretCipher): void {
  group('lifecycle', ({ store, id }) => {
    it('a policy with a deadline: its terms and each user\'s grace round-trip; the deadline ends the grace', async () => {
      const scope = id('org');
      const { mfa, clock } = harness(store(), 'grace', scope, cipher);
      const cutoff = new Date(clock.now() + 30 * DAY);
      const user = id('member');
      const policy = { required: true, enrollBy: 14 * DAY, graceLogins: 5, exempt: [id('admin')] };
      expect(await mfa.setPolicy({ scope }, policy, { actor: 'conformance' })).toEqual({ ok: true, changed: true, policy });
      expect(await mfa.getPolicy({ scope })).toEqual(policy);
      expect(await mfa.setPolicy({ scope }, policy, { actor: 'conformance' })).toMatchObject({ changed: false });
      const first = clock.now();
      expect(await mfa.recordPasswordLogin(user)).toEqual({ loginRequirement: 'enroll-optional', grace: { deadline: first + 14 * DAY, loginsLeft: 4 } });
      expect(await mfa.recordPasswordLogin(policy.exempt[0]!)).toEqual({ loginRequirement: 'none' });
      const own = await mfa.setPolicy({ userId: user }, { required: true, enrollBy: cutoff }, { actor: 'conformance' });
      expect(own).toMatchObject({ policy: { required: true, enrollBy: cutoff }, status: { loginRequirement: 'enroll-optional', grace: { loginsLeft: 4 } } });
      expect(await mfa.getPolicy({ userId: user })).toEqual({ required: true, enrollBy: cutoff });
      clock.advance(14 * DAY - 1);
      expect(await mfa.getStatus(user)).toMatchObject({ loginRequirement: 'enroll-optional', grace: { deadline: first + 14 * DAY, loginsLeft: 4 } });
      clock.advance(1);
      expect(await mfa.loginRequirement(user)).toBe('enroll');
    });

    it('stepUp stamps the step-up time in the stored record and refuses the same code again', async () => {
      const { mfa, clock } = harness(store(), 'step-up', id('none'), cipher);
      const user = id('stepper');
      const begun = await mfa.beginEnrollment(user, { account: 'a@example.com' });
      if (!begun.ok) throw new Error('beginEnrollment failed');
      expect((await mfa.confirmEnrollment(user, totp(begun.secret, { time: clock.now() }))).ok).toBe(true);
      clock.advance(30_000);
      expect(await mfa.requireFreshMfa(user, { maxAge: 60_000 })).toEqual({ ok: false, reason: 'stale' });
      const code = totp(begun.secret, { time: clock.now() });
      expect(await mfa.stepUp(user, code)).toMatchObject({ ok: true });
      expect(await mfa.stepUp(user, code)).toEqual({ ok: false, reason: 'replayed' });
      clock.advance(60_000);
      expect(await mfa.requireFreshMfa(user, { maxAge: 60_000 })).toMatchObject({ ok: true });
      clock.advance(1);
      expect(await mfa.requireFreshMfa(user, { maxAge: 60_000 })).toEqual({ ok: false, reason: 'stale' });
    });
  });

  group('lifecycle-concurrency', ({ store, id, concurrency }) => {
    it(`${concurrency} concurrent password logins with 10 grace logins left: exactly 10 are enroll-optional`, async () => {
      const scope = id('org');
      const { mfa } = harness(store(), 'grace-race', scope, cipher);
      const user = id('racer');
      await mfa.setPolicy({ scope }, { required: true, graceLogins: 10 }, { actor: 'conformance' });
      const results = await Promise.all(Array.from({ length: concurrency }, () => mfa.recordPasswordLogin(user)));
      const optional = results.filter((r) => r.loginRequirement === 'enroll-optional');
      expect(optional).toHaveLength(Math.min(10, concurrency));
      // Each used its own grace login: the counts left after them are 9, 8, …, 0, each once.
      expect(optional.map((r) => r.grace!.loginsLeft).sort((a, b) => a! - b!)).toEqual(Array.from({ length: Math.min(10, concurrency) }, (_, i) => 10 - Math.min(10, concurrency) + i));
      expect(results.filter((r) => r.loginRequirement === 'enroll')).toHaveLength(concurrency - optional.length);
      expect(await mfa.loginRequirement(user)).toBe(concurrency >= 10 ? 'enroll' : 'enroll-optional');
    });
  });
}
