// The one smoke suite every runtime runs (Node 20/22/24, Bun, Deno, Chromium, QuickJS) against the
// packed tarball as installed in an app. Plain ES2020 JavaScript with no imports and no globals
// beyond the language itself, so a bare engine (QuickJS) can run it too: the caller passes the
// modules in. Deterministic: a FakeClock and a seeded rng, so every runtime computes the same codes.
//
// smoke({ mfakit, qr, rng }) → Promise<Array<{ name, ok, detail }>>, one entry per check that ran.
// `qr` is the mfakit/qr namespace or null (QuickJS runs the core only). `rng` defaults to
// mfakit.seededRandom('smoke'); QuickJS passes its own. The AES-GCM checks run where WebCrypto
// exists; where it does not, the checks that a missing capability is a typed MfaError run instead.
// Each runtime's test asserts the exact list of check names, so a check cannot silently drop out.

/** Names of the checks `smoke` runs, by capability; the tests compare against these. */
export const CORE_CHECKS = [
  'RFC 6238 vector (SHA-1, 8 digits, T=59)',
  'generateSecret with rng',
  'otpauth URI build and parse',
  'totp and verifyTotp, replay refused with afterStep',
  'recovery codes generate, verify, used',
  'bad configuration is MfaError INVALID_OPTION',
  'lifecycle on MemoryStore: enrol, confirm, login, replay, recovery, reset, disable',
];
export const QR_CHECKS = ['mfakit/qr qrSvg'];
export const WEBCRYPTO_CHECKS = ['aesGcmCipher round trip, wrong user refused', 'lifecycle with aesGcmCipher'];
export const NO_WEBCRYPTO_CHECKS = [
  'no WebCrypto: generateSecret without rng is MfaError UNSUPPORTED_RUNTIME',
  'no WebCrypto: createMfa without rng refuses to enrol with MfaError UNSUPPORTED_RUNTIME',
  'no WebCrypto: aesGcmCipher is MfaError UNSUPPORTED_RUNTIME',
];

export async function smoke({ mfakit, qr = null, rng } = {}) {
  const results = [];
  const check = async (name, fn) => {
    try {
      const detail = await fn();
      results.push({ name, ok: true, detail: detail === undefined ? '' : String(detail) });
    } catch (err) {
      results.push({ name, ok: false, detail: describe(err) });
    }
  };
  const random = rng ?? mfakit.seededRandom('smoke');
  const hasWebCrypto = typeof globalThis.crypto === 'object' && globalThis.crypto !== null &&
    typeof globalThis.crypto.subtle === 'object' && globalThis.crypto.subtle !== null;

  await check(CORE_CHECKS[0], () => {
    // RFC 6238 Appendix B: ASCII "12345678901234567890", T = 59 s → 94287082.
    const key = new Uint8Array(20);
    for (let i = 0; i < 20; i++) key[i] = 0x31 + (i % 10 === 9 ? -1 : i % 10);
    equal(mfakit.totp(key, { time: 59_000, digits: 8 }), '94287082', 'totp(RFC key, T=59)');
  });

  let secret;
  await check(CORE_CHECKS[1], () => {
    secret = mfakit.generateSecret({ rng: random });
    assert(secret instanceof Uint8Array && secret.length === 20, 'a 20-byte Uint8Array');
    return `${secret.length} bytes`;
  });

  let uri;
  await check(CORE_CHECKS[2], () => {
    uri = mfakit.buildOtpauthUri({ issuer: 'Café Zürich', account: 'alice@example.com', secret });
    assert(uri.startsWith('otpauth://totp/Caf%C3%A9%20Z%C3%BCrich:alice@example.com?secret='), `uri prefix: ${uri.slice(0, 50)}`);
    const parsed = mfakit.parseOtpauthUri(uri);
    assert(parsed.ok, `parse: ${parsed.ok ? '' : parsed.error.code}`);
    equal(parsed.value.issuer, 'Café Zürich', 'issuer');
    equal(parsed.value.account, 'alice@example.com', 'account');
    equal(hex(parsed.value.secret), hex(secret), 'secret bytes');
    equal(mfakit.parseOtpauthUri('otpauth://totp/x?secret=!!').ok, false, 'bad URI is a result, not a throw');
    return uri.split('?')[0];
  });

  await check(CORE_CHECKS[3], () => {
    const time = Date.UTC(2026, 0, 1, 12);
    const code = mfakit.totp(secret, { time });
    assert(/^[0-9]{6}$/.test(code), 'six digits');
    const ok = mfakit.verifyTotp(secret, code, { time, window: 1 });
    assert(ok.ok && ok.delta === 0 && ok.step === Math.floor(time / 30_000), `accepted at delta 0: ${JSON.stringify(ok)}`);
    const replay = mfakit.verifyTotp(secret, code, { time, window: 1, afterStep: ok.step });
    equal(replay.ok === false && replay.reason, 'replayed', 'same step again with afterStep');
    const previous = mfakit.totp(secret, { time: time - 30_000 });
    const late = mfakit.verifyTotp(secret, previous, { time, window: 1 });
    assert(late.ok && late.delta === -1, 'previous step inside the window');
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    equal(mfakit.verifyTotp(secret, wrong, { time, window: 0 }).reason, 'mismatch', 'wrong code');
    equal(mfakit.verifyTotp(secret, 'abc', { time }).reason, 'format', 'not a code');
  });

  await check(CORE_CHECKS[4], () => {
    const { codes, hashes } = mfakit.generateRecoveryCodes({ rng: random });
    equal(codes.length, 10, 'count');
    assert(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(codes[0]), 'grouped code shape');
    const hit = mfakit.verifyRecoveryCode(hashes, codes[3].toLowerCase());
    assert(hit.ok && hit.index === 3, `lower-case code matches: ${JSON.stringify(hit)}`);
    const used = mfakit.markRecoveryCodeUsed(hashes, hit.index, Date.UTC(2026, 0, 1));
    equal(mfakit.verifyRecoveryCode(used, codes[3]).reason, 'used', 'second use');
    equal(mfakit.remainingRecoveryCodes(used), 9, 'remaining');
    equal(mfakit.verifyRecoveryCode(hashes, '0000-0000-0000').reason, 'mismatch', 'unknown code');
    equal(mfakit.verifyRecoveryCode(hashes, 42).reason, 'format', 'not a string');
  });

  await check(CORE_CHECKS[5], () => {
    const err = thrown(() => mfakit.generateRecoveryCodes({ count: 0, rng: random }));
    assert(err instanceof mfakit.MfaError, `an MfaError, got ${describe(err)}`);
    equal(err.code, 'INVALID_OPTION', 'code');
  });

  await check(CORE_CHECKS[6], () => lifecycle(mfakit, random));

  if (qr !== null) {
    await check(QR_CHECKS[0], () => {
      const svg = qr.qrSvg(uri);
      assert(svg.startsWith('<svg') && svg.trimEnd().endsWith('</svg>'), 'an <svg> document');
      assert(/<path|<rect/.test(svg), 'has modules');
      equal(qr.qrSvg(uri), svg, 'deterministic');
      return `${svg.length} chars`;
    });
  }

  if (hasWebCrypto) {
    const key = () => random(32);
    await check(WEBCRYPTO_CHECKS[0], async () => {
      const cipher = mfakit.aesGcmCipher({ keys: { k1: key() }, current: 'k1', rng: random });
      const sealed = await cipher.encrypt(secret, { userId: 'alice' });
      assert(sealed.startsWith('v2.k1.'), 'v2.<keyId>. prefix');
      equal(hex(await cipher.decrypt(sealed, { userId: 'alice' })), hex(secret), 'decrypted bytes');
      let refused;
      try {
        await cipher.decrypt(sealed, { userId: 'mallory' });
      } catch (err) {
        refused = err;
      }
      assert(refused instanceof mfakit.MfaError && refused.code === 'CIPHER_FAILURE', `wrong user: ${describe(refused)}`);
    });
    await check(WEBCRYPTO_CHECKS[1], async () => {
      const clock = new mfakit.FakeClock();
      const cipher = mfakit.aesGcmCipher({ keys: { k1: key() }, current: 'k1', rng: random });
      const mfa = mfakit.createMfa({ store: new mfakit.MemoryStore(), issuer: 'Acme', clock, rng: random, features: [mfakit.encryptedSecrets(cipher)] });
      const enrollment = await mfa.beginEnrollment('u1', { account: 'a@example.com' });
      assert(enrollment.ok, 'enrolment');
      const confirmed = await mfa.confirmEnrollment('u1', mfakit.totp(enrollment.secret, { time: clock.now() }));
      assert(confirmed.ok, `confirm: ${confirmed.reason}`);
      clock.advance(30_000);
      const login = await mfa.verifyLogin('u1', mfakit.totp(enrollment.secret, { time: clock.now() }));
      assert(login.ok, `login: ${login.reason}`);
    });
  } else {
    const unsupported = (err, needle) => {
      assert(err instanceof mfakit.MfaError, `an MfaError, got ${describe(err)}`);
      equal(err.code, 'UNSUPPORTED_RUNTIME', 'code');
      assert(err.message.includes(needle), `message names ${needle}: ${err.message}`);
    };
    await check(NO_WEBCRYPTO_CHECKS[0], () => {
      unsupported(thrown(() => mfakit.generateSecret()), 'rng');
    });
    await check(NO_WEBCRYPTO_CHECKS[1], async () => {
      const mfa = mfakit.createMfa({ store: new mfakit.MemoryStore(), issuer: 'Acme', clock: new mfakit.FakeClock() });
      let rejected;
      await mfa.beginEnrollment('u1', { account: 'a@example.com' }).then(
        (result) => { rejected = new Error(`resolved ${JSON.stringify(result)}`); },
        (err) => { rejected = err; },
      );
      unsupported(rejected, 'rng');
    });
    await check(NO_WEBCRYPTO_CHECKS[2], () => {
      unsupported(thrown(() => mfakit.aesGcmCipher({ keys: { k1: random(32) }, current: 'k1', rng: random })), 'cipher');
    });
  }
  return results;
}

async function lifecycle(mfakit, rng) {
  const { totp } = mfakit;
  const clock = new mfakit.FakeClock();
  const events = [];
  const mfa = mfakit.createMfa({
    store: new mfakit.MemoryStore(),
    issuer: 'Acme',
    clock,
    rng,
    onEvent: (event) => events.push(event.type),
    features: [mfakit.recoveryCodes()],
  });
  const user = 'user-42';
  equal(await mfa.loginRequirement(user), 'none', 'requirement before enrolment');

  const enrollment = await mfa.beginEnrollment(user, { account: 'alice@example.com' });
  assert(enrollment.ok, 'beginEnrollment');
  assert(enrollment.uri.startsWith('otpauth://totp/Acme:alice@example.com?secret='), 'enrolment URI');
  equal(await mfa.loginRequirement(user), 'confirm', 'requirement while pending');
  const app = (secret) => totp(secret, { time: clock.now() });

  const wrongFirst = await mfa.confirmEnrollment(user, String((Number(app(enrollment.secret)) + 1) % 1_000_000).padStart(6, '0'));
  equal(wrongFirst.ok === false && wrongFirst.reason, 'mismatch', 'confirm with a wrong code');
  const confirmed = await mfa.confirmEnrollment(user, app(enrollment.secret));
  assert(confirmed.ok, `confirmEnrollment: ${confirmed.reason}`);
  equal(confirmed.recoveryCodes.length, 10, 'recovery codes shown once');
  equal(await mfa.loginRequirement(user), 'verify', 'requirement when active');

  clock.advance(30_000);
  const code = app(enrollment.secret);
  const login = await mfa.verifyLogin(user, code);
  assert(login.ok && login.method === 'totp', `verifyLogin: ${JSON.stringify(login)}`);
  const replay = await mfa.verifyLogin(user, code);
  equal(replay.ok === false && replay.reason, 'replayed', 'same code again');

  const recovery = await mfa.verifyLogin(user, confirmed.recoveryCodes[0]);
  assert(recovery.ok && recovery.method === 'recovery' && recovery.remainingRecoveryCodes === 9, `recovery: ${JSON.stringify(recovery)}`);
  const recoveryAgain = await mfa.verifyLogin(user, confirmed.recoveryCodes[0]);
  equal(recoveryAgain.ok === false && recoveryAgain.reason, 'replayed', 'same recovery code again');

  clock.advance(30_000);
  const oldCode = app(enrollment.secret);
  const reset = await mfa.resetSecret(user);
  assert(reset.ok, 'resetSecret');
  assert(hex(reset.secret) !== hex(enrollment.secret), 'a new secret');
  const stale = await mfa.confirmEnrollment(user, oldCode);
  equal(stale.ok === false && stale.reason, 'mismatch', 'old secret after reset');
  const reconfirmed = await mfa.confirmEnrollment(user, app(reset.secret));
  assert(reconfirmed.ok, `confirm new secret: ${reconfirmed.reason}`);

  clock.advance(30_000);
  const disabled = await mfa.disable(user, { code: app(reset.secret), passwordVerified: true });
  assert(disabled.ok && disabled.previous === 'active', `disable: ${JSON.stringify(disabled)}`);
  equal((await mfa.getStatus(user)).status, 'disabled', 'status after disable');
  equal(await mfa.loginRequirement(user), 'none', 'requirement after disable');
  return events.join(' ');
}

function thrown(fn) {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

function assert(condition, what) {
  if (!condition) throw new Error(`expected ${what}`);
}

function equal(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function hex(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
  return out;
}

function describe(err) {
  if (err === undefined) return 'nothing thrown';
  if (err === null || typeof err !== 'object') return String(err);
  const name = err.name ?? 'Error';
  const code = err.code === undefined ? '' : ` ${err.code}`;
  const stack = typeof err.stack === 'string' ? `\n${err.stack.split('\n').slice(0, 6).join('\n')}` : '';
  return `${name}${code}: ${err.message}${stack}`;
}
