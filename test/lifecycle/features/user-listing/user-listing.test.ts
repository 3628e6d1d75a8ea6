import { describe, expect, it } from 'vitest';
import { createMfa, MemoryStore, policies, userListing, type MfaStore } from '../../../../src/index.js';
import { FakeClock, seededRandom } from '../../../../src/testing/index.js';

/** A MemoryStore counting the calls that reach it. */
function counted() {
  const inner = new MemoryStore();
  const calls = { get: 0, list: 0, compareAndSet: 0 };
  const store: MfaStore = {
    get: (id) => (id.startsWith('mfakit:') || calls.get++, inner.get(id)), // counts user-record reads only
    compareAndSet: (id, e, r) => (calls.compareAndSet++, inner.compareAndSet(id, e, r)),
    delete: (id) => inner.delete(id),
    list: (o) => (calls.list++, inner.list(o)),
  };
  return { store, calls, inner };
}

function service(store: MfaStore, policyScopes?: (userId: string) => string[]) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 10));
  return createMfa({ store, issuer: 'Acme', clock, rng: seededRandom('listing'), features: [userListing(), policies(policyScopes ? { scopes: policyScopes } : {})] });
}

describe('userListing: listUsers', () => {
  it('one store round trip per page: no read of any user record', async () => {
    const { store, calls } = counted();
    const mfa = service(store, (u) => (u.endsWith('0') ? ['org:a', 'org:b'] : ['org:a']));
    for (let i = 0; i < 60; i++) await mfa.beginEnrollment(`u${String(i).padStart(2, '0')}`, { account: 'x' });
    await mfa.setPolicy({ scope: 'org:a' }, { required: true }, { actor: 'root' });
    calls.get = 0;
    calls.list = 0;
    const page = await mfa.listUsers({ limit: 50 });
    expect(page.users).toHaveLength(50);
    expect(page.next).toBe('u49');
    // The scope policy record ('mfakit:policy:org:a') sorts before the users and takes a slot of the
    // first store page, so a second one fills the 50th user: two store pages, never one read per user.
    expect(calls.list).toBe(2);
    expect(calls.get).toBe(0); // no user record is read: they come with the page
    for (const user of page.users) expect(user.status).toEqual(await mfa.getStatus(user.userId));
    expect(page.users[0]!.status).toMatchObject({ status: 'pending', required: true, loginRequirement: 'confirm' });
  });

  it('scope policies and other reserved records are never users; a page still fills to its limit', async () => {
    const { store } = counted();
    const mfa = service(store);
    for (let i = 0; i < 30; i++) await mfa.setPolicy({ scope: `s${i}` }, { required: true }, { actor: 'root' });
    for (const u of ['a', 'mfakit', 'n', 'z']) await mfa.beginEnrollment(u, { account: 'x' }); // 'mfakit:…' sorts between
    const first = await mfa.listUsers({ limit: 3 });
    expect(first.users.map((u) => u.userId)).toEqual(['a', 'mfakit', 'n']);
    const second = await mfa.listUsers({ after: first.next, limit: 3 });
    expect(second).toMatchObject({ users: [{ userId: 'z' }], next: null });
  });

  it('an invalid record is listed with status null rather than failing the page', async () => {
    const { store, inner } = counted();
    const mfa = service(store);
    await mfa.beginEnrollment('a', { account: 'x' });
    await inner.compareAndSet('b', null, { version: 1, schema: 99 });
    await mfa.beginEnrollment('c', { account: 'x' });
    const page = await mfa.listUsers();
    expect(page.users.map((u) => [u.userId, u.status === null])).toEqual([
      ['a', false],
      ['b', true],
      ['c', false],
    ]);
  });

  it('an empty store: no users, no next', async () => {
    expect(await service(new MemoryStore()).listUsers()).toEqual({ users: [], next: null });
  });

  it('refuses a bad limit, and a store without list', async () => {
    const mfa = service(new MemoryStore());
    for (const limit of [0, 1001, 2.5]) await expect(mfa.listUsers({ limit })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    const inner = new MemoryStore();
    const bare = service({ get: (id) => inner.get(id), compareAndSet: (i, e, r) => inner.compareAndSet(i, e, r), delete: (id) => inner.delete(id) });
    await expect(bare.listUsers()).rejects.toMatchObject({ code: 'INVALID_OPTION', message: expect.stringContaining('list') });
  });
});
