// The README's quick start is the region below, copied verbatim (test/examples/quick-start.test.ts
// checks that and runs this file against the packed package). `node quick-start.ts` on Node ≥ 22.18.
// #region quick-start
import { createMfa, MemoryStore, recoveryCodes, totp } from 'mfakit';

// recoveryCodes(): codes for a lost phone (without it, only an administrator's reset helps).
const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', features: [recoveryCodes()] });

// Enrol: show the URI as a QR code (mfakit/qr) and the key for typing by hand.
const enrollment = await mfa.beginEnrollment('user-42', { account: 'alice@example.com' });
if (!enrollment.ok) throw new Error(enrollment.reason);
console.log(enrollment.uri, enrollment.manualKey);

// Confirm with the first code from the user's app (computed here with totp()).
const confirmed = await mfa.confirmEnrollment('user-42', totp(enrollment.secret));
if (!confirmed.ok) throw new Error(confirmed.reason);
console.log(confirmed.recoveryCodes); // shown exactly once: offer them as a download

// At every login, after the password: a code from the app, or a recovery code.
console.log(await mfa.verifyLogin('user-42', '123456')); // { ok: false, reason: 'mismatch', … }
console.log(await mfa.verifyLogin('user-42', confirmed.recoveryCodes[0]!)); // { ok: true, method: 'recovery', … }
// #endregion
