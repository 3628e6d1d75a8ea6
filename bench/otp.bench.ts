// TOTP (SHA-1, 6 digits) generate and verify: mfakit side by side with the peers, plus the floor —
// three HMAC-SHA1 computations of an 8-byte counter with the key pads hashed once (noble
// `hmac.create(sha1, key)` + `_cloneInto` into one reused state, no allocation per step).
// Run: `npm run bench -- otp`. After mitata's report, teardown() prints ops/s (from the median and
// the mean) for these groups and checks the targets: mfakit verify ≥ 3× the fastest peer and within
// 1.5× of the floor.
import { B, bench as mitataBench, do_not_optimize, group, summary } from 'mitata';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { generateSync as otplibGenerate, verifySync as otplibVerify } from 'otplib';
import * as OTPAuth from 'otpauth';
import { generateTOTP, verifyTOTPWithGracePeriod } from '@oslojs/otp';
import speakeasy from 'speakeasy';
import { encodeBase32, totp, verifyTotp } from '../src/index.js';

// Capture this file's results: mitata's runner keeps them to itself, so wrap B#run for our benches.
interface Figure {
  group: string;
  name: string;
  median: number;
  mean: number;
}
const figures: Figure[] = [];
const ours = new Map<B, string>();
let currentGroup = '';
const originalRun = B.prototype.run;
B.prototype.run = async function run(this: B, ...args: Parameters<B['run']>) {
  const trial = await originalRun.apply(this, args);
  const groupName = ours.get(this);
  const stats = (trial as { runs?: Array<{ name: string; stats?: { p50: number; avg: number } }> }).runs?.[0];
  if (groupName !== undefined && stats?.stats) {
    figures.push({ group: groupName, name: stats.name, median: 1e9 / stats.stats.p50, mean: 1e9 / stats.stats.avg });
  }
  return trial;
};
function bench(name: string, fn: () => void): B {
  const b = mitataBench(name, fn);
  ours.set(b, currentGroup);
  return b;
}
function namedGroup(key: string, title: string, body: () => void): void {
  currentGroup = key;
  group(title, body);
}

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
  namedGroup('generate', 'TOTP generate (SHA-1, 6 digits)', () => {
    bench('mfakit (Uint8Array secret)', () => do_not_optimize(totp(secret, { time })));
    bench('mfakit (base32 string secret)', () => do_not_optimize(totp(secretBase32, { time })));
    bench('otplib', () => do_not_optimize(otplibGenerate({ secret, epoch })));
    bench('otpauth', () => do_not_optimize(otpauth.generate({ timestamp: time })));
    bench('@oslojs/otp', () => do_not_optimize(generateTOTP(secret, 30, 6)));
    bench('speakeasy', () => do_not_optimize(speakeasy.totp({ secret: secretBuffer as never, time: epoch })));
  });
});

summary(() => {
  namedGroup('verify wrong', 'TOTP verify, wrong code, window ±1 (SHA-1, 6 digits)', () => {
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
  namedGroup('verify right', 'TOTP verify, right code, window ±1 (SHA-1, 6 digits)', () => {
    bench('mfakit (Uint8Array secret)', () => do_not_optimize(verifyTotp(secret, rightCode, { time })));
    bench('otpauth', () => do_not_optimize(otpauth.validate({ token: rightCode, timestamp: time, window: 1 })));
  });
});

namedGroup('SHA-2', 'mfakit SHA-256/SHA-512, verify wrong code, window ±1', () => {
  bench('SHA256', () => do_not_optimize(verifyTotp(secret, wrongCode, { time, algorithm: 'SHA256' })));
  bench('SHA512', () => do_not_optimize(verifyTotp(secret, wrongCode, { time, algorithm: 'SHA512' })));
});

/**
 * Ops/s of each contestant, measured in interleaved rounds (every round runs each one for a short
 * slice) and reduced to the median: on a shared, noisy machine a load swing then hits every
 * contestant alike, so the ratios hold even when the absolute figures do not.
 */
function interleaved(contestants: ReadonlyArray<readonly [string, () => unknown]>, rounds = 15, sliceMs = 25): Map<string, number> {
  const samples = new Map<string, number[]>(contestants.map(([name]) => [name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of contestants) {
      let calls = 0;
      const start = performance.now();
      let elapsed = 0;
      do {
        for (let i = 0; i < 16; i++) do_not_optimize(fn());
        calls += 16;
        elapsed = performance.now() - start;
      } while (elapsed < sliceMs);
      samples.get(name)!.push((calls / elapsed) * 1000);
    }
  }
  const median = (v: number[]) => v.sort((x, y) => x - y)[v.length >> 1]!;
  return new Map([...samples].map(([name, v]) => [name, median(v)]));
}

const VERIFY_CONTESTANTS: ReadonlyArray<readonly [string, () => unknown]> = [
  ['mfakit', () => verifyTotp(secret, wrongCode, { time })],
  ['otplib', () => otplibVerify({ secret, token: wrongCode, epoch, epochTolerance: 30 })],
  ['otpauth', () => otpauth.validate({ token: wrongCode, timestamp: time, window: 1 })],
  ['@oslojs/otp', () => verifyTOTPWithGracePeriod(secret, 30, 6, wrongCode, 30)],
  ['speakeasy', () => speakeasy.totp.verify({ secret: secretBuffer as never, token: wrongCode, time: epoch, window: 1 })],
  ['floor', () => floorThreeHmacs(step)],
];

/** Prints the ops/s table and checks the targets (called by bench/index.ts after the run). */
export function teardown(): void {
  B.prototype.run = originalRun;
  if (figures.length === 0) return;
  const fmt = (n: number) => `${Math.round(n / 1000).toLocaleString('en-US')}k`.padStart(8);
  console.log('\notp.bench: ops/s from the mitata run above, median | mean (1e9 / ns per call)');
  for (const f of figures) console.log(`  ${f.group.padEnd(16)} ${f.name.padEnd(64)} ${fmt(f.median)} | ${fmt(f.mean)}`);

  console.log('\notp.bench: TOTP verify, wrong code, window ±1 — interleaved rounds, median ops/s');
  const ops = interleaved(VERIFY_CONTESTANTS);
  for (const [name, value] of ops) console.log(`  ${name.padEnd(16)} ${fmt(value)}`);
  const mine = ops.get('mfakit')!;
  const floor = ops.get('floor')!;
  const [bestPeer, best] = [...ops].filter(([n]) => n !== 'mfakit' && n !== 'floor').reduce((x, y) => (y[1] > x[1] ? y : x));
  const vsPeer = mine / best;
  const vsFloor = mine / floor;
  console.log(`  mfakit = ${vsPeer.toFixed(2)}× the fastest peer (${bestPeer}): target ≥ 3× ${vsPeer >= 3 ? 'met' : 'MISSED'}`);
  console.log(`  mfakit = ${vsFloor.toFixed(2)}× the floor: target ≥ 0.67× (within 1.5×) ${vsFloor >= 1 / 1.5 ? 'met' : 'MISSED'}`);
}
