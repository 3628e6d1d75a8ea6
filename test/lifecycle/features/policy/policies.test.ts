// Enforcement policies as an opt-in feature: `policies({ scopes })` brings setPolicy/getPolicy and
// the scope lookups; the old `createMfa({ policyScopes })` fails naming it (an ignored option would
// silently stop enforcing an organisation's policy), and a per-user policy stored while the feature
// was on still binds the user on a service without it.
// Fails on the code before this change: `policies` did not exist and `policyScopes` was accepted.
import { describe, expect, it } from 'vitest';
import { createMfa, MemoryStore, policies, totp } from '../../../../src/index.js';
import { FakeClock, seededRandom } from '../../../../src/testing/index.js';
import { enrolledUser } from '../../../support/enrolled-user.js';

describe('policies()', () => {
  it('createMfa({ policyScopes }) is INVALID_OPTION naming policies({ scopes })', () => {
    expect(() => createMfa({ store: new MemoryStore(), issuer: 'Acme', policyScopes: () => ['org'] } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: 'policyScopes needs the policies({ scopes }) feature: createMfa({ features: [policies({ scopes })] })' }),
    );
  });

  it('scopes must be a function', () => {
    expect(() => policies({ scopes: ['org'] as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('without it the service has no setPolicy/getPolicy, and the setUserPolicy command is refused', async () => {
    const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme' });
    expect('setPolicy' in mfa).toBe(false);
    expect('getPolicy' in mfa).toBe(false);
    await expect(mfa.execute('alice', { type: 'setUserPolicy', required: true, actor: 'admin' })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('scope policies apply to the members of the scope: enrol, and no disable while one applies', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 10));
    const mfa = createMfa({ store, issuer: 'Acme', clock, rng: seededRandom('pol'), features: [policies({ scopes: (u) => (u === 'alice' ? ['org'] : []) })] });
    expect(await mfa.setPolicy({ scope: 'org' }, { required: true }, { actor: 'admin' })).toEqual({ ok: true, policy: { required: true }, changed: true });
    expect(await mfa.loginRequirement('alice')).toBe('enroll');
    expect(await mfa.loginRequirement('bob')).toBe('none');
    const { secret } = await enrolledUser(mfa, clock);
    expect(await mfa.disable('alice', { code: totp(secret, { time: clock.now() }) })).toEqual({ ok: false, reason: 'policy' });
    expect((await mfa.getStatus('alice')).required).toBe(true);
  });

  it('a per-user policy stored with the feature still counts on a service without it', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 10));
    const admin = createMfa({ store, issuer: 'Acme', clock, features: [policies()] });
    expect((await admin.setPolicy({ userId: 'alice' }, { required: true }, { actor: 'admin' })).changed).toBe(true);
    const plain = createMfa({ store, issuer: 'Acme', clock, rng: seededRandom('plain') });
    expect(await plain.loginRequirement('alice')).toBe('enroll');
    const { secret } = await enrolledUser(plain, clock);
    expect(await plain.disable('alice', { code: totp(secret, { time: clock.now() }) })).toEqual({ ok: false, reason: 'policy' });
  });
});
