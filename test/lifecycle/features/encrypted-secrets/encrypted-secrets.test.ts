// Secrets at rest as an opt-in feature: `encryptedSecrets(cipher)` is the only way in. The old
// `createMfa({ cipher })` / `{ requireSealed }` options fail loudly naming the feature (never ignored:
// an ignored cipher would store new secrets in clear), records sealed before the change read as they
// are, and a sealed record on a service without the feature is a typed failure, never a key.
// Fails on the code before this change: `encryptedSecrets` did not exist and `cipher` was accepted.
import { describe, expect, it } from 'vitest';
import { aesGcmCipher, createMfa, encodeBase32, encryptedSecrets, MemoryStore, recoveryCodes, totp, type SecretCipher } from '../../../../src/index.js';
import { FakeClock, seededRandom } from '../../../../src/testing/index.js';
import { enrolledUser } from '../../../support/enrolled-user.js';

const k1 = new Uint8Array(32).fill(0x41);
const cipher = aesGcmCipher({ keys: { k1 }, current: 'k1' });

describe('encryptedSecrets(cipher)', () => {
  it('createMfa({ cipher }) and ({ requireSealed }) are INVALID_OPTION naming the feature to import', () => {
    for (const old of [{ cipher }, { requireSealed: true }, { cipher, requireSealed: false }]) {
      expect(() => createMfa({ store: new MemoryStore(), issuer: 'Acme', ...old } as never)).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringContaining('features: [encryptedSecrets(cipher, { requireSealed })]') }),
      );
    }
  });

  it('something that is not a SecretCipher is INVALID_OPTION', () => {
    for (const bad of [undefined, null, 'key', {}, { encrypt: async () => '' }]) {
      expect(() => encryptedSecrets(bad as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    }
  });

  it('reads a record sealed in the stored form written before it existed (no migration), and keeps it sealed', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 10));
    const secret = new Uint8Array(20).fill(9);
    // The stored form mfakit has always written with a cipher: method.secret sealed with the purpose
    // `totp-secret` and the user id as context, `secretSealed: true`.
    const sealed = await cipher.encrypt(secret, { userId: 'alice', purpose: 'totp-secret' });
    const at = clock.now() - 60_000;
    await store.compareAndSet('alice', null, {
      schema: 2, kind: 'user', version: 1, userId: 'alice', status: 'active',
      method: { type: 'totp', secret: sealed, secretSealed: true, algorithm: 'SHA1', digits: 6, period: 30, lastStep: null, account: 'alice@example.com', createdAt: at },
      recoveryCodes: null, failures: 0, lockedUntil: null, policy: null, createdAt: at, updatedAt: at, activatedAt: at,
    } as never);
    const mfa = createMfa({ store, issuer: 'Acme', clock, features: [encryptedSecrets(cipher)] });
    expect((await mfa.verifyLogin('alice', totp(secret, { time: clock.now() }))).ok).toBe(true);
    const after = (await store.get('alice')) as unknown as { method: { secret: string; secretSealed?: true } };
    expect(after.method).toMatchObject({ secret: sealed, secretSealed: true });
  });

  it('new secrets are sealed; without the feature a sealed record is CIPHER_FAILURE naming it, with no secret in the message', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 10));
    const sealedMfa = createMfa({ store, issuer: 'Acme', clock, rng: seededRandom('es'), features: [encryptedSecrets(cipher)] });
    const { secret } = await enrolledUser(sealedMfa, clock);
    const raw = JSON.stringify(await store.get('alice'));
    expect(raw).toContain('"secretSealed":true');
    expect(raw).not.toContain(encodeBase32(secret));
    const plain = createMfa({ store, issuer: 'Acme', clock });
    const failure = await plain.verifyLogin('alice', totp(secret, { time: clock.now() })).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'CIPHER_FAILURE', message: expect.stringContaining('encryptedSecrets(cipher)') });
    expect(String((failure as Error).message)).not.toMatch(/v2\.k1\./);
    await expect(plain.pendingEnrollment('alice')).rejects.toMatchObject({ code: 'CIPHER_FAILURE' });
  });

  it('with recoveryCodes(), the cipher also keys the recovery-code hashes (pepper derived from its current key)', async () => {
    const calls: string[] = [];
    const recording: SecretCipher = {
      encrypt: (p, c) => (calls.push(`encrypt:${c.purpose}`), cipher.encrypt(p, c)),
      decrypt: (s, c) => (calls.push(`decrypt:${c.purpose}`), cipher.decrypt(s, c)),
      derivePepper: (id) => (calls.push('pepper'), cipher.derivePepper(id)),
    };
    const store = new MemoryStore();
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 10));
    const mfa = createMfa({ store, issuer: 'Acme', clock, features: [encryptedSecrets(recording), recoveryCodes()] });
    await enrolledUser(mfa, clock);
    expect(calls).toContain('encrypt:totp-secret');
    expect(calls).toContain('pepper');
    expect((await store.get('alice'))!.recoveryCodes).toMatchObject({ pepperId: 'k1' });
  });
});
