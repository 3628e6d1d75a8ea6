import { describe, expect, it } from 'vitest';
import { aesGcmCipher, authenticators, createMfa, encryptedSecrets, MemoryStore, policies, reencryptAll, totp, type MfaStore, type ReencryptProgress, type SecretCipher } from '../../../../src/index.js';
import { FakeClock, seededRandom } from '../../../../src/testing/index.js';

const k1 = new Uint8Array(32).fill(1);
const k2 = new Uint8Array(32).fill(2);
const old = aesGcmCipher({ keys: { k1 }, current: 'k1' });
const both = aesGcmCipher({ keys: { k1, k2 }, current: 'k2' });

async function enrolled(store: MfaStore, users: string[], cipher?: SecretCipher) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 10));
  const mfa = createMfa({ store, issuer: 'Acme', clock, rng: seededRandom('rotate'), ...(cipher ? { features: [encryptedSecrets(cipher)] } : {}) });
  const secrets = new Map<string, Uint8Array>();
  for (const u of users) {
    const begun = await mfa.beginEnrollment(u, { account: u });
    if (!begun.ok) throw new Error('enrol');
    secrets.set(u, begun.secret);
    await mfa.confirmEnrollment(u, totp(begun.secret, { time: clock.now() }));
  }
  return { clock, secrets };
}

async function all(iterator: AsyncIterable<ReencryptProgress>): Promise<ReencryptProgress[]> {
  const out: ReencryptProgress[] = [];
  for await (const p of iterator) out.push(p);
  return out;
}

const secretOf = async (store: MfaStore, u: string) => ((await store.get(u)) as unknown as { method: { secret: string; secretSealed?: true } }).method;

describe('reencryptAll', () => {
  it('re-seals every secret under the current key, page by page, with a cursor to resume from', async () => {
    const store = new MemoryStore();
    await enrolled(store, ['a', 'b', 'c', 'd', 'e'], old);
    const progress = await all(reencryptAll(store, both, { batchSize: 2 }));
    expect(progress.map((p) => [p.scanned, p.rewritten, p.cursor, p.done])).toEqual([
      [2, 2, 'b', false],
      [4, 4, 'd', false],
      [5, 5, 'e', true],
    ]);
    for (const u of ['a', 'b', 'c', 'd', 'e']) expect(both.keyIdOf((await secretOf(store, u)).secret)).toBe('k2');
    // Nothing left: a second run rewrites nothing (no needless writes).
    expect((await all(reencryptAll(store, both))).at(-1)).toMatchObject({ scanned: 5, rewritten: 0, failed: 0 });
  });

  it('with the service features, re-seals the secrets a feature seals (a second authenticator) and the login still works', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 10));
    const service = (cipher: SecretCipher) => createMfa({ store, issuer: 'Acme', clock, rng: seededRandom('rotate-auth'), features: [authenticators(), encryptedSecrets(cipher)] });
    const mfa = service(old);
    const begun = await mfa.beginEnrollment('a', { account: 'a' });
    if (!begun.ok) throw new Error('enrol');
    await mfa.confirmEnrollment('a', totp(begun.secret, { time: clock.now() }));
    clock.advance(30_000);
    const added = await mfa.addAuthenticator('a', { name: 'Second phone', proof: { code: totp(begun.secret, { time: clock.now() }) } });
    if (!added.ok) throw new Error('add');
    clock.advance(30_000);
    expect((await mfa.confirmAuthenticator('a', added.id, totp(added.secret, { time: clock.now() }))).ok).toBe(true);
    const extraSecrets = async () =>
      ((await store.get('a')) as unknown as { authenticators: { extra: { method: { secret: string } }[] } }).authenticators.extra.map((x) => both.keyIdOf(x.method.secret));
    expect(await extraSecrets()).toEqual(['k1']);
    // Without the features the second secret is not seen; with them it is re-sealed.
    await all(reencryptAll(store, both));
    expect(await extraSecrets()).toEqual(['k1']);
    await all(reencryptAll(store, both, { features: [authenticators()] }));
    expect(await extraSecrets()).toEqual(['k2']);
    expect(both.keyIdOf((await secretOf(store, 'a')).secret)).toBe('k2');
    // Only the new key is needed now, for both authenticators.
    const onlyNew = service(aesGcmCipher({ keys: { k2 }, current: 'k2' }));
    clock.advance(30_000);
    expect(await onlyNew.verifyLogin('a', totp(added.secret, { time: clock.now() }))).toMatchObject({ ok: true });
  });

  it('resumes after a cursor', async () => {
    const store = new MemoryStore();
    await enrolled(store, ['a', 'b', 'c'], old);
    const progress = await all(reencryptAll(store, both, { after: 'a' }));
    expect(progress.at(-1)).toMatchObject({ scanned: 2, rewritten: 2 });
    expect(both.keyIdOf((await secretOf(store, 'a')).secret)).toBe('k1');
  });

  it('reports what it cannot re-seal: a key the cipher lacks, an invalid record; by key id, without secrets', async () => {
    const store = new MemoryStore();
    await enrolled(store, ['a', 'b'], old);
    await enrolled(store, ['c'], aesGcmCipher({ keys: { k9: new Uint8Array(32).fill(9) }, current: 'k9' }));
    await store.compareAndSet('d', null, { version: 1, kind: 'user', method: { type: 'totp', secret: 'v2.k1.x.y', secretSealed: true } });
    const last = (await all(reencryptAll(store, both))).at(-1)!;
    expect(last).toMatchObject({ scanned: 4, rewritten: 2, failed: 2, remainingOnOldKeys: 2 });
    expect(last.failures).toEqual([
      { userId: 'c', reason: 'cipher' },
      { userId: 'd', reason: 'invalid-record' },
    ]);
    expect(last.oldKeyIds).toEqual({ k9: 1 });
  });

  it('a record changed between the read and the write is read again and re-sealed from its new state', async () => {
    const inner = new MemoryStore();
    const { secrets, clock } = await enrolled(inner, ['a'], old);
    const mfa = createMfa({ store: inner, issuer: 'Acme', clock, features: [encryptedSecrets(old)] });
    let raced = false;
    const store: MfaStore = {
      get: (id) => inner.get(id),
      delete: (id) => inner.delete(id),
      list: (o) => inner.list(o),
      async compareAndSet(id, expected, record) {
        if (!raced) {
          raced = true; // a login (with the old cipher) lands just before the rotation's write
          clock.advance(30_000);
          expect((await mfa.verifyLogin('a', totp(secrets.get('a')!, { time: clock.now() }))).ok).toBe(true);
        }
        return inner.compareAndSet(id, expected, record);
      },
    };
    const last = (await all(reencryptAll(store, both))).at(-1)!;
    expect(last).toMatchObject({ rewritten: 1, failed: 0 });
    const method = (await inner.get('a')) as unknown as { method: { secret: string; lastStep: number } };
    expect(both.keyIdOf(method.method.secret)).toBe('k2');
    expect(method.method.lastStep).toBe(Math.floor(clock.now() / 30_000)); // the login was kept
  });

  it('seals plaintext secrets only when asked (sealPlaintext)', async () => {
    const store = new MemoryStore();
    await enrolled(store, ['a'], undefined);
    expect((await all(reencryptAll(store, both))).at(-1)).toMatchObject({ scanned: 1, rewritten: 0 });
    expect((await secretOf(store, 'a')).secretSealed).toBeUndefined();
    expect((await all(reencryptAll(store, both, { sealPlaintext: true }))).at(-1)).toMatchObject({ rewritten: 1 });
    expect(both.keyIdOf((await secretOf(store, 'a')).secret)).toBe('k2');
  });

  it('skips scope policies and records without a TOTP secret', async () => {
    const store = new MemoryStore();
    const mfa = createMfa({ store, issuer: 'Acme', features: [encryptedSecrets(old), policies()] });
    await mfa.setPolicy({ scope: 'org' }, { required: true }, { actor: 'root' });
    await mfa.setPolicy({ userId: 'p' }, { required: true }, { actor: 'root' });
    expect((await all(reencryptAll(store, both))).at(-1)).toMatchObject({ scanned: 1, rewritten: 0, failed: 0 });
  });

  it('stops on an aborted signal', async () => {
    const store = new MemoryStore();
    await enrolled(store, ['a', 'b', 'c'], old);
    const controller = new AbortController();
    const seen: ReencryptProgress[] = [];
    await expect(
      (async () => {
        for await (const p of reencryptAll(store, both, { batchSize: 1, signal: controller.signal })) {
          seen.push(p);
          controller.abort();
        }
      })(),
    ).rejects.toThrow();
    expect(seen).toHaveLength(1);
    expect(both.keyIdOf((await secretOf(store, 'c')).secret)).toBe('k1');
  });

  it('refuses a store without list, a cipher without needsRotation and a bad batch size', async () => {
    const inner = new MemoryStore();
    const bare: MfaStore = { get: (id) => inner.get(id), compareAndSet: (i, e, r) => inner.compareAndSet(i, e, r), delete: (id) => inner.delete(id) };
    await expect(all(reencryptAll(bare, both))).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    const plain: SecretCipher = { encrypt: both.encrypt, decrypt: both.decrypt };
    await expect(all(reencryptAll(inner, plain))).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    for (const batchSize of [0, 1001, 1.5]) await expect(all(reencryptAll(inner, both, { batchSize }))).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});
