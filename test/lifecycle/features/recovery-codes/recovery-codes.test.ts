// recoveryCodes(): the opt-in feature that issues, checks and regenerates the lifecycle's recovery
// codes — and what a service without it does with a stored set (keeps it, never reads it).
import { describe, expect, it } from 'vitest';
import {
  createMfa,
  generateRecoveryCodes,
  MemoryStore,
  oneTimeCodes,
  packRecoveryCodes,
  recoveryCodes,
  totp,
  type MfaEvent,
  type MfaFeature,
  type OneTimeCodeMessage,
  type StoredRecord,
} from '../../../../src/index.js';
import { FakeClock, seededRandom } from '../../../../src/testing/index.js';
import { enrolledUser } from '../../../support/enrolled-user.js';

const T0 = Date.UTC(2026, 6, 1, 9, 0, 10);

function service<const F extends readonly MfaFeature[] = []>(features?: F) {
  const clock = new FakeClock(T0);
  const store = new MemoryStore();
  const events: MfaEvent[] = [];
  const mfa = createMfa({ store, issuer: 'Acme', clock, rng: seededRandom('rc-feature'), onEvent: (e) => void events.push(e), features: (features ?? []) as F });
  return { mfa, clock, store, events };
}

describe('recoveryCodes(): with the feature', () => {
  it('confirm shows the codes once and stores only their hashes; a code logs in once; the status counts what is left', async () => {
    const { mfa, clock, store, events } = service([recoveryCodes({ count: 6 })]);
    const { recoveryCodes: codes } = await enrolledUser(mfa, clock);
    expect(codes).toHaveLength(6);
    const raw = JSON.stringify(await store.get('alice'));
    for (const c of codes) expect(raw).not.toContain(c);
    expect(events).toContainEqual(expect.objectContaining({ type: 'confirmed', recoveryCodes: 6 }));
    expect(await mfa.verifyLogin('alice', codes[2]!.toLowerCase())).toEqual({ ok: true, method: 'recovery', remainingRecoveryCodes: 5, epoch: 0 });
    expect(await mfa.verifyLogin('alice', codes[2]!)).toEqual({ ok: false, reason: 'replayed' });
    expect(events.filter((e) => e.type === 'recovery_used')).toEqual([{ type: 'recovery_used', userId: 'alice', at: T0 + 30_000, remaining: 5 }]);
    expect((await mfa.getStatus('alice')).remainingRecoveryCodes).toBe(5);
  });

  it('regenerateRecoveryCodes with a proof replaces the set: old codes stop working, new ones work', async () => {
    const { mfa, clock, events } = service([recoveryCodes()]);
    const user = await enrolledUser(mfa, clock);
    expect(await mfa.regenerateRecoveryCodes('alice', { code: '000000' })).toMatchObject({ ok: false });
    const regenerated = await mfa.regenerateRecoveryCodes('alice', { code: user.recoveryCodes[0]! });
    if (!regenerated.ok) throw new Error(regenerated.reason);
    expect(regenerated.recoveryCodes).toHaveLength(10);
    expect(events.at(-1)).toEqual({ type: 'codes_regenerated', userId: 'alice', at: T0 + 30_000, count: 10 });
    expect(await mfa.verifyLogin('alice', user.recoveryCodes[1]!)).toEqual({ ok: false, reason: 'mismatch' });
    expect(await mfa.verifyLogin('alice', regenerated.recoveryCodes[1]!)).toMatchObject({ ok: true, method: 'recovery', remainingRecoveryCodes: 9 });
  });

  it('a record holding a set made with the standalone API (what the lifecycle has always stored) logs in', async () => {
    const { mfa, clock, store } = service([recoveryCodes()]);
    await enrolledUser(mfa, clock);
    const stored = (await store.get('alice'))!;
    const { codes, hashes } = generateRecoveryCodes({ count: 3, rng: seededRandom('older') });
    await store.compareAndSet('alice', stored.version, { ...stored, version: stored.version + 1, recoveryCodes: packRecoveryCodes(hashes) } as StoredRecord);
    expect(await mfa.verifyLogin('alice', codes[1]!)).toMatchObject({ ok: true, method: 'recovery', remainingRecoveryCodes: 2 });
  });

  it('options are checked when the feature is made; a second recovery-code feature is refused', () => {
    for (const bad of [{ count: 101 }, { count: -1 }, { lowThreshold: 1.5 }]) {
      expect(() => recoveryCodes(bad)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    }
    expect(() => service([recoveryCodes(), recoveryCodes()])).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('count 0 issues none, and regenerate then answers ok with none', async () => {
    const { mfa, clock } = service([recoveryCodes({ count: 0 })]);
    const user = await enrolledUser(mfa, clock);
    expect(user.recoveryCodes).toEqual([]);
    expect(await mfa.regenerateRecoveryCodes('alice', { code: totp(user.secret, { time: clock.now() }) })).toEqual({ ok: true, recoveryCodes: [] });
  });
});

describe('recoveryCodes(): without the feature', () => {
  it('confirm issues no codes, a recovery-shaped input is `format`, the status counts none', async () => {
    const { mfa, clock, store, events } = service();
    const user = await enrolledUser(mfa, clock);
    expect(user.recoveryCodes).toEqual([]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'confirmed', recoveryCodes: 0 }));
    expect((await store.get('alice'))!.recoveryCodes).toBeNull();
    expect(await mfa.verifyLogin('alice', 'ABCD-EFGH-JKMN')).toEqual({ ok: false, reason: 'format' });
    expect(await mfa.getStatus('alice')).toMatchObject({ status: 'active', remainingRecoveryCodes: 0 });
  });

  it('has no regenerateRecoveryCodes method; the command through execute names the feature', async () => {
    const { mfa, clock } = service();
    await enrolledUser(mfa, clock);
    expect('regenerateRecoveryCodes' in mfa).toBe(false);
    await expect(mfa.execute('alice', { type: 'regenerateRecoveryCodes', proof: { fresh: true } })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('features'),
    });
  });

  it('the former createMfa({ recoveryCodes }) option is INVALID_OPTION naming the feature', () => {
    expect(() => createMfa({ store: new MemoryStore(), issuer: 'Acme', recoveryCodes: { count: 8 } as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringContaining('recoveryCodes(') }),
    );
  });

  it('oneTimeCodes({ recoveryCodes: true }) issues codes only with the feature', async () => {
    const outbox: OneTimeCodeMessage[] = [];
    const sender = { send: async (m: OneTimeCodeMessage) => void outbox.push(m) };
    for (const [withCodes, count] of [[false, 0], [true, 10]] as const) {
      const email = oneTimeCodes({ sender, recoveryCodes: true });
      const { mfa } = withCodes ? service([recoveryCodes(), email]) : service([email]);
      await mfa.beginEnrollment('erin', { method: 'email', destination: 'erin@example.com' });
      const confirmed = await mfa.confirmEnrollment('erin', outbox.at(-1)!.code);
      expect(confirmed.ok && confirmed.recoveryCodes.length).toBe(count);
    }
  });

  it('a set written with the feature stays as stored through logins, and works again once the feature is back', async () => {
    const on = service([recoveryCodes()]);
    const user = await enrolledUser(on.mfa, on.clock);
    const before = (await on.store.get('alice'))!.recoveryCodes;
    const off = createMfa({ store: on.store, issuer: 'Acme', clock: on.clock });
    expect(await off.verifyLogin('alice', user.recoveryCodes[0]!)).toEqual({ ok: false, reason: 'format' });
    expect(await off.verifyLogin('alice', totp(user.secret, { time: on.clock.now() }))).toMatchObject({ ok: true, method: 'totp', remainingRecoveryCodes: 0 });
    expect((await on.store.get('alice'))!.recoveryCodes).toEqual(before);
    expect(await on.mfa.verifyLogin('alice', user.recoveryCodes[0]!)).toMatchObject({ ok: true, method: 'recovery', remainingRecoveryCodes: 9 });
    // A reset clears the set with the factor, with or without the feature.
    on.clock.advance(30_000);
    expect((await off.adminReset('alice', { actor: 'root' })).ok).toBe(true);
    expect((await on.store.get('alice'))!.recoveryCodes).toBeNull();
  });
});
