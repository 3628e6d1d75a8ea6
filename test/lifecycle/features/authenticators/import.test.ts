// importAuthenticator against the libraries users move from: secrets stored by speakeasy (ascii,
// hex, base32 fields), otplib v12 (short base32 secrets) and v13, otpauth URIs and Google
// Authenticator exports log in with the codes those libraries compute. pyotp, a separate process,
// is in import.pyotp.test.ts.
import speakeasy from 'speakeasy';
import { authenticator as otplib12, hotp as otplib12Hotp } from 'otplib-v12';
import { describe, expect, it } from 'vitest';
import {
  authenticators,
  buildMigrationUri,
  buildOtpauthUri,
  createMfa,
  importInputsFromMigrationUri,
  MemoryStore,
  type MfaEvent,
} from '../../../../src/index.js';
import { FakeClock, seededRandom } from '../../../../src/testing/index.js';

const NOW = Date.UTC(2026, 5, 1, 8, 0, 5);

function setup() {
  const clock = new FakeClock(NOW);
  const events: MfaEvent[] = [];
  const store = new MemoryStore();
  const mfa = createMfa({ store, issuer: 'Acme', clock, rng: seededRandom(5), onEvent: (e) => events.push(e), features: [authenticators()] });
  return { mfa, clock, events, store };
}

describe('importAuthenticator: codes of the library the secret came from log in', () => {
  const secret = speakeasy.generateSecret({ length: 20 });
  const speakeasyCode = (time: number) => speakeasy.totp({ secret: secret.ascii, encoding: 'ascii', time: time / 1000 });

  it.each([
    ['ascii', secret.ascii],
    ['hex', secret.hex],
    ['base32', secret.base32],
  ] as const)('speakeasy %s field', async (encoding, text) => {
    const { mfa, clock } = setup();
    expect((await mfa.importAuthenticator('u', { secret: text, encoding, name: 'speakeasy' })).ok).toBe(true);
    expect(await mfa.verifyLogin('u', speakeasyCode(clock.now()))).toMatchObject({ ok: true });
  });

  it('speakeasy base64 of the same bytes, SHA256, 8 digits, 60 s', async () => {
    const { mfa, clock } = setup();
    const bytes = Buffer.from(secret.hex, 'hex');
    await mfa.importAuthenticator('u', { secret: bytes.toString('base64'), encoding: 'base64', algorithm: 'SHA256', digits: 8, period: 60, name: 'x' });
    const code = speakeasy.totp({ secret: secret.hex, encoding: 'hex', algorithm: 'sha256', digits: 8, step: 60, time: clock.now() / 1000 });
    expect(await mfa.verifyLogin('u', code)).toMatchObject({ ok: true });
  });

  it('otplib v12: its default 10-byte secrets need allowShortSecret and raise a warning event', async () => {
    const { mfa, events } = setup();
    const short = otplib12.generateSecret();
    await expect(mfa.importAuthenticator('u', { secret: short, name: 'otplib' })).rejects.toMatchObject({ code: 'SECRET_TOO_SHORT' });
    const r = await mfa.importAuthenticator('u', { secret: short, name: 'otplib', allowShortSecret: true });
    expect(r.ok).toBe(true);
    expect(events.find((e) => e.type === 'authenticator_imported')).toMatchObject({ shortSecret: true });
    otplib12.options = { epoch: NOW };
    expect(await mfa.verifyLogin('u', otplib12.generate(short))).toMatchObject({ ok: true });
    otplib12.resetOptions();
  });

  it('otplib v12 HOTP with its counter', async () => {
    const { mfa } = setup();
    const key = Buffer.from(secret.hex, 'hex').toString('hex');
    await mfa.importAuthenticator('u', { secret: key, encoding: 'hex', type: 'hotp', counter: 41, name: 'token' });
    otplib12Hotp.options = { encoding: 'hex' as never };
    expect(await mfa.verifyLogin('u', otplib12Hotp.generate(key, 43))).toMatchObject({ ok: true });
    otplib12Hotp.resetOptions();
  });

  it('otpauth URI and a Google Authenticator export', async () => {
    const { mfa, clock } = setup();
    const uri = buildOtpauthUri({ issuer: 'Old', account: 'a@example.com', secret: secret.base32, digits: 8 });
    await mfa.importAuthenticator('u', { uri, name: 'from URI' });
    const code8 = speakeasy.totp({ secret: secret.ascii, encoding: 'ascii', digits: 8, time: clock.now() / 1000 });
    expect(await mfa.verifyLogin('u', code8)).toMatchObject({ ok: true });
    const other = new Uint8Array(20).fill(42);
    const exported = buildMigrationUri([{ name: 'Old:b@example.com', issuer: 'Old', secret: other }]);
    const inputs = importInputsFromMigrationUri(exported);
    expect(inputs).toHaveLength(1);
    await mfa.importAuthenticator('v', inputs);
    const code = speakeasy.totp({ secret: Buffer.from(other).toString('hex'), encoding: 'hex', time: clock.now() / 1000 });
    expect(await mfa.verifyLogin('v', code)).toMatchObject({ ok: true });
    expect((await mfa.listAuthenticators('v'))[0]!.name).toBe('Old');
  });

  it('lastStep: the code the old system last accepted cannot be replayed here', async () => {
    const { mfa, clock } = setup();
    const step = Math.floor(clock.now() / 30_000);
    await mfa.importAuthenticator('u', { secret: secret.base32, lastStep: step, name: 'x' });
    expect(await mfa.verifyLogin('u', speakeasyCode(clock.now()))).toEqual({ ok: false, reason: 'replayed' });
  });

  it('bulk: per-user outcomes; a user whose data fails keeps no partial record', async () => {
    const { mfa, store } = setup();
    async function* users() {
      yield { userId: 'ok', authenticators: [{ secret: secret.base32, name: 'a' }, { secret: secret.hex, encoding: 'hex' as const, name: 'b' }] };
      yield { userId: 'bad', authenticators: [{ secret: secret.base32, name: 'a' }, { secret: 'zz-not-hex', encoding: 'hex' as const, name: 'b' }] };
      yield { userId: 'many', authenticators: Array.from({ length: 6 }, () => ({ secret: secret.base32, name: 'x' })) };
    }
    const outcomes = await mfa.importUsers(users());
    expect(outcomes.map((o) => [o.userId, o.ok])).toEqual([
      ['ok', true],
      ['bad', false],
      ['many', false],
    ]);
    expect(outcomes[1]).toMatchObject({ reason: 'error', code: 'INVALID_OPTION' });
    expect(outcomes[2]).toMatchObject({ reason: 'limit_reached' });
    expect(await store.get('bad')).toBeNull();
    expect(await store.get('many')).toBeNull();
    expect(await mfa.listAuthenticators('ok')).toHaveLength(2);
    // No secret in the outcomes or errors.
    expect(JSON.stringify(outcomes)).not.toContain(secret.base32);
  });
});
