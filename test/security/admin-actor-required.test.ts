// Administrative calls name who made them, and are audited even when they change nothing: an audit
// log that skips "nothing to do" calls cannot show an administrator probing accounts. `adminReset`
// and `setPolicy` without `actor` are misuse (INVALID_OPTION); a hostile actor (control character,
// lone surrogate) is INVALID_INPUT; neither writes anything.
import { describe, expect, it } from 'vitest';
import { createMfa, MemoryStore, policies, type MfaEvent } from '../../src/index.js';
import { FakeClock, seededRandom } from '../../src/testing/index.js';

function setup() {
  const store = new MemoryStore();
  const events: MfaEvent[] = [];
  const mfa = createMfa({
    store,
    issuer: 'Acme',
    clock: new FakeClock(Date.UTC(2026, 0, 1)),
    rng: seededRandom('actor'),
    onEvent: (e) => events.push(e),
    features: [policies()],
  });
  return { store, mfa, events };
}

const MISSING: readonly [string, unknown][] = [
  ['no options', undefined],
  ['no actor', {}],
  ['empty actor', { actor: '' }],
  ['non-string actor', { actor: 42 }],
  ['too long', { actor: 'a'.repeat(257) }],
];
const HOSTILE: readonly [string, string][] = [
  ['NUL', 'root\u0000'],
  ['newline (forged log line)', 'root\nreset by=user'],
  ['lone surrogate', 'root\uD800'],
];

describe('administrative calls require an actor', () => {
  for (const [name, options] of MISSING) {
    it(`adminReset, unlock, setPolicy (user and scope): ${name} → INVALID_OPTION, nothing written`, async () => {
      const { store, mfa, events } = setup();
      await expect(mfa.unlock('alice', options as never)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
      await expect(mfa.adminReset('alice', options as never)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
      await expect(mfa.setPolicy({ userId: 'alice' }, { required: true }, options as never)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
      await expect(mfa.setPolicy({ scope: 'org' }, { required: true }, options as never)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
      expect(await store.get('alice')).toBeNull();
      expect(await mfa.getPolicy({ scope: 'org' })).toBeNull();
      expect(events).toEqual([]);
    });
  }
  for (const [name, actor] of HOSTILE) {
    it(`hostile actor: ${name} → INVALID_INPUT`, async () => {
      const { store, mfa, events } = setup();
      await expect(mfa.adminReset('alice', { actor })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(mfa.unlock('alice', { actor })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(mfa.setPolicy({ userId: 'alice' }, { required: true }, { actor })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(mfa.setPolicy({ scope: 'org' }, { required: true }, { actor })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(await store.get('alice')).toBeNull();
      expect(events).toEqual([]);
    });
  }
});

describe('a no-op administrative call is still audited', () => {
  it('adminReset of a user without MFA emits reset { unchanged: true, actor }', async () => {
    const { mfa, events } = setup();
    expect(await mfa.adminReset('alice', { actor: 'root' })).toEqual({ ok: true, previous: 'disabled' });
    expect(events).toEqual([{ type: 'reset', userId: 'alice', at: Date.UTC(2026, 0, 1), by: 'admin', actor: 'root', unchanged: true }]);
  });

  it('setPolicy to the value already set emits policy_changed { unchanged: true, actor } (user and scope)', async () => {
    const { mfa, events } = setup();
    await mfa.setPolicy({ userId: 'alice' }, { required: true }, { actor: 'root' });
    await mfa.setPolicy({ userId: 'alice' }, { required: true }, { actor: 'mallory' });
    await mfa.setPolicy({ scope: 'org' }, null, { actor: 'mallory' });
    expect(events).toMatchObject([
      { type: 'policy_changed', userId: 'alice', required: true, actor: 'root' },
      { type: 'policy_changed', userId: 'alice', required: true, actor: 'mallory', unchanged: true },
      { type: 'scope_policy_changed', scope: 'org', required: null, actor: 'mallory', unchanged: true },
    ]);
    expect(events[0]).not.toHaveProperty('unchanged');
  });
});
