// The trusted-device and break-glass guarantees of runStoreConformance, in the `lifecycle` and
// `lifecycle-concurrency` groups: their record slices round-trip through the store, a device token
// is never accepted after revokeAllDevices committed, and a login during cooling-off cancels the
// recovery whatever the interleaving with the steps that complete or remind it.
import { expect, it } from 'vitest';
import { trustedDevices } from '../lifecycle/features/trusted-devices/index.js';
import { breakGlassRecovery } from '../lifecycle/features/break-glass/index.js';
import { recoveryCodes } from '../lifecycle/features/recovery-codes/index.js';
import type { RecoveryNotice } from '../lifecycle/features/break-glass/index.js';
import type { MfaStore } from '../lifecycle/store.js';
import type { SecretCipher } from '../secret-cipher.js';
import { makeHarness, STEP, type Group } from './conformance-harness.js';

const HOUR = 3_600_000;

function harness(store: MfaStore, seed: string, cipher: SecretCipher | undefined) {
  const notices: RecoveryNotice[] = [];
  const features = [recoveryCodes({ count: 4 }), trustedDevices({ max: 5 }), breakGlassRecovery({ notify: (n) => void notices.push(n) })] as const;
  const h = makeHarness(store, seed, { features, ...(cipher === undefined ? {} : { cipher }) });
  const { mfa, clock, code } = h;
  /** A code login, then a trusted device. */
  async function trusted(userId: string, secret: Uint8Array): Promise<{ token: string; id: string }> {
    clock.advance(STEP);
    const login = await mfa.verifyLogin(userId, code(secret));
    if (!login.ok) throw new Error(`verifyLogin failed: ${login.reason}`);
    const device = await mfa.trustDevice(userId, { label: 'conformance laptop' });
    if (!device.ok) throw new Error(`trustDevice failed: ${device.reason}`);
    return device;
  }
  return { ...h, trusted, notices };
}

/** Waits `n` turns, alternating microtasks and timer turns, so racing calls interleave differently. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await (i % 2 === 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, 0)));
}

export function devicesAndRecoveryConformance(group: Group, cipher?: SecretCipher): void {
  group('lifecycle', ({ store, id }) => {
    it('trusted devices and a break-glass request are stored, read back and completed (no token in the store)', async () => {
      const { mfa, clock, enrolled, trusted } = harness(store(), 'devices-flow', cipher);
      const user = id('devices-flow');
      const { secret } = await enrolled(user);
      const device = await trusted(user, secret);
      const raw = JSON.stringify(await store().get(user));
      expect(raw).not.toContain(device.token);
      expect(raw).not.toContain(device.token.slice(5));
      expect(await mfa.verifyLogin(user, device.token)).toMatchObject({ ok: true, method: 'device', epoch: 0 });
      expect(await mfa.listDevices(user)).toMatchObject([{ id: device.id, label: 'conformance laptop' }]);
      const asked = await mfa.requestRecovery(user, { reason: 'lost phone and codes' });
      if (!asked.ok) throw new Error('requestRecovery failed');
      expect(await mfa.recoveryStatus(user)).toMatchObject({ open: true, requestId: asked.requestId, reason: 'lost phone and codes' });
      clock.set(asked.availableAt - 24 * HOUR);
      expect(await mfa.remindRecovery(user)).toMatchObject({ ok: true, sent: true });
      clock.set(asked.availableAt);
      expect(await mfa.completeRecovery(user, { actor: 'conformance' })).toMatchObject({ ok: true, previous: 'active' });
      expect(await mfa.getStatus(user)).toMatchObject({ status: 'disabled', epoch: 1 });
      expect(await mfa.verifyLogin(user, device.token)).toEqual({ ok: false, reason: 'not_enrolled' });
      expect(await mfa.listDevices(user)).toEqual([]);
    });
  });

  group('lifecycle-concurrency', ({ store, id, concurrency }) => {
    it(`a trusted-device token presented ${concurrency} times concurrently right after revokeAllDevices: never accepted`, async () => {
      const { mfa, enrolled, trusted } = harness(store(), 'devices-revoke', cipher);
      const user = id('devices-revoke');
      const { secret } = await enrolled(user);
      const device = await trusted(user, secret);
      // The same burst before the revocation is accepted every time: the token works on this store.
      const before = await Promise.all(Array.from({ length: concurrency }, () => mfa.verifyLogin(user, device.token)));
      expect(before.filter((r) => r.ok)).toHaveLength(concurrency);
      expect(await mfa.revokeAllDevices(user)).toEqual({ ok: true, revoked: 1 });
      const after = await Promise.all(Array.from({ length: concurrency }, () => mfa.verifyLogin(user, device.token)));
      expect(after.filter((r) => r.ok)).toEqual([]);
      expect(after.every((r) => !r.ok && r.reason === 'expired')).toBe(true);
      expect((await mfa.getStatus(user)).failures).toBe(0);
    });

    it('revokeAllDevices racing presentations of the token: none is accepted once the revocation committed', async () => {
      const { mfa, enrolled, trusted } = harness(store(), 'devices-revoke-race', cipher);
      const user = id('devices-revoke-race');
      const { secret } = await enrolled(user);
      const device = await trusted(user, secret);
      const n = Math.min(concurrency, 32);
      let revoked = false;
      const presented = Array.from({ length: n }, async (_, i) => {
        await turns(i % 6);
        const startedAfterRevoke = revoked;
        const r = await mfa.verifyLogin(user, device.token);
        return { ok: r.ok, startedAfterRevoke };
      });
      const revoke = (async () => {
        await turns(2);
        await mfa.revokeAllDevices(user);
        revoked = true;
      })();
      const results = await Promise.all([...presented, revoke.then(() => null)]);
      for (const r of results) if (r !== null && r.startedAfterRevoke) expect(r.ok).toBe(false);
      expect((await mfa.verifyLogin(user, device.token)).ok).toBe(false);
    });

    it('a login during cooling-off cancels the recovery even when it races the completion (many interleavings)', async () => {
      const { mfa, clock, code, enrolled } = harness(store(), 'recovery-race', cipher);
      const rounds = 12;
      let loginsWon = 0;
      let completionsWon = 0;
      for (let round = 0; round < rounds; round++) {
        const user = id(`recovery-race-${round}`);
        const { secret } = await enrolled(user);
        const asked = await mfa.requestRecovery(user);
        if (!asked.ok) throw new Error('requestRecovery failed');
        clock.set(asked.availableAt - 24 * HOUR);
        await mfa.remindRecovery(user);
        clock.set(asked.availableAt);
        const input = code(secret);
        const [login, completed] = await Promise.all([
          turns(round % 4).then(() => mfa.verifyLogin(user, input)),
          turns(Math.floor(round / 4) % 3).then(() => mfa.completeRecovery(user, { actor: 'conformance' })),
        ]);
        // Exactly one wins: the login (the request is cancelled) or the reset (the login finds no MFA).
        expect(login.ok !== completed.ok).toBe(true);
        const status = await mfa.getStatus(user);
        const open = (await mfa.recoveryStatus(user)).open;
        expect(open).toBe(false);
        if (login.ok) {
          loginsWon++;
          expect(completed).toEqual({ ok: false, reason: 'no_request' });
          expect(status.status).toBe('active');
        } else {
          completionsWon++;
          expect(login).toEqual({ ok: false, reason: 'not_enrolled' });
          expect(status).toMatchObject({ status: 'disabled', epoch: 1 });
        }
        clock.advance(30_000);
      }
      expect(loginsWon + completionsWon).toBe(rounds);
    });

    it('a login racing the final notice still cancels the recovery (no lost update of the request)', async () => {
      const { mfa, clock, code, enrolled } = harness(store(), 'recovery-remind-race', cipher);
      for (let round = 0; round < 8; round++) {
        const user = id(`recovery-remind-race-${round}`);
        const { secret, recoveryCodes } = await enrolled(user);
        const asked = await mfa.requestRecovery(user);
        if (!asked.ok) throw new Error('requestRecovery failed');
        clock.set(asked.availableAt - 24 * HOUR);
        const [login, reminded] = await Promise.all([
          turns(round % 4).then(() => mfa.verifyLogin(user, round % 2 === 0 ? code(secret) : recoveryCodes[0]!)),
          turns(3 - (round % 4)).then(() => mfa.remindRecovery(user)),
        ]);
        expect(login.ok).toBe(true);
        expect(reminded.ok || reminded.reason === 'no_request').toBe(true);
        expect((await mfa.recoveryStatus(user)).open).toBe(false);
        clock.set(asked.availableAt + 48 * HOUR);
        expect(await mfa.completeRecovery(user, { actor: 'conformance' })).toEqual({ ok: false, reason: 'no_request' });
        expect((await mfa.getStatus(user)).status).toBe('active');
      }
    });
  });
}
