// Account names with ':' (console users like `DOMAIN:user`): enrolment never throws on them. The URI
// writes the ':' as %3A behind the issuer prefix, the result says so (`labelAdjusted`), and the
// account reads back whole from the URI. On the old code beginEnrollment threw INVALID_LABEL.
import { describe, expect, it } from 'vitest';
import { createMfa, FakeClock, formatManualKey, MemoryStore, parseOtpauthUri, seededRandom, totp } from '../../../../src/index.js';

const T0 = Date.UTC(2026, 11, 2);

function service() {
  const clock = new FakeClock(T0);
  return { clock, mfa: createMfa({ issuer: 'VSPC', store: new MemoryStore(), clock, rng: seededRandom(7) }) };
}

describe("enrolment with ':' in the account", () => {
  it.each(['DOMAIN:user', 'a:b:c', ':leading', 'trailing:'])('%j: enrols, flags labelAdjusted, reads back from the URI', async (account) => {
    const { clock, mfa } = service();
    const e = await mfa.beginEnrollment('u1', { account });
    if (!e.ok) throw new Error('enrolment refused');
    expect(e.labelAdjusted).toBe(true);
    expect(e.uri.startsWith('otpauth://totp/VSPC:')).toBe(true);
    expect(e.uri).not.toMatch(/VSPC:[^?]*:/); // one literal ':' in the label: the issuer's
    const parsed = parseOtpauthUri(e.uri);
    expect(parsed.ok && parsed.value).toMatchObject({ issuer: 'VSPC', account, secret: e.secret });
    const confirmed = await mfa.confirmEnrollment('u1', totp(e.secret, { time: clock.now() }));
    expect(confirmed.ok).toBe(true);
    // The view of the active method (resetSecret) carries the flag too.
    const reset = await mfa.resetSecret('u1', { proof: { code: totp(e.secret, { time: clock.now() + 30_000 }) } });
    expect(reset.ok && reset.labelAdjusted).toBe(true);
  });

  it('an account without ":" has no labelAdjusted field and an unchanged URI', async () => {
    const { mfa } = service();
    const e = await mfa.beginEnrollment('u1', { account: 'alice@example.com' });
    if (!e.ok) throw new Error('enrolment refused');
    expect('labelAdjusted' in e).toBe(false);
    expect(e.uri).toMatch(/^otpauth:\/\/totp\/VSPC:alice@example\.com\?secret=[A-Z2-7]+&issuer=VSPC$/);
    expect(e.manualKey).toBe(formatManualKey(e.secret));
  });

  it.each([
    [' alice', 'alice'],
    ['\u00a0 bob:x', 'bob:x'],
    ['   ', 'user'],
  ])('%j (leading whitespace, which apps drop): enrols without a throw, label %j, flagged, stored account unchanged', async (account, shown) => {
    const { clock, mfa } = service();
    const e = await mfa.beginEnrollment('u1', { account });
    if (!e.ok) throw new Error('enrolment refused');
    expect(e.labelAdjusted).toBe(true);
    const parsed = parseOtpauthUri(e.uri);
    expect(parsed.ok && parsed.value).toMatchObject({ issuer: 'VSPC', account: shown, secret: e.secret });
    expect((await mfa.confirmEnrollment('u1', totp(e.secret, { time: clock.now() }))).ok).toBe(true);
  });
});
