// Operator story: an admin rotates the master key that encrypts the TOTP secrets at rest, while
// users keep logging in; the admin screen lists users and their MFA status page by page. Replayed
// as a backend would call mfakit: new cipher deployed (new key current, old key still held),
// reencryptAll run with its progress report, old key retired once nothing needs it.
import { describe, expect, it } from 'vitest';
import { aesGcmCipher, createMfa, encryptedSecrets, policies, recoveryCodes, reencryptAll, userListing, type ReencryptProgress } from '../../src/index.js';
import { authenticatorApp, backend, nextStep } from './_harness.js';

const k2025 = crypto.getRandomValues(new Uint8Array(32));
const k2026 = crypto.getRandomValues(new Uint8Array(32));
const before = aesGcmCipher({ keys: { k2025 }, current: 'k2025' });
const during = aesGcmCipher({ keys: { k2025, k2026 }, current: 'k2026' });
const after = aesGcmCipher({ keys: { k2026 }, current: 'k2026' });

describe('operator story: the admin rotates the master key', () => {
  const { mfa, clock, store } = backend('Acme Cloud', { features: [recoveryCodes(), userListing(), policies(), encryptedSecrets(before)] });
  const phones = new Map<string, ReturnType<typeof authenticatorApp>>();
  const shownCodes = new Map<string, readonly string[]>();
  // The same store, after the redeploy with the new key current (the old one still decrypts).
  const redeployed = createMfa({ store, issuer: 'Acme Cloud', clock, features: [recoveryCodes(), userListing(), policies(), encryptedSecrets(during)] });
  const keyOf = async (userId: string): Promise<string | null> =>
    during.keyIdOf(((await store.get(userId)) as unknown as { method: { secret: string } }).method.secret);

  it('users have enrolled over the year under k2025; the admin screen lists them with their MFA status', async () => {
    for (const user of ['alice', 'bob', 'carol', 'dave']) {
      const enrollment = await mfa.beginEnrollment(user, { account: `${user}@acme.example` });
      if (!enrollment.ok) throw new Error('enrolment');
      phones.set(user, authenticatorApp(clock, enrollment.secret));
      if (user === 'dave') continue; // dave scanned the QR code but never confirmed
      const confirmed = await mfa.confirmEnrollment(user, phones.get(user)!.code());
      if (!confirmed.ok) throw new Error('confirm');
      shownCodes.set(user, confirmed.recoveryCodes);
    }
    await mfa.setPolicy({ scope: 'org:acme' }, { required: true }, { actor: 'root' }); // kept in the same store
    const first = await mfa.listUsers({ limit: 3 });
    const second = await mfa.listUsers({ after: first.next, limit: 3 });
    expect([...first.users, ...second.users].map((u) => [u.userId, u.status?.status])).toEqual([
      ['alice', 'active'],
      ['bob', 'active'],
      ['carol', 'active'],
      ['dave', 'pending'],
    ]);
    expect(second.next).toBeNull();
    for (const user of ['alice', 'bob', 'carol', 'dave']) expect(await keyOf(user)).toBe('k2025');
  });

  it('ops deploy k2026 as the current key, keeping k2025 to decrypt; a user who logs in is re-sealed at once', async () => {
    nextStep(clock);
    expect((await redeployed.verifyLogin('alice', phones.get('alice')!.code())).ok).toBe(true);
    expect(await keyOf('alice')).toBe('k2026');
    expect(await keyOf('bob')).toBe('k2025');
  });

  it('the admin runs the rotation; bob logs in while it runs and his login is not lost', async () => {
    const progress: ReencryptProgress[] = [];
    let bobLoggedIn = false;
    for await (const p of reencryptAll(store, during, { batchSize: 1 })) {
      progress.push(p);
      if (!bobLoggedIn) {
        bobLoggedIn = (await redeployed.verifyLogin('bob', phones.get('bob')!.code())).ok;
      }
    }
    expect(bobLoggedIn).toBe(true);
    const report = progress.at(-1)!;
    // alice and bob were re-sealed by their logins (bob's landed after the first page); carol and dave by the run.
    expect(report).toMatchObject({ done: true, scanned: 4, rewritten: 2, failed: 0, remainingOnOldKeys: 0 });
    for (const user of ['alice', 'bob', 'carol', 'dave']) expect(await keyOf(user)).toBe('k2026');
    expect(await redeployed.verifyLogin('bob', phones.get('bob')!.code())).toMatchObject({ ok: false, reason: 'replayed' });
    // The recovery codes were hashed with a pepper derived from k2025: the report says who still needs it.
    expect(report.recoveryCodesOnOldKeys).toBe(3);
  });

  it('users regenerate their recovery codes; the next run reports nothing left on k2025', async () => {
    for (const user of ['alice', 'bob', 'carol']) {
      nextStep(clock);
      const regenerated = await redeployed.regenerateRecoveryCodes(user, { code: phones.get(user)!.code() });
      if (!regenerated.ok) throw new Error(`regenerate: ${regenerated.reason}`);
      shownCodes.set(user, regenerated.recoveryCodes);
    }
    let report: ReencryptProgress | undefined;
    for await (const p of reencryptAll(store, during)) report = p;
    expect(report).toMatchObject({ done: true, rewritten: 0, remainingOnOldKeys: 0, recoveryCodesOnOldKeys: 0 });
  });

  it('k2025 is retired: with k2026 alone every user logs in, by code or by recovery code', async () => {
    const retired = createMfa({ store, issuer: 'Acme Cloud', clock, features: [recoveryCodes(), encryptedSecrets(after)] });
    nextStep(clock);
    for (const user of ['alice', 'bob']) expect((await retired.verifyLogin(user, phones.get(user)!.code())).ok).toBe(true);
    expect((await retired.verifyLogin('carol', shownCodes.get('carol')![0]!)).ok).toBe(true);
    expect((await retired.confirmEnrollment('dave', phones.get('dave')!.code())).ok).toBe(true);
  });
});
