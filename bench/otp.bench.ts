// TOTP (SHA-1, 6 digits) generate and verify: mfakit side by side with the peers, plus the floor —
// three HMAC-SHA1 computations of an 8-byte counter with the key pads hashed once (noble
// `hmac.create(sha1, key)` + `_cloneInto` into one reused state, no allocation per step).
// Run: `npm run bench -- otp`. Read ops/s as 1e9 / avg(ns).
import { bench, do_not_optimize, group, summary } from 'mitata';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { generateSync as otplibGenerate, verifySync as otplibVerify } from 'otplib';
import * as OTPAuth from 'otpauth';
import { generateTOTP, verifyTOTPWithGracePeriod } from '@oslojs/otp';
import speakeasy from 'speakeasy';
import { encodeBase32, totp, verifyTotp } from '../src/index.js';

// A fixed secret and a fixed time; the wrong code is one no step of the ±1 window produces.
const secret = Uint8Array.from({ length: 20 }, (_, i) => (i * 37 + 11) & 0xff);
const secretBase32 = encodeBase32(secret);
const secretBuffer = Buffer.from(secret);
const time = 1_700_000_000_000;
const epoch = time / 1000;
const window = new Set([-30_000, 0, 30_000].map((d) => totp(secret, { time: time + d })));
let wrong = 0;
while (window.has(String(wrong).padStart(6, '0'))) wrong++;
const wrongCode = String(wrong).padStart(6, '0');
const rightCode = totp(secret, { time });

const otpauth = new OTPAuth.TOTP({ secret: new OTPAuth.Secret({ buffer: secret.slice().buffer }), algorithm: 'SHA1', digits: 6, period: 30 });

// Self-check: every contestant agrees on the code and rejects the wrong one, so the bench
// compares equal work.
const agree = [
  otplibGenerate({ secret, epoch }),
  otpauth.generate({ timestamp: time }),
  speakeasy.totp({ secret: secretBase32, encoding: 'base32', time: epoch }),
];
if (agree.some((c) => c !== rightCode)) throw new Error('otp.bench: peers disagree on the code');
if (verifyTotp(secret, wrongCode, { time }).ok || otpauth.validate({ token: wrongCode, timestamp: time, window: 1 }) !== null) {
  throw new Error('otp.bench: wrong code accepted');
}

// The floor: the key pads hashed once; each step clones the keyed state into one reused target.
const keyed = hmac.create(sha1, secret);
const counterBytes = new Uint8Array(8);
const counterView = new DataView(counterBytes.buffer);
let scratch: ReturnType<typeof hmac.create> | undefined;
function floorThreeHmacs(step: number): number {
  let acc = 0;
  for (let i = -1; i <= 1; i++) {
    counterView.setUint32(4, step + i);
    scratch = keyed._cloneInto(scratch as never) as ReturnType<typeof hmac.create>;
    acc ^= scratch.update(counterBytes).digest()[19]!;
  }
  return acc;
}
const step = Math.floor(epoch / 30);

summary(() => {
  group('TOTP generate (SHA-1, 6 digits)', () => {
    bench('mfakit (Uint8Array secret)', () => do_not_optimize(totp(secret, { time })));
    bench('mfakit (base32 string secret)', () => do_not_optimize(totp(secretBase32, { time })));
    bench('otplib', () => do_not_optimize(otplibGenerate({ secret, epoch })));
    bench('otpauth', () => do_not_optimize(otpauth.generate({ timestamp: time })));
    bench('@oslojs/otp', () => do_not_optimize(generateTOTP(secret, 30, 6)));
    bench('speakeasy', () => do_not_optimize(speakeasy.totp({ secret: secretBuffer as never, time: epoch })));
  });
});

summary(() => {
  group('TOTP verify, wrong code, window ±1 (SHA-1, 6 digits)', () => {
    bench('mfakit (Uint8Array secret)', () => do_not_optimize(verifyTotp(secret, wrongCode, { time })));
    bench('mfakit (base32 string secret)', () => do_not_optimize(verifyTotp(secretBase32, wrongCode, { time })));
    bench('otplib', () => do_not_optimize(otplibVerify({ secret, token: wrongCode, epoch, epochTolerance: 30 })));
    bench('otpauth', () => do_not_optimize(otpauth.validate({ token: wrongCode, timestamp: time, window: 1 })));
    bench('@oslojs/otp', () => do_not_optimize(verifyTOTPWithGracePeriod(secret, 30, 6, wrongCode, 30)));
    bench('speakeasy', () =>
      do_not_optimize(speakeasy.totp.verify({ secret: secretBuffer as never, token: wrongCode, time: epoch, window: 1 })),
    );
    bench('floor: 3× HMAC-SHA1, key pads precomputed (noble _cloneInto)', () => do_not_optimize(floorThreeHmacs(step)));
  });
});

summary(() => {
  group('TOTP verify, right code, window ±1 (SHA-1, 6 digits)', () => {
    bench('mfakit (Uint8Array secret)', () => do_not_optimize(verifyTotp(secret, rightCode, { time })));
    bench('otpauth', () => do_not_optimize(otpauth.validate({ token: rightCode, timestamp: time, window: 1 })));
  });
});

group('mfakit other algorithms, verify wrong code, window ±1', () => {
  bench('SHA256', () => do_not_optimize(verifyTotp(secret, wrongCode, { time, algorithm: 'SHA256' })));
  bench('SHA512', () => do_not_optimize(verifyTotp(secret, wrongCode, { time, algorithm: 'SHA512' })));
});
