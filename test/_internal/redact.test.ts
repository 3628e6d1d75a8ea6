// Results that carry something shown once (secret, URI, manual key, recovery codes, API password,
// confirmation token, one-time code) keep it readable as a property but never print it through
// JSON.stringify or util.inspect, so logging a whole result cannot leak it.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  createMfa,
  encodeBase32,
  generateRecoveryCodes,
  createApiPassword,
  createConfirmationToken,
  issueOneTimeCode,
  emptyOneTimeCodeState,
  MemoryStore,
  totp,
} from '../../src/index.js';
import { FakeClock, seededRandom } from '../../src/testing/index.js';
import { allFeatures } from '../support/features.js';

function expectHidden(result: object, secrets: readonly string[]): void {
  const printed = [JSON.stringify(result), inspect(result, { depth: 10 }), inspect({ nested: result }, { depth: 10 })];
  for (const text of printed) {
    expect(text).toContain('[redacted]');
    for (const secret of secrets) expect(text).not.toContain(secret);
  }
}

describe('one-time-display results are redacted in logs', () => {
  it('lifecycle: enrolment, recovery codes, API password, confirmation token', async () => {
    const clock = new FakeClock();
    const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', clock, rng: seededRandom('redact'), features: allFeatures() });
    const enrollment = await mfa.beginEnrollment('u1', { account: 'alice@example.com' });
    if (!enrollment.ok) throw new Error('enrolment');
    const key = encodeBase32(enrollment.secret);
    expect(enrollment.uri).toContain(key); // still readable
    expect({ ...enrollment }.manualKey).toBe(enrollment.manualKey); // spread keeps the fields
    expectHidden(enrollment, [key, enrollment.manualKey, String(enrollment.secret[0]) + ',']);

    const confirmed = await mfa.confirmEnrollment('u1', totp(enrollment.secret, { time: clock.now() }));
    if (!confirmed.ok) throw new Error('confirm');
    expect(confirmed.recoveryCodes).toHaveLength(10);
    expectHidden(confirmed, confirmed.recoveryCodes);

    const api = await mfa.issueApiPassword('u1', { label: 'ci' });
    if (!api.ok) throw new Error('api password');
    expectHidden(api, [api.password]);

    const token = await mfa.issueConfirmationToken('u1', 'disable');
    if (!token.ok) throw new Error('token');
    expectHidden(token, [token.token]);
  });

  it('pure functions: recovery codes, API passwords, confirmation tokens, one-time codes', () => {
    const now = Date.UTC(2026, 0, 1);
    const rc = generateRecoveryCodes({ rng: seededRandom('rc') });
    expectHidden(rc, [...rc.codes, ...rc.hashes.map((h) => h.hash)]);

    const api = createApiPassword([], { now, rng: seededRandom('api') });
    if (!api.ok) throw new Error('api');
    expectHidden(api, [api.password, api.credential.hash]);

    const token = createConfirmationToken({ purpose: 'disable', now, rng: seededRandom('tok') });
    expectHidden(token, [token.token]);

    const code = issueOneTimeCode(emptyOneTimeCodeState(), { purpose: 'login', now, rng: seededRandom('otc') });
    if (!code.ok) throw new Error('code');
    expectHidden(code, [code.code]);
  });
});
