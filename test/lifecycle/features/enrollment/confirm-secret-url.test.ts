// confirmEnrollment(userId, code, { secretUrl }): the client sends back the otpauth URI it was shown;
// a URI of another (replaced) enrolment answers uri_mismatch. Fails on the code before it: the
// option was ignored and the confirmation succeeded.
import { describe, expect, it } from 'vitest';
import { createMfa, MemoryStore, totp } from '../../../../src/index.js';
import { FakeClock, seededRandom } from '../../../../src/testing/index.js';

describe('confirmEnrollment with the secretUrl the client was shown', () => {
  it('uri_mismatch unless the URI holds the pending secret (nothing counted, nothing written)', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 12) + 10_000);
    const mfa = createMfa({ store, issuer: 'Acme', clock, rng: seededRandom(4) });
    const code = (secret: Uint8Array) => totp(secret, { time: clock.now() });
    const first = await mfa.beginEnrollment('alice', { account: 'alice@example.com' });
    const second = await mfa.beginEnrollment('alice', { account: 'alice@example.com' });
    if (!first.ok || !second.ok) throw new Error('begin');
    const before = await store.get('alice');
    expect(await mfa.confirmEnrollment('alice', code(second.secret), { secretUrl: first.uri })).toEqual({ ok: false, reason: 'uri_mismatch' });
    expect(await mfa.confirmEnrollment('alice', code(second.secret), { secretUrl: 'not a uri\u0000' })).toEqual({ ok: false, reason: 'uri_mismatch' });
    expect(await mfa.confirmEnrollment('alice', code(second.secret), { secretUrl: 'otpauth://totp/A:b?secret=%%%' })).toEqual({ ok: false, reason: 'uri_mismatch' });
    expect(await store.get('alice')).toEqual(before);
    expect(await mfa.confirmEnrollment('alice', code(second.secret), { secretUrl: second.uri.replace('secret=', 'SECRET=') })).toMatchObject({ ok: true });
  });

  it('reads the secret as base32 text (any case, spaces, hyphens, trailing padding), the whole secret and nothing more', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 12) + 10_000);
    const setup = async () => {
      const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', clock, rng: seededRandom(5) });
      const begun = await mfa.beginEnrollment('alice', { account: 'alice@example.com' });
      if (!begun.ok) throw new Error('begin');
      const text = /secret=([A-Z2-7]+)/.exec(begun.uri)![1]!;
      const confirm = (secret: string) => mfa.confirmEnrollment('alice', totp(begun.secret, { time: clock.now() }), { secretUrl: `otpauth://totp/Acme:a?secret=${secret}&issuer=Acme` });
      return { text, confirm };
    };
    const flip = (c: string) => (c === 'A' ? 'B' : 'A');
    for (const variant of [(t: string) => t.toLowerCase(), (t: string) => t.replace(/(.{4})/g, '$1 ').trim(), (t: string) => t.replace(/(.{4})/g, '$1-').replace(/-$/, ''), (t: string) => `${t}====`]) {
      const { text, confirm } = await setup();
      expect(await confirm(variant(text))).toMatchObject({ ok: true });
    }
    for (const wrong of [(t: string) => t.slice(0, -1), (t: string) => `${t}A`, (t: string) => flip(t[0]!) + t.slice(1), (t: string) => t.slice(0, -1) + flip(t.at(-1)!), (t: string) => `${t.slice(0, 4)}=${t.slice(4)}`]) {
      const { text, confirm } = await setup();
      expect(await confirm(wrong(text))).toEqual({ ok: false, reason: 'uri_mismatch' });
    }
  });
});
