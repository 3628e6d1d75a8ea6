// Every value shown once — TOTP secret, otpauth URI, manual key, recovery codes, e-mail/SMS code,
// confirmation token, API password — prints as '[redacted]' through JSON.stringify, util.inspect and
// String, on every path that returns it: the service methods, the low-level `execute` door (which
// hands back the command results the service methods trim), the message given to the Sender, and
// the parsers that return a secret. The table is keyed by command type, so a new command fails the
// coverage check until it is listed here.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  buildMigrationUri,
  buildOtpauthUri,
  createMfa,
  encodeBase32,
  MemoryStore,
  parseMigrationUri,
  parseApiKey,
  parseOtpauthUri,
  totp,
  type OneTimeCodeMessage,
} from '../../src/index.js';
import { MFA_COMMAND_TYPES, type MfaCommandType } from '../../src/lifecycle/transitions.js';
import { FakeClock, seededRandom } from '../../src/testing/index.js';
import { allFeatures } from '../support/features.js';

/** Everything a log line could be made of. */
function printed(value: unknown): string[] {
  return [
    JSON.stringify(value),
    JSON.stringify({ nested: [value] }),
    inspect(value, { depth: 10 }),
    inspect({ nested: [value] }, { depth: 10 }),
    String(value),
    `${value as string}`,
  ];
}

function expectHidden(value: unknown, secrets: readonly string[]): void {
  expect(secrets.length).toBeGreaterThan(0);
  for (const text of printed(value)) {
    for (const secret of secrets) expect(text, 'a once-shown value leaked').not.toContain(secret);
  }
  expect(JSON.stringify(value)).toContain('[redacted]');
  expect(inspect(value)).toContain('[redacted]');
}

function setup() {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 10));
  const outbox: OneTimeCodeMessage[] = [];
  const mfa = createMfa({
    store: new MemoryStore(),
    issuer: 'Acme',
    clock,
    rng: seededRandom('redaction-every-path'),
    features: allFeatures({ send: async (m) => void outbox.push(m) }),
  });
  return { clock, mfa, outbox };
}

/** Secrets of an enrolment result as they could appear in text. */
function enrollmentSecrets(r: { secret: Uint8Array; uri: string; manualKey: string }): string[] {
  return [encodeBase32(r.secret), Buffer.from(r.secret).toString('base64url'), r.manualKey, r.uri, `${r.secret.join(',')}`];
}

/** Command types whose result carries a once-shown value, and the check for each. */
const SECRET_BEARING: Partial<Record<MfaCommandType, true>> = {
  beginEnrollment: true,
  confirmEnrollment: true,
  resetSecret: true,
  regenerateRecoveryCodes: true,
  beginOutOfBandEnrollment: true,
  sendChallenge: true,
  issueConfirmationToken: true,
  issueApiPassword: true,
  trustDevice: true,
};
/** Command types whose result carries nothing secret (ids, reasons, counts). */
const PLAIN: Partial<Record<MfaCommandType, true>> = {
  verifyLogin: true,
  adminReset: true,
  disable: true,
  setUserPolicy: true,
  revokeApiPassword: true,
  unlock: true,
  revokeDevice: true,
  revokeAllDevices: true,
  requestRecovery: true,
  remindRecovery: true,
  cancelRecovery: true,
  completeRecovery: true,
};

describe('redaction on every path', () => {
  it('every command type is classified (add a new command to one table and cover it below)', () => {
    const features = allFeatures().flatMap((f) => Object.keys(f.handlers ?? {})) as MfaCommandType[];
    const unclassified = [...MFA_COMMAND_TYPES, ...features].filter((t) => SECRET_BEARING[t] === undefined && PLAIN[t] === undefined);
    expect(unclassified).toEqual([]);
  });

  it('execute(): TOTP enrolment, confirmation, reset and regenerated recovery codes', async () => {
    const { clock, mfa } = setup();
    const begun = await mfa.execute('u1', { type: 'beginEnrollment', account: 'alice@example.com' });
    if (!begun.ok) throw new Error('begin');
    expectHidden(begun, enrollmentSecrets(begun));

    const pending = await mfa.pendingEnrollment('u1');
    expectHidden(pending, enrollmentSecrets(pending!));

    const confirmed = await mfa.execute('u1', { type: 'confirmEnrollment', code: totp(begun.secret, { time: clock.now() }) });
    if (!confirmed.ok) throw new Error('confirm');
    expectHidden(confirmed, confirmed.recoveryCodes);

    const regenerated = await mfa.execute('u1', { type: 'regenerateRecoveryCodes', proof: { code: confirmed.recoveryCodes[0]! } });
    if (!regenerated.ok) throw new Error('regenerate');
    expectHidden(regenerated, regenerated.recoveryCodes);

    const reset = await mfa.execute('u1', { type: 'resetSecret', proof: { code: regenerated.recoveryCodes[0]! } });
    if (!reset.ok) throw new Error('reset');
    expectHidden(reset, enrollmentSecrets(reset));
  });

  it('execute(): e-mail/SMS codes (beginOutOfBandEnrollment, sendChallenge) — the code never prints', async () => {
    const { clock, mfa, outbox } = setup();
    const begun = await mfa.execute('u2', { type: 'beginOutOfBandEnrollment', method: 'email', destination: 'bob@example.com' });
    if (!begun.ok) throw new Error('begin');
    expect(begun.code).toMatch(/^\d{6}$/); // still readable: execute's caller delivers it
    expectHidden(begun, [begun.code]);
    const confirmed = await mfa.confirmEnrollment('u2', begun.code);
    expect(confirmed.ok).toBe(true);

    clock.advance(31_000);
    const sent = await mfa.execute('u2', { type: 'sendChallenge', purpose: 'login' });
    if (!sent.ok) throw new Error('send');
    expectHidden(sent, [sent.code]);

    // The service method hands the code to the Sender; the message is redacted too.
    clock.advance(31_000);
    const viaService = await mfa.sendChallenge('u2', 'login');
    expect(viaService.ok).toBe(true);
    const message = outbox.at(-1)!;
    expect(message.code).toMatch(/^\d{6}$/);
    expectHidden(message, [message.code]);
    expect(JSON.stringify(viaService)).not.toContain(message.code);
  });

  it('execute(): confirmation tokens and API passwords', async () => {
    const { clock, mfa } = setup();
    const begun = await mfa.beginEnrollment('u3', { account: 'carol@example.com' });
    if (!begun.ok) throw new Error('begin');
    await mfa.confirmEnrollment('u3', totp(begun.secret, { time: clock.now() }));
    const token = await mfa.execute('u3', { type: 'issueConfirmationToken', purpose: 'disable' });
    if (!token.ok) throw new Error('token');
    expectHidden(token, [token.token]);
    const api = await mfa.execute('u3', { type: 'issueApiPassword', label: 'ci' });
    if (!api.ok) throw new Error('api');
    expectHidden(api, [api.password]);
  });

  it('trusted-device tokens: trustDevice (service and execute) hides the token; lists, events, notices and errors never hold it', async () => {
    const events: unknown[] = [];
    const notices: unknown[] = [];
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 10));
    const mfa = createMfa({
      store: new MemoryStore(),
      issuer: 'Acme',
      clock,
      rng: seededRandom('redaction-devices'),
      onEvent: (e) => events.push(e),
      features: allFeatures(undefined, undefined, (n) => void notices.push(n)),
    });
    const begun = await mfa.beginEnrollment('u4', { account: 'dave@example.com' });
    if (!begun.ok) throw new Error('begin');
    await mfa.confirmEnrollment('u4', totp(begun.secret, { time: clock.now() }));
    clock.advance(30_000);
    await mfa.verifyLogin('u4', totp(begun.secret, { time: clock.now() }));
    const viaService = await mfa.trustDevice('u4', { label: 'laptop' });
    if (!viaService.ok) throw new Error('trust');
    expect(viaService.token).toMatch(/^mfad_/); // still readable: the caller sets the cookie
    expectHidden(viaService, [viaService.token, viaService.token.slice(5)]);
    clock.advance(30_000);
    await mfa.verifyLogin('u4', totp(begun.secret, { time: clock.now() }));
    const viaExecute = await mfa.execute('u4', { type: 'trustDevice', label: 'phone' });
    if (!viaExecute.ok) throw new Error('trust');
    expectHidden(viaExecute, [viaExecute.token]);
    const tokens = [viaService.token, viaService.token.slice(5), viaExecute.token, viaExecute.token.slice(5)];
    const accepted = await mfa.verifyLogin('u4', viaService.token);
    await mfa.requestRecovery('u4', { reason: 'lost phone' });
    await mfa.revokeAllDevices('u4');
    const refused = await mfa.verifyLogin('u4', viaService.token);
    const failure = await mfa.trustDevice('u4', { label: 'x\u0000' }).catch((e: unknown) => e);
    for (const value of [accepted, refused, await mfa.listDevices('u4'), await mfa.recoveryStatus('u4'), events, notices, failure]) {
      for (const text of printed(value)) for (const t of tokens) expect(text).not.toContain(t);
    }
    expect(events.length).toBeGreaterThan(5);
    expect(notices.length).toBe(1);
  });

  it('API keys: issued once, then never in a verifyApiKey answer, an event, an error or the stored record', async () => {
    const events: unknown[] = [];
    const store = new MemoryStore();
    const mfa = createMfa({ store, issuer: 'Acme', rng: seededRandom('redaction-api-key'), features: allFeatures({ send: async () => {} }), onEvent: (e) => void events.push(e) });
    const issued = await mfa.issueApiPassword('u4', { label: 'ci' });
    if (!issued.ok) throw new Error('issue');
    const key = issued.password;
    const secretPart = key.slice(key.lastIndexOf('_') + 1);
    expectHidden(issued, [key, secretPart]);
    const typo = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    const wrongSecret = `${key.slice(0, key.lastIndexOf('_') + 1)}${'A'.repeat(32)}`;
    const answers = [await mfa.verifyApiKey(key), await mfa.verifyApiKey(typo), await mfa.verifyApiKey(wrongSecret), parseApiKey(key)];
    expect(answers.map((a) => a.ok)).toEqual([true, false, false, true]);
    const stored = JSON.stringify(await store.get('u4'));
    const bare = createMfa({ store: { get: store.get.bind(store), compareAndSet: store.compareAndSet.bind(store), delete: store.delete.bind(store) }, issuer: 'Acme', features: allFeatures({ send: async () => {} }) });
    const error = await bare.verifyApiKey(key).then(() => null, (err: unknown) => err);
    expect(error).toMatchObject({ code: 'INVALID_OPTION' });
    for (const text of [...answers.flatMap(printed), ...events.flatMap(printed), stored, ...printed(error), (error as Error).stack ?? '']) {
      expect(text).not.toContain(secretPart);
      expect(text).not.toContain(key);
    }
  });

  it('parsers that return a secret: parseOtpauthUri, parseMigrationUri', () => {
    const secret = Uint8Array.from({ length: 20 }, (_, i) => i * 7 + 1);
    const key = encodeBase32(secret);
    const parsed = parseOtpauthUri(buildOtpauthUri({ type: 'totp', issuer: 'Acme', account: 'alice', secret }));
    if (!parsed.ok) throw new Error('parse');
    expect(parsed.value.secret).toEqual(secret);
    expectHidden(parsed, [key, secret.join(',')]);

    const migration = parseMigrationUri(buildMigrationUri([{ type: 'totp', issuer: 'Acme', name: 'alice', secret }]));
    if (!migration.ok) throw new Error('migration');
    expect(migration.value.accounts[0]!.secret).toEqual(secret);
    expectHidden(migration, [secret.join(',')]);
  });
});
