// verifyApiKey: the owner of a Bearer key from the key alone, through the store's lookup index.
import { describe, expect, it } from 'vitest';
import { apiPasswords, createMfa, MemoryStore, type MfaStore } from '../../../../src/index.js';
import { seededRandom } from '../../../../src/testing/index.js';

const service = (store: MfaStore = new MemoryStore(), options: Parameters<typeof apiPasswords>[0] = { maxPerUser: 3 }) =>
  createMfa({ store, issuer: 'Acme', rng: seededRandom('verify-api-key'), features: [apiPasswords(options)] });

describe('verifyApiKey', () => {
  it('answers the owner, the key id and the label; each user only for their own keys', async () => {
    const mfa = service();
    const a = await mfa.issueApiPassword('alice', { label: 'deploy' });
    const b = await mfa.issueApiPassword('bob');
    if (!a.ok || !b.ok) throw new Error('issue');
    expect(await mfa.verifyApiKey(a.password)).toEqual({ ok: true, userId: 'alice', keyId: a.id, label: 'deploy' });
    expect(await mfa.verifyApiKey(b.password)).toEqual({ ok: true, userId: 'bob', keyId: b.id, label: '' });
  });

  it('format for a typo or an old-style password, unknown_key for a key id nobody holds, mismatch for a wrong secret', async () => {
    const mfa = service();
    const a = await mfa.issueApiPassword('alice');
    if (!a.ok) throw new Error('issue');
    expect(await mfa.verifyApiKey(a.password.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).toEqual({ ok: false, reason: 'format' });
    const legacy = service(new MemoryStore(), { withKeyId: false });
    const old = await legacy.issueApiPassword('carol');
    if (!old.ok) throw new Error('issue');
    expect(old.password).toMatch(/^mfak_[0-9A-Za-z]{38}$/);
    expect(await legacy.verifyApiKey(old.password)).toEqual({ ok: false, reason: 'format' });
    expect((await legacy.verifyApiPassword('carol', old.password)).ok).toBe(true);
    // A well-formed key (valid checksum) from another service: its key id is unknown here.
    const elsewhere = await service().issueApiPassword('mallory');
    if (!elsewhere.ok) throw new Error('issue');
    const foreign = await service(new MemoryStore()).verifyApiKey(elsewhere.password);
    expect(foreign).toEqual({ ok: false, reason: 'unknown_key' });
    // Same key id, another secret, checksum made valid: the stored hash refuses it.
    const { createApiPassword } = await import('../../../../src/index.js');
    const forged = createApiPassword([], { now: 0, withKeyId: true, rng: seededRandom('forged') });
    if (!forged.ok) throw new Error('forge');
    const store = new MemoryStore();
    const victim = service(store);
    const real = await victim.issueApiPassword('victim');
    if (!real.ok) throw new Error('issue');
    const { checksumFor } = await import('./checksum-helper.js');
    const head = `mfak_${real.id}_${forged.password.slice(18, 50)}`;
    expect(await victim.verifyApiKey(head + checksumFor(head))).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('a store without lookup is a configuration error (INVALID_OPTION), whatever the input', async () => {
    const inner = new MemoryStore();
    const bare: MfaStore = { get: (id) => inner.get(id), compareAndSet: (id, v, r) => inner.compareAndSet(id, v, r), delete: (id) => inner.delete(id) };
    const mfa = service(bare);
    await expect(mfa.verifyApiKey('anything')).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('a replaced key (one per user) stops resolving; the new one resolves', async () => {
    const mfa = service(new MemoryStore(), {});
    const first = await mfa.issueApiPassword('alice');
    const second = await mfa.issueApiPassword('alice');
    if (!first.ok || !second.ok) throw new Error('issue');
    expect(second.replaced).toEqual([first.id]);
    expect(await mfa.verifyApiKey(first.password)).toEqual({ ok: false, reason: 'unknown_key' });
    expect(await mfa.verifyApiKey(second.password)).toMatchObject({ ok: true, userId: 'alice' });
  });

  it('the record holds lookupKeys apikey:<id> for exactly the live keys, and never the key', async () => {
    const store = new MemoryStore();
    const mfa = service(store);
    const a = await mfa.issueApiPassword('alice');
    const b = await mfa.issueApiPassword('alice');
    if (!a.ok || !b.ok) throw new Error('issue');
    await mfa.revokeApiPassword('alice', a.id);
    const record = (await store.get('alice'))!;
    expect(record.lookupKeys).toEqual([`apikey:${b.id}`]);
    expect(JSON.stringify(record)).not.toContain(b.password);
  });
});
