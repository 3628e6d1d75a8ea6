// A table of bad inputs per public function of the OTP core. Two rules:
// 1. A token typed by a user is never an exception: any value, of any type, gives a result.
// 2. Bad configuration (secret, options, counter, time) throws MfaError with the documented code,
//    and the message never contains the secret or the token.
import { describe, expect, it } from 'vitest';
import {
  decodeBase32,
  encodeBase32,
  generateSecret,
  hotp,
  MfaError,
  remainingSeconds,
  timeStep,
  totp,
  verifyHotp,
  verifyTotp,
  type MfaErrorCode,
} from '../src/index.js';
import { thrown } from './support/rejection.js';

const secret = Uint8Array.from({ length: 20 }, (_, i) => i + 1);
const time = 1_700_000_000_000;
const any = (value: unknown) => value as never;

/** Runs `fn` and returns the MfaError it throws (failing the test if it throws anything else or nothing). */

const BAD_TOKENS: ReadonlyArray<[string, unknown]> = [
  ['undefined', undefined],
  ['null', null],
  ['a number', 123456],
  ['a bigint', 123456n],
  ['NaN', Number.NaN],
  ['an object', { toString: () => '123456' }],
  ['an array', ['123456']],
  ['a boolean', true],
  ['a symbol', Symbol('123456')],
  ['a function', () => '123456'],
  ['a String object', new String('123456')],
  ['empty', ''],
  ['only spaces', '      '],
  ['5 digits', '12345'],
  ['7 digits', '1234567'],
  ['letters', 'abcdef'],
  ['a letter inside', '12345a'],
  ['a plus sign', '+12345'],
  ['a decimal point', '123.45'],
  ['an exponent', '1e5000'],
  ['hex', '0x1234'],
  ['Arabic-Indic digits', '١٢٣٤٥٦'],
  ['NUL characters', '123\u0000456'],
  ['a long string', '1'.repeat(100_000)],
  ['a long run of spaces', `${' '.repeat(100_000)}123456`],
  ['a lone surrogate', '123\ud800456'],
];

describe('verifyTotp: any token value gives a result, never an exception', () => {
  it.each(BAD_TOKENS)('%s → format', (_, token) => {
    expect(verifyTotp(secret, any(token), { time })).toEqual({ ok: false, reason: 'format' });
  });

  it('a well-formed wrong code → mismatch', () => {
    const right = totp(secret, { time });
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    expect(verifyTotp(secret, wrong, { time, window: 0 })).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('verifyHotp: any token value gives a result, never an exception', () => {
  it.each(BAD_TOKENS)('%s → format', (_, token) => {
    expect(verifyHotp(secret, any(token), 0)).toEqual({ ok: false, reason: 'format' });
  });
});

interface BadConfig {
  name: string;
  run: () => unknown;
  code: MfaErrorCode;
}

const badSecrets = (run: (s: unknown) => unknown): BadConfig[] => [
  { name: 'secret: not base32', run: () => run('not base32!'), code: 'INVALID_BASE32' },
  { name: 'secret: impossible base32 length', run: () => run('ABCDEFGHA'), code: 'INVALID_BASE32' },
  { name: 'secret: 10 bytes', run: () => run(new Uint8Array(10)), code: 'SECRET_TOO_SHORT' },
  { name: 'secret: 15 bytes', run: () => run(new Uint8Array(15)), code: 'SECRET_TOO_SHORT' },
  { name: 'secret: empty', run: () => run(new Uint8Array(0)), code: 'SECRET_TOO_SHORT' },
  { name: 'secret: empty string', run: () => run(''), code: 'SECRET_TOO_SHORT' },
  { name: 'secret: a number', run: () => run(12345), code: 'INVALID_OPTION' },
  { name: 'secret: null', run: () => run(null), code: 'INVALID_OPTION' },
  { name: 'secret: an ArrayBuffer', run: () => run(new ArrayBuffer(20)), code: 'INVALID_OPTION' },
  { name: 'secret: a number array', run: () => run(Array.from({ length: 20 }, () => 1)), code: 'INVALID_OPTION' },
];

const badOtpOptions = (run: (o: object) => unknown): BadConfig[] => [
  { name: 'digits 5', run: () => run({ digits: 5 }), code: 'INVALID_OPTION' },
  { name: 'digits 11', run: () => run({ digits: 11 }), code: 'INVALID_OPTION' },
  { name: 'digits 6.5', run: () => run({ digits: 6.5 }), code: 'INVALID_OPTION' },
  { name: "digits '6'", run: () => run({ digits: '6' }), code: 'INVALID_OPTION' },
  { name: 'digits NaN', run: () => run({ digits: Number.NaN }), code: 'INVALID_OPTION' },
  { name: "algorithm 'sha1'", run: () => run({ algorithm: 'sha1' }), code: 'UNSUPPORTED_ALGORITHM' },
  { name: "algorithm 'MD5'", run: () => run({ algorithm: 'MD5' }), code: 'UNSUPPORTED_ALGORITHM' },
  { name: "algorithm 'SHA-256'", run: () => run({ algorithm: 'SHA-256' }), code: 'UNSUPPORTED_ALGORITHM' },
  { name: 'algorithm toString', run: () => run({ algorithm: 'toString' }), code: 'UNSUPPORTED_ALGORITHM' },
];

const badTimeOptions = (run: (o: object) => unknown): BadConfig[] => [
  { name: 'time NaN', run: () => run({ time: Number.NaN }), code: 'INVALID_OPTION' },
  { name: 'time Infinity', run: () => run({ time: Number.POSITIVE_INFINITY }), code: 'INVALID_OPTION' },
  { name: 'time negative', run: () => run({ time: -1 }), code: 'INVALID_OPTION' },
  { name: "time '59000'", run: () => run({ time: '59000' }), code: 'INVALID_OPTION' },
  { name: 'time a Date', run: () => run({ time: new Date(59_000) }), code: 'INVALID_OPTION' },
  { name: 'time beyond 2^53 steps', run: () => run({ time: 1e300 }), code: 'INVALID_OPTION' },
  { name: 'period 0', run: () => run({ period: 0 }), code: 'INVALID_OPTION' },
  { name: 'period -30', run: () => run({ period: -30 }), code: 'INVALID_OPTION' },
  { name: 'period 1.5', run: () => run({ period: 1.5 }), code: 'INVALID_OPTION' },
  { name: 'period 86401', run: () => run({ period: 86_401 }), code: 'INVALID_OPTION' },
  { name: 't0 1.5', run: () => run({ t0: 1.5 }), code: 'INVALID_OPTION' },
  { name: 't0 NaN', run: () => run({ t0: Number.NaN }), code: 'INVALID_OPTION' },
  { name: 't0 after time', run: () => run({ t0: 2_000_000_000 }), code: 'INVALID_OPTION' },
];

const BAD_CONFIG: Record<string, BadConfig[]> = {
  hotp: [
    ...badSecrets((s) => hotp(any(s), 0)),
    ...badOtpOptions((o) => hotp(secret, 0, o)),
    { name: 'counter -1', run: () => hotp(secret, -1), code: 'INVALID_OPTION' },
    { name: 'counter 1.5', run: () => hotp(secret, 1.5), code: 'INVALID_OPTION' },
    { name: 'counter NaN', run: () => hotp(secret, Number.NaN), code: 'INVALID_OPTION' },
    { name: 'counter 2^53', run: () => hotp(secret, 2 ** 53), code: 'INVALID_OPTION' },
    { name: 'counter -1n', run: () => hotp(secret, -1n), code: 'INVALID_OPTION' },
    { name: 'counter 2^64', run: () => hotp(secret, 1n << 64n), code: 'INVALID_OPTION' },
    { name: "counter '1'", run: () => hotp(secret, any('1')), code: 'INVALID_OPTION' },
    { name: 'counter undefined', run: () => hotp(secret, any(undefined)), code: 'INVALID_OPTION' },
  ],
  verifyHotp: [
    ...badSecrets((s) => verifyHotp(any(s), '123456', 0)),
    ...badOtpOptions((o) => verifyHotp(secret, '123456', 0, o)),
    { name: 'counter -1', run: () => verifyHotp(secret, '123456', -1), code: 'INVALID_OPTION' },
    { name: 'counter 2^64', run: () => verifyHotp(secret, '123456', 1n << 64n), code: 'INVALID_OPTION' },
    { name: 'lookAhead -1', run: () => verifyHotp(secret, '123456', 0, { lookAhead: -1 }), code: 'INVALID_OPTION' },
    { name: 'lookAhead 1001', run: () => verifyHotp(secret, '123456', 0, { lookAhead: 1001 }), code: 'INVALID_OPTION' },
    { name: 'lookAhead 1.5', run: () => verifyHotp(secret, '123456', 0, { lookAhead: 1.5 }), code: 'INVALID_OPTION' },
    { name: 'bad config wins over a bad token', run: () => verifyHotp(secret, any(null), 0, { digits: 4 }), code: 'INVALID_OPTION' },
  ],
  totp: [
    ...badSecrets((s) => totp(any(s), { time })),
    ...badOtpOptions((o) => totp(secret, { time, ...o })),
    ...badTimeOptions((o) => totp(secret, { time, ...o })),
  ],
  verifyTotp: [
    ...badSecrets((s) => verifyTotp(any(s), '123456', { time })),
    ...badOtpOptions((o) => verifyTotp(secret, '123456', { time, ...o })),
    ...badTimeOptions((o) => verifyTotp(secret, '123456', { time, ...o })),
    { name: 'window -1', run: () => verifyTotp(secret, '123456', { time, window: -1 }), code: 'INVALID_OPTION' },
    { name: 'window 11', run: () => verifyTotp(secret, '123456', { time, window: 11 }), code: 'INVALID_OPTION' },
    { name: 'window 1.5', run: () => verifyTotp(secret, '123456', { time, window: 1.5 }), code: 'INVALID_OPTION' },
    { name: 'window [1]', run: () => verifyTotp(secret, '123456', { time, window: any([1]) }), code: 'INVALID_OPTION' },
    { name: 'window [1, -1]', run: () => verifyTotp(secret, '123456', { time, window: [1, -1] }), code: 'INVALID_OPTION' },
    { name: "window 'x'", run: () => verifyTotp(secret, '123456', { time, window: any('x') }), code: 'INVALID_OPTION' },
    { name: 'window {}', run: () => verifyTotp(secret, '123456', { time, window: any({}) }), code: 'INVALID_OPTION' },
    { name: 'afterStep 1.5', run: () => verifyTotp(secret, '123456', { time, afterStep: 1.5 }), code: 'INVALID_OPTION' },
    { name: "afterStep '1'", run: () => verifyTotp(secret, '123456', { time, afterStep: any('1') }), code: 'INVALID_OPTION' },
    { name: 'afterStep NaN', run: () => verifyTotp(secret, '123456', { time, afterStep: Number.NaN }), code: 'INVALID_OPTION' },
    { name: 'afterStep -2', run: () => verifyTotp(secret, '123456', { time, afterStep: -2 }), code: 'INVALID_OPTION' },
    { name: 'bad config wins over a bad token', run: () => verifyTotp(secret, any(42), { time, digits: 11 }), code: 'INVALID_OPTION' },
  ],
  timeStep: badTimeOptions((o) => timeStep({ time, ...o })),
  remainingSeconds: [
    { name: 'time NaN', run: () => remainingSeconds(Number.NaN), code: 'INVALID_OPTION' },
    { name: "time '0'", run: () => remainingSeconds(any('0')), code: 'INVALID_OPTION' },
    { name: 'period 0', run: () => remainingSeconds(time, 0), code: 'INVALID_OPTION' },
    { name: 't0 0.5', run: () => remainingSeconds(time, 30, 0.5), code: 'INVALID_OPTION' },
  ],
  generateSecret: [
    { name: 'bytes 0', run: () => generateSecret({ bytes: 0 }), code: 'INVALID_OPTION' },
    { name: 'bytes 15', run: () => generateSecret({ bytes: 15 }), code: 'SECRET_TOO_SHORT' },
    { name: 'bytes 1025', run: () => generateSecret({ bytes: 1025 }), code: 'INVALID_OPTION' },
    { name: 'bytes 20.5', run: () => generateSecret({ bytes: 20.5 }), code: 'INVALID_OPTION' },
    { name: 'rng returns too few bytes', run: () => generateSecret({ rng: () => new Uint8Array(4) }), code: 'INVALID_OPTION' },
    { name: 'rng returns an array', run: () => generateSecret({ rng: (n) => any(Array.from({ length: n }, () => 0)) }), code: 'INVALID_OPTION' },
  ],
  encodeBase32: [
    { name: 'a string', run: () => encodeBase32(any('abc')), code: 'INVALID_OPTION' },
    { name: 'null', run: () => encodeBase32(any(null)), code: 'INVALID_OPTION' },
    { name: 'an array', run: () => encodeBase32(any([1, 2, 3])), code: 'INVALID_OPTION' },
  ],
  decodeBase32: [
    { name: 'a number', run: () => decodeBase32(any(123)), code: 'INVALID_BASE32' },
    { name: 'null', run: () => decodeBase32(any(null)), code: 'INVALID_BASE32' },
    { name: "'0' (not in the alphabet)", run: () => decodeBase32('AAAAAAA0'), code: 'INVALID_BASE32' },
    { name: "'1'", run: () => decodeBase32('AAAAAAA1'), code: 'INVALID_BASE32' },
    { name: "'8'", run: () => decodeBase32('AAAAAAA8'), code: 'INVALID_BASE32' },
    { name: 'one character', run: () => decodeBase32('A'), code: 'INVALID_BASE32' },
    { name: 'three characters', run: () => decodeBase32('AAA'), code: 'INVALID_BASE32' },
    { name: 'six characters', run: () => decodeBase32('AAAAAA'), code: 'INVALID_BASE32' },
    { name: 'data after padding', run: () => decodeBase32('AA=A'), code: 'INVALID_BASE32' },
    { name: 'base64 characters', run: () => decodeBase32('AAAA+/AA'), code: 'INVALID_BASE32' },
    { name: 'full-width letters', run: () => decodeBase32('ＡＡＡＡ'), code: 'INVALID_BASE32' },
  ],
};

describe.each(Object.entries(BAD_CONFIG))('%s: bad configuration throws MfaError', (_, cases) => {
  it.each(cases)('$name → $code', ({ run, code }) => {
    expect(thrown(run).code).toBe(code);
  });
});

describe('error messages never contain the secret or the token', () => {
  it('base32 secrets and tokens stay out of messages', () => {
    const base32Secret = 'MYSECRETKEYVALUE7!';
    const messages = [
      thrown(() => totp(base32Secret, { time })).message,
      thrown(() => verifyTotp(base32Secret, '987654', { time })).message,
      thrown(() => verifyTotp(secret, '987654', { time, digits: 99 })).message,
      thrown(() => verifyHotp(secret, '987654', -1)).message,
      thrown(() => decodeBase32(base32Secret, { strict: true })).message,
    ];
    for (const message of messages) {
      expect(message).not.toContain('MYSECRET');
      expect(message).not.toContain('987654');
    }
  });
});
