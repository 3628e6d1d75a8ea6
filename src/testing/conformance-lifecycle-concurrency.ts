// The lifecycle-concurrency group of runStoreConformance: concurrent logins, recovery codes, resets
// and enrolments on one user leave exactly one winner and a consistent record, on the store under
// test (a counting wrapper proves the calls really raced).
import { expect, it } from 'vitest';
import { countingStore, type Group, type Harness } from './conformance-harness.js';

/** @internal Registers the `lifecycle-concurrency` group. */
export function lifecycleConcurrency(group: Group, harness: Harness): void {
  group('lifecycle-concurrency', ({ store, id, concurrency }) => {
    it(`${concurrency} concurrent verifyLogin with the same valid code: exactly one success`, async () => {
      // Through a counting wrapper, so the test proves the calls really raced on this store.
      const counted = countingStore(store());
      const { mfa, code, enrolled } = harness(counted.store, 'same-code');
      const user = id('same-code');
      const { secret } = await enrolled(user);
      const input = code(secret);
      counted.reset();
      const results = await Promise.all(Array.from({ length: concurrency }, () => mfa.verifyLogin(user, input)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.reason === 'replayed')).toHaveLength(concurrency - 1);
      // One write won; the others read the same version, lost the compare-and-set, reloaded and
      // saw the replay (which writes nothing).
      expect(counted.won).toBe(1);
      if (concurrency > 1) expect(counted.lost).toBeGreaterThanOrEqual(1);
    });

    it('one recovery code used concurrently: used once', async () => {
      const { mfa, enrolled } = harness(store(), 'same-recovery');
      const user = id('same-recovery');
      const { recoveryCodes } = await enrolled(user);
      const n = Math.min(concurrency, 16);
      const results = await Promise.all(Array.from({ length: n }, () => mfa.verifyLogin(user, recoveryCodes[3]!)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect((await mfa.getStatus(user)).remainingRecoveryCodes).toBe(19);
    });

    it('different recovery codes used concurrently: every use recorded (no lost update)', async () => {
      const { mfa, enrolled } = harness(store(), 'many-recovery');
      const user = id('many-recovery');
      const { recoveryCodes } = await enrolled(user);
      const results = await Promise.all(recoveryCodes.slice(0, 8).map((c) => mfa.verifyLogin(user, c)));
      expect(results.every((r) => r.ok)).toBe(true);
      expect((await mfa.getStatus(user)).remainingRecoveryCodes).toBe(12);
    });

    it('concurrent wrong codes are all counted until the lock', async () => {
      const { mfa, enrolled } = harness(store(), 'wrong-codes');
      const user = id('wrong-codes');
      await enrolled(user);
      const results = await Promise.all(Array.from({ length: 10 }, () => mfa.verifyLogin(user, '000000')));
      // 000000 could be the right code once in a million runs of a seed: the seed is fixed, so not here.
      expect(results.filter((r) => !r.ok && r.reason === 'mismatch')).toHaveLength(5);
      expect(results.filter((r) => !r.ok && r.reason === 'locked')).toHaveLength(5);
      expect((await mfa.getStatus(user)).failures).toBe(5);
    });

    it('concurrent reset and logins leave a consistent record (the stored secret is the one returned)', async () => {
      const { mfa, code, enrolled } = harness(store(), 'reset-verify');
      for (let round = 0; round < 4; round++) {
        const user = id(`reset-verify-${round}`);
        const { secret, recoveryCodes } = await enrolled(user);
        const [login, reset, reset2, recovery] = await Promise.all([
          mfa.verifyLogin(user, code(secret)),
          mfa.resetSecret(user, { proof: { code: recoveryCodes[1]! } }),
          mfa.resetSecret(user, { proof: { code: recoveryCodes[2]! } }),
          mfa.verifyLogin(user, recoveryCodes[0]!),
        ]);
        expect([login.ok || (!login.ok && login.reason === 'not_enrolled')]).toEqual([true]);
        expect([recovery.ok || (!recovery.ok && recovery.reason === 'not_enrolled')]).toEqual([true]);
        const winners = [reset, reset2].filter((r) => r.ok);
        expect(winners).toHaveLength(1);
        const winner = winners[0]!;
        if (!winner.ok) return;
        expect((await mfa.getStatus(user)).status).toBe('pending');
        expect(await mfa.verifyLogin(user, code(secret))).toEqual({ ok: false, reason: 'not_enrolled' });
        expect((await mfa.confirmEnrollment(user, code(winner.secret))).ok).toBe(true);
      }
    });

    it('concurrent beginEnrollment: the pending secret is exactly one of those returned', async () => {
      const { mfa } = harness(store(), 'begin-race');
      const user = id('begin-race');
      const results = await Promise.all(Array.from({ length: 8 }, () => mfa.beginEnrollment(user, { account: 'a@example.com' })));
      const pending = await mfa.pendingEnrollment(user);
      expect(pending).not.toBeNull();
      const matches = results.filter((r) => r.ok && pending !== null && r.uri === pending.uri);
      expect(matches).toHaveLength(1);
    });

    it('concurrent disable and login: either order, never a half-written record', async () => {
      const { mfa, code, enrolled } = harness(store(), 'disable-login');
      const user = id('disable-login');
      const { secret, recoveryCodes } = await enrolled(user);
      const loginCode = code(secret);
      const [login, disabled] = await Promise.all([
        mfa.verifyLogin(user, loginCode),
        mfa.disable(user, { code: recoveryCodes[1]! }),
      ]);
      expect(disabled).toEqual({ ok: true, previous: 'active' });
      expect(login.ok || (!login.ok && login.reason === 'not_enrolled')).toBe(true);
      const status = await mfa.getStatus(user);
      expect(status).toMatchObject({ status: 'disabled', method: null, remainingRecoveryCodes: 0 });
    });
  });
}
