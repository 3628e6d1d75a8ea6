// `npm run demo`: the whole MFA lifecycle on the built-in memory store, as a backend would call it.
// The "authenticator app" is simulated with `totp()`; the clock is the real one plus an offset the
// demo moves forward, so each login uses a fresh 30-second step.
import {
  createMfa,
  MemoryStore,
  recoveryCodes,
  recoveryCodesToText,
  remainingSeconds,
  totp,
  type Clock,
  type MfaEvent,
} from '../src/index.js';
import { qrTerminal } from '../src/qr/index.js';

let offset = 0;
const clock: Clock = { now: () => Date.now() + offset };
const nextStep = () => (offset += 30_000);
const events: string[] = [];
const show = (title: string, value: unknown) => console.log(`\n▸ ${title}\n`, value);

const mfa = createMfa({
  store: new MemoryStore(),
  issuer: 'Acme Portal',
  clock,
  // Audit events carry no secret, code or hash: safe to log as they are.
  onEvent: (event: MfaEvent) => events.push(event.type),
  // Recovery codes are an opt-in feature: issued at confirmation, accepted at login, regenerated.
  features: [recoveryCodes()],
});
const user = 'user-42';

// 1. Enrol: secret → otpauth URI, QR, manual key (status: pending).
const enrollment = await mfa.beginEnrollment(user, { account: 'alice@example.com' });
if (!enrollment.ok) throw new Error('enrolment refused');
console.log('\nScan this with an authenticator app:\n');
console.log(qrTerminal(enrollment.uri));
show('otpauth URI', enrollment.uri);
show('or type this key by hand', enrollment.manualKey);
show('login requirement while pending', await mfa.loginRequirement(user));

// 2. Confirm with the first code from the app (pending → active); recovery codes are shown once.
const app = () => totp(enrollment.secret, { time: clock.now() });
const firstCode = app();
show(`code on the phone: ${firstCode} (${remainingSeconds(clock.now())} s left)`, '');
const confirmed = await mfa.confirmEnrollment(user, firstCode);
if (!confirmed.ok) throw new Error(`confirmation failed: ${confirmed.reason}`);
show('recovery codes (shown once; offer them as a download)', recoveryCodesToText(confirmed.recoveryCodes, {
  issuer: 'Acme Portal',
  account: 'alice@example.com',
  generatedAt: clock.now(),
}));

// 3. Log in with the next code; the same code again is a replay (RFC 6238 §5.2).
nextStep();
const loginCode = app();
show('login requirement', await mfa.loginRequirement(user));
show(`verifyLogin(${loginCode})`, await mfa.verifyLogin(user, loginCode));
show(`verifyLogin(${loginCode}) again`, await mfa.verifyLogin(user, loginCode));

// 4. Lost phone: a recovery code works once.
const recovery = confirmed.recoveryCodes[0]!;
show(`verifyLogin(recovery code)`, await mfa.verifyLogin(user, recovery));
show(`verifyLogin(same recovery code)`, await mfa.verifyLogin(user, recovery));

// 5. Reset the secret: it needs a proof — a login within `freshWithin` (5 min), or a code. The old
// secret is invalid at once; the new one must be confirmed.
offset += 6 * 60_000; // the last login is now 6 minutes old
show('reset without a recent login', await mfa.resetSecret(user));
const oldAppCode = app();
const reset = await mfa.resetSecret(user, { proof: { code: oldAppCode } });
if (!reset.ok) throw new Error('reset refused');
show('after reset, login requirement', await mfa.loginRequirement(user));
show('old secret’s code against the new enrolment', await mfa.confirmEnrollment(user, oldAppCode));
const newCode = totp(reset.secret, { time: clock.now() });
show('new secret confirmed', (await mfa.confirmEnrollment(user, newCode)).ok);

// 6. Disable with re-authentication: your password check, plus a current code.
nextStep();
show('disable (password checked by your app + code)', await mfa.disable(user, {
  code: totp(reset.secret, { time: clock.now() }),
  passwordVerified: true,
}));
show('status', await mfa.getStatus(user));
show('audit events', events.join(' → '));
