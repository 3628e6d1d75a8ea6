// Published test vectors: RFC 4226 Appendix D (HOTP, HMAC-SHA-1) and RFC 6238 Appendix B (TOTP,
// SHA-1, SHA-256, SHA-512), quoted in tables with their source.
import { describe, expect, it } from 'vitest';
import { hotp, totp, verifyHotp, verifyTotp, type OtpAlgorithm } from '../src/index.js';
import { hmacCounter } from '../src/_internal/hmac-otp.js';
import { ascii, hex } from './support/otp-reference.js';

/** RFC 4226 Appendix D: secret = ASCII "12345678901234567890". */
const RFC4226_SECRET = ascii('12345678901234567890');

interface Rfc4226Row {
  count: number;
  /** "HMAC-SHA-1(secret, count)" column, hex. */
  hmac: string;
  /** "Truncated" column, decimal (the 31-bit dynamic truncation). */
  truncated: number;
  /** "HOTP" column, 6 digits. */
  hotp: string;
}

/** RFC 4226 Appendix D, "Test Values". */
const RFC4226_APPENDIX_D: readonly Rfc4226Row[] = [
  { count: 0, hmac: 'cc93cf18508d94934c64b65d8ba7667fb7cde4b0', truncated: 1284755224, hotp: '755224' },
  { count: 1, hmac: '75a48a19d4cbe100644e8ac1397eea747a2d33ab', truncated: 1094287082, hotp: '287082' },
  { count: 2, hmac: '0bacb7fa082fef30782211938bc1c5e70416ff44', truncated: 137359152, hotp: '359152' },
  { count: 3, hmac: '66c28227d03a2d5529262ff016a1e6ef76557ece', truncated: 1726969429, hotp: '969429' },
  { count: 4, hmac: 'a904c900a64b35909874b33e61c5938a8e15ed1c', truncated: 1640338314, hotp: '338314' },
  { count: 5, hmac: 'a37e783d7b7233c083d4f62926c7a25f238d0316', truncated: 868254676, hotp: '254676' },
  { count: 6, hmac: 'bc9cd28561042c83f219324d3c607256c03272ae', truncated: 1918287922, hotp: '287922' },
  { count: 7, hmac: 'a4fb960c0bc06e1eabb804e5b397cdc4b45596fa', truncated: 82162583, hotp: '162583' },
  { count: 8, hmac: '1b3c89f65e6c9e883012052823443f048b4332db', truncated: 673399871, hotp: '399871' },
  { count: 9, hmac: '1637409809a679dc698207310c8c7fc07290d9e5', truncated: 645520489, hotp: '520489' },
];

describe('RFC 4226 Appendix D (HOTP, HMAC-SHA-1)', () => {
  it.each(RFC4226_APPENDIX_D)('count $count: HMAC $hmac', ({ count, hmac }) => {
    expect(hex(hmacCounter('SHA1', RFC4226_SECRET, 0, count))).toBe(hmac);
  });

  it.each(RFC4226_APPENDIX_D)('count $count: HOTP $hotp', ({ count, hotp: code }) => {
    expect(hotp(RFC4226_SECRET, count)).toBe(code);
    expect(hotp(RFC4226_SECRET, BigInt(count))).toBe(code);
    expect(verifyHotp(RFC4226_SECRET, code, count)).toEqual({ ok: true, counter: count, delta: 0 });
  });

  it.each(RFC4226_APPENDIX_D)('count $count: 10 digits show the whole truncated value $truncated', ({ count, truncated }) => {
    expect(hotp(RFC4226_SECRET, count, { digits: 10 })).toBe(String(truncated).padStart(10, '0'));
  });

  it('finds each code with look-ahead from counter 0 (RFC 4226 §7.4)', () => {
    for (const { count, hotp: code } of RFC4226_APPENDIX_D) {
      expect(verifyHotp(RFC4226_SECRET, code, 0, { lookAhead: 9 })).toEqual({ ok: true, counter: count, delta: count });
    }
  });
});

/** RFC 6238 Appendix B seeds: ASCII digits repeated to the hash's output length. */
const RFC6238_SEED: Record<OtpAlgorithm, Uint8Array> = {
  SHA1: ascii('12345678901234567890'),
  SHA256: ascii('12345678901234567890123456789012'),
  SHA512: ascii('1234567890123456789012345678901234567890123456789012345678901234'),
};

interface Rfc6238Row {
  /** "Time (sec)" column. */
  time: number;
  /** "Value of T (hex)" column. */
  step: string;
  algorithm: OtpAlgorithm;
  /** "TOTP" column (8 digits, X = 30, T0 = 0). */
  totp: string;
}

/** RFC 6238 Appendix B, "Test Vectors" table (all 18 rows). */
const RFC6238_APPENDIX_B: readonly Rfc6238Row[] = [
  { time: 59, step: '0000000000000001', algorithm: 'SHA1', totp: '94287082' },
  { time: 59, step: '0000000000000001', algorithm: 'SHA256', totp: '46119246' },
  { time: 59, step: '0000000000000001', algorithm: 'SHA512', totp: '90693936' },
  { time: 1111111109, step: '00000000023523EC', algorithm: 'SHA1', totp: '07081804' },
  { time: 1111111109, step: '00000000023523EC', algorithm: 'SHA256', totp: '68084774' },
  { time: 1111111109, step: '00000000023523EC', algorithm: 'SHA512', totp: '25091201' },
  { time: 1111111111, step: '00000000023523ED', algorithm: 'SHA1', totp: '14050471' },
  { time: 1111111111, step: '00000000023523ED', algorithm: 'SHA256', totp: '67062674' },
  { time: 1111111111, step: '00000000023523ED', algorithm: 'SHA512', totp: '99943326' },
  { time: 1234567890, step: '000000000273EF07', algorithm: 'SHA1', totp: '89005924' },
  { time: 1234567890, step: '000000000273EF07', algorithm: 'SHA256', totp: '91819424' },
  { time: 1234567890, step: '000000000273EF07', algorithm: 'SHA512', totp: '93441116' },
  { time: 2000000000, step: '0000000003F940AA', algorithm: 'SHA1', totp: '69279037' },
  { time: 2000000000, step: '0000000003F940AA', algorithm: 'SHA256', totp: '90698825' },
  { time: 2000000000, step: '0000000003F940AA', algorithm: 'SHA512', totp: '38618901' },
  { time: 20000000000, step: '0000000027BC86AA', algorithm: 'SHA1', totp: '65353130' },
  { time: 20000000000, step: '0000000027BC86AA', algorithm: 'SHA256', totp: '77737706' },
  { time: 20000000000, step: '0000000027BC86AA', algorithm: 'SHA512', totp: '47863826' },
];

describe('RFC 6238 Appendix B (TOTP, SHA-1/SHA-256/SHA-512, 8 digits)', () => {
  it.each(RFC6238_APPENDIX_B)('$algorithm at T = $time s: $totp', ({ time, step, algorithm, totp: code }) => {
    const secret = RFC6238_SEED[algorithm];
    expect(totp(secret, { time: time * 1000, digits: 8, algorithm })).toBe(code);
    expect(verifyTotp(secret, code, { time: time * 1000, digits: 8, algorithm, window: 0 })).toEqual({
      ok: true,
      step: Number.parseInt(step, 16),
      delta: 0,
    });
  });

  it.each(RFC6238_APPENDIX_B)('$algorithm at T = $time s: HOTP at step $step equals TOTP', ({ step, algorithm, totp: code }) => {
    expect(hotp(RFC6238_SEED[algorithm], BigInt(`0x${step}`), { digits: 8, algorithm })).toBe(code);
  });

  it.each(RFC6238_APPENDIX_B)('$algorithm at T = $time s: base32 secret gives the same code', ({ time, algorithm, totp: code }) => {
    expect(totp(encode(RFC6238_SEED[algorithm]), { time: time * 1000, digits: 8, algorithm })).toBe(code);
  });
});

function encode(bytes: Uint8Array): string {
  // RFC 4648 §6 by the book, independent of encodeBase32.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const b of bytes) bits += b.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i < bits.length; i += 5) out += alphabet[Number.parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
  return out;
}
