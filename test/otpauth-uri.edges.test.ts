// The exact answers of the otpauth URI builder and parser at each edge: every parse failure and
// warning with its message and parameter, every builder refusal with its message, and the
// boundaries (digits 6/10, period 1/86400, counter 2^53 and 2^64, 128-bit secrets, the issuer
// fallbacks). Messages are part of the contract: they go to logs and UIs, and name what is wrong
// without the secret.
import { describe, expect, it } from 'vitest';
import { buildOtpauthUri, parseOtpauthUri, type OtpauthUriInput } from '../src/otpauth-uri.js';
import { encodeBase32 } from '../src/base32.js';
import { thrownCodeAndMessage } from './support/rejection.js';

const S = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'; // 20 bytes, canonical
const uri = (query: string, label = 'Acme:alice', type = 'totp') => `otpauth://${type}/${label}?${query}`;

function parsed(text: string) {
  const r = parseOtpauthUri(text);
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r;
}

describe('parseOtpauthUri: every failure, exactly', () => {
  it.each([
    ['a non-string', 42, 'NOT_OTPAUTH_URI', 'URI must be a string'],
    ['another scheme', 'https://example.com/?secret=' + S, 'NOT_OTPAUTH_URI', "URI must start with 'otpauth://'"],
    ['text before the scheme', 'x otpauth://totp/a?secret=' + S, 'NOT_OTPAUTH_URI', "URI must start with 'otpauth://'"],
    ['an unknown type', uri(`secret=${S}`, 'a', 'motp'), 'UNSUPPORTED_TYPE', "type must be 'totp' or 'hotp'"],
    ['a type with a suffix', uri(`secret=${S}`, 'a', 'totpx'), 'UNSUPPORTED_TYPE', "type must be 'totp' or 'hotp'"],
    ['a bad escape in the label', uri(`secret=${S}`, 'Acme:%ZZ'), 'INVALID_ENCODING', 'label has a malformed percent-escape'],
    ['an empty label', uri(`secret=${S}`, ''), 'INVALID_LABEL', 'label has no account name'],
    ['an issuer prefix and no account', uri(`secret=${S}`, 'Acme:'), 'INVALID_LABEL', 'label has no account name'],
    ['an account of whitespace only', uri(`secret=${S}`, 'Acme:%20%20'), 'INVALID_LABEL', 'label has no account name'],
    ['a bad escape in a parameter value', uri(`secret=${S}&image=%G1`), 'INVALID_ENCODING', 'query has a malformed percent-escape'],
    ['a bad escape in a parameter name', uri(`secret=${S}&im%zzage=x`), 'INVALID_ENCODING', 'query has a malformed percent-escape'],
    ['no secret', uri('issuer=Acme'), 'MISSING_SECRET', 'secret parameter is missing'],
    ['a secret of spaces', uri('secret=%20%20'), 'MISSING_SECRET', 'secret parameter is missing'],
    ['a secret that decodes to nothing', uri('secret=-'), 'MISSING_SECRET', 'secret parameter is empty'],
    ['a secret that is not base32', uri('secret=AB!C'), 'INVALID_SECRET', 'secret is not base32'],
    ['an unknown algorithm', uri(`secret=${S}&algorithm=MD5`), 'UNSUPPORTED_ALGORITHM', 'algorithm must be SHA1, SHA256 or SHA512'],
    ['digits 5', uri(`secret=${S}&digits=5`), 'INVALID_DIGITS', 'digits must be an integer from 6 to 10'],
    ['digits 11', uri(`secret=${S}&digits=11`), 'INVALID_DIGITS', 'digits must be an integer from 6 to 10'],
    ['digits not a number', uri(`secret=${S}&digits=six`), 'INVALID_DIGITS', 'digits must be an integer from 6 to 10'],
    ['digits with a sign', uri(`secret=${S}&digits=%2B8`), 'INVALID_DIGITS', 'digits must be an integer from 6 to 10'],
    ['digits of 7 characters', uri(`secret=${S}&digits=0000008`), 'INVALID_DIGITS', 'digits must be an integer from 6 to 10'],
    ['digits with text after', uri(`secret=${S}&digits=8x`), 'INVALID_DIGITS', 'digits must be an integer from 6 to 10'],
    ['period 0', uri(`secret=${S}&period=0`), 'INVALID_PERIOD', 'period must be an integer from 1 to 86400'],
    ['period 86401', uri(`secret=${S}&period=86401`), 'INVALID_PERIOD', 'period must be an integer from 1 to 86400'],
    ['period empty', uri(`secret=${S}&period=`), 'INVALID_PERIOD', 'period must be an integer from 1 to 86400'],
    ['hotp without a counter', uri(`secret=${S}`, 'a', 'hotp'), 'MISSING_COUNTER', 'hotp URI needs a counter parameter'],
    ['a counter of 2^64', uri(`secret=${S}&counter=18446744073709551616`, 'a', 'hotp'), 'INVALID_COUNTER', 'counter must be an integer from 0 to 2^64-1'],
    ['a counter of 21 digits', uri(`secret=${S}&counter=000000000000000000001`, 'a', 'hotp'), 'INVALID_COUNTER', 'counter must be an integer from 0 to 2^64-1'],
    ['a negative counter', uri(`secret=${S}&counter=-1`, 'a', 'hotp'), 'INVALID_COUNTER', 'counter must be an integer from 0 to 2^64-1'],
    ['a counter with text after', uri(`secret=${S}&counter=1x`, 'a', 'hotp'), 'INVALID_COUNTER', 'counter must be an integer from 0 to 2^64-1'],
  ])('%s', (_, input, code, message) => {
    expect(parseOtpauthUri(input as string)).toEqual({ ok: false, error: { code, message } });
  });
});

describe('parseOtpauthUri: boundaries that parse', () => {
  it('digits 6 and 10, period 1 and 86400, the algorithm in any case and with a hyphen', () => {
    expect(parsed(uri(`secret=${S}&digits=6`)).value.digits).toBe(6);
    expect(parsed(uri(`secret=${S}&digits=10`)).value.digits).toBe(10);
    expect(parsed(uri(`secret=${S}&period=1`)).value).toMatchObject({ type: 'totp', period: 1 });
    expect(parsed(uri(`secret=${S}&period=86400`)).value).toMatchObject({ type: 'totp', period: 86_400 });
    expect(parsed(uri(`secret=${S}&period=000030`)).value).toMatchObject({ period: 30 });
    expect(parsed(uri(`secret=${S}&algorithm=sha-256`)).value.algorithm).toBe('SHA256');
    expect(parsed(uri(`secret=${S}&algorithm=Sha512`)).value.algorithm).toBe('SHA512');
    expect(parsed(uri(`secret=${S}`)).value.algorithm).toBe('SHA1');
  });

  it('counters: 0, 2^53-1 as a number, 2^53 and 2^64-1 as bigints', () => {
    const counter = (c: string) => (parsed(uri(`secret=${S}&counter=${c}`, 'a', 'hotp')).value as { counter: number | bigint }).counter;
    expect(counter('0')).toBe(0);
    expect(counter('9007199254740991')).toBe(9_007_199_254_740_991);
    expect(counter('9007199254740992')).toBe(9_007_199_254_740_992n);
    expect(counter('18446744073709551615')).toBe(18_446_744_073_709_551_615n);
  });

  it('reads the whole URI after trimming, and stops at a fragment', () => {
    expect(parsed(`  ${uri(`secret=${S}&issuer=Acme`)}#frag=x  `).warnings).toEqual([]);
    expect(parsed(`OTPAUTH://TOTP/Acme:alice?secret=${S}&issuer=Acme`).value.type).toBe('totp');
  });

  it('parameter names are case-insensitive for the standard ones, exact for the others', () => {
    const r = parsed(uri(`SECRET=${S}&Issuer=Acme&Image=x`));
    expect(r.value).toMatchObject({ issuer: 'Acme', params: { Image: 'x' } });
    expect(r.warnings).toEqual([{ code: 'UNKNOWN_PARAMETER', parameter: 'Image', message: "'Image' is not in the Key URI format; kept in params" }]);
    expect(parsed(uri(`secret=${S}&issuer=Acme&flag`)).value.params).toEqual({ flag: '' });
    expect(parsed(uri(`secret=${S}&issuer=Acme&&`)).warnings).toEqual([]);
    // A piece starting with '=' has an empty name; '+' is a space in names and values of the query.
    const odd = parsed(uri(`secret=${S}&issuer=Acme&=x&a+b=c+d`));
    expect(odd.value.params).toEqual({ '': 'x', 'a b': 'c d' });
    expect(odd.warnings.map((w) => w.parameter)).toEqual(['', 'a b']);
  });

  it('the parsed params are a plain, writable object; the secret is redacted from JSON and inspection', async () => {
    const r = parsed(uri(`secret=${S}&issuer=Acme&image=x`));
    r.value.params.image = 'changed';
    expect(r.value.params.image).toBe('changed');
    delete (r.value.params as { image?: string }).image;
    expect(r.value.params).toEqual({});
    const { inspect } = await import('node:util');
    for (const value of [r.value, parsed(uri(`secret=${S}&counter=1`, 'a', 'hotp')).value]) {
      expect(value.secret).toBeInstanceOf(Uint8Array);
      expect(JSON.parse(JSON.stringify(value)).secret).toBe('[redacted]');
      expect(inspect(value)).toContain("secret: '[redacted]'");
    }
  });
});

describe('parseOtpauthUri: every warning, exactly', () => {
  it('a canonical URI with a matching issuer has none', () => {
    expect(parsed(uri(`secret=${S}&issuer=Acme`)).warnings).toEqual([]);
    expect(parsed(uri(`secret=${S}&issuer=My%20Co`, 'My+Co:alice')).warnings).toEqual([]);
    expect(parsed(uri(`secret=${S}&issuer=My%20Co`, 'My%20Co:alice')).warnings).toEqual([]);
    // A literal '+' in both: the same issuer, whatever '+' could mean in the label.
    expect(parsed(uri(`secret=${S}&issuer=A%2BB`, 'A+B:alice')).warnings).toEqual([]);
  });

  it('ISSUER_MISMATCH: the parameter wins', () => {
    const r = parsed(uri(`secret=${S}&issuer=Other`));
    expect(r.value.issuer).toBe('Other');
    expect(r.warnings).toEqual([{ code: 'ISSUER_MISMATCH', parameter: 'issuer', message: 'label prefix differs from the issuer parameter; the parameter is used' }]);
  });

  it('the issuer falls back to the label prefix when the parameter is absent or empty; MISSING_ISSUER without either', () => {
    expect(parsed(uri(`secret=${S}`)).value.issuer).toBe('Acme');
    expect(parsed(uri(`secret=${S}`)).warnings).toEqual([]);
    expect(parsed(uri(`secret=${S}&issuer=`)).value.issuer).toBe('Acme');
    const none = parsed(uri(`secret=${S}&issuer=`, ':alice'));
    expect(none.value).not.toHaveProperty('issuer');
    expect(none.value.account).toBe('alice');
    expect(none.warnings).toEqual([{ code: 'MISSING_ISSUER', message: 'no issuer; apps show the account name alone' }]);
    expect(parsed(uri(`secret=${S}`, 'alice')).warnings.map((w) => w.code)).toEqual(['MISSING_ISSUER']);
    // An empty label prefix is a prefix: it differs from an issuer parameter.
    const empty = parsed(uri(`secret=${S}&issuer=Acme`, ':alice'));
    expect(empty.value).toMatchObject({ issuer: 'Acme', account: 'alice' });
    expect(empty.warnings.map((w) => w.code)).toEqual(['ISSUER_MISMATCH']);
  });

  it('an account behind the prefix loses its leading whitespace; one without a prefix keeps it', () => {
    expect(parsed(uri(`secret=${S}`, 'Acme:%20%20alice')).value.account).toBe('alice');
    expect(parsed(uri(`secret=${S}&issuer=Acme`, '%20alice')).value.account).toBe(' alice');
    expect(parsed(uri(`secret=${S}`, 'Acme:a:b')).value.account).toBe('a:b');
  });

  it('DUPLICATE_PARAMETER for standard and other parameters: the first is used', () => {
    const r = parsed(uri(`secret=${S}&issuer=Acme&image=1&image=2&digits=8&DIGITS=7`));
    expect(r.value).toMatchObject({ digits: 8, params: { image: '1' } });
    expect(r.warnings).toEqual([
      { code: 'UNKNOWN_PARAMETER', parameter: 'image', message: "'image' is not in the Key URI format; kept in params" },
      { code: 'DUPLICATE_PARAMETER', parameter: 'image', message: "'image' appears more than once; the first is used" },
      { code: 'DUPLICATE_PARAMETER', parameter: 'digits', message: "'digits' appears more than once; the first is used" },
      { code: 'IGNORED_BY_GOOGLE_AUTHENTICATOR', parameter: 'digits', message: 'Google Authenticator ignores a non-default digits and shows wrong codes' },
    ]);
  });

  it('a parameter named like an Object.prototype member is an ordinary parameter', () => {
    const r = parsed(uri(`secret=${S}&issuer=Acme&__proto__=x&constructor=y&toString=z`));
    expect(Object.keys(r.value.params)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(r.value.params.__proto__).toBe('x');
    expect(r.warnings.map((w) => w.code)).toEqual(['UNKNOWN_PARAMETER', 'UNKNOWN_PARAMETER', 'UNKNOWN_PARAMETER']);
  });

  it('IGNORED_BY_GOOGLE_AUTHENTICATOR for each non-default setting, in order', () => {
    const r = parsed(uri(`secret=${S}&issuer=Acme&algorithm=SHA256&digits=8&period=60`));
    expect(r.warnings).toEqual(
      ['algorithm', 'digits', 'period'].map((parameter) => ({
        code: 'IGNORED_BY_GOOGLE_AUTHENTICATOR',
        parameter,
        message: `Google Authenticator ignores a non-default ${parameter} and shows wrong codes`,
      })),
    );
    expect(parsed(uri(`secret=${S}&issuer=Acme&algorithm=SHA1&digits=6&period=30`)).warnings).toEqual([]);
  });

  it('IRRELEVANT_PARAMETER: a counter in totp, a period in hotp', () => {
    expect(parsed(uri(`secret=${S}&issuer=Acme&counter=5`)).warnings).toEqual([
      { code: 'IRRELEVANT_PARAMETER', parameter: 'counter', message: "'counter' does not apply to totp; ignored" },
    ]);
    const h = parsed(uri(`secret=${S}&issuer=Acme&counter=5&period=30`, 'Acme:alice', 'hotp'));
    expect(h.value).not.toHaveProperty('period');
    expect(h.warnings).toEqual([{ code: 'IRRELEVANT_PARAMETER', parameter: 'period', message: "'period' does not apply to hotp; ignored" }]);
  });

  it('SHORT_SECRET under 128 bits only', () => {
    const short = parsed(uri('secret=JBSWY3DPEHPK3PXP&issuer=Acme')); // 10 bytes
    expect(short.warnings).toEqual([{ code: 'SHORT_SECRET', parameter: 'secret', message: 'secret has 80 bits; RFC 4226 requires at least 128' }]);
    expect(parsed(uri(`secret=${encodeBase32(new Uint8Array(16).fill(7))}&issuer=Acme`)).warnings).toEqual([]);
    expect(parsed(uri(`secret=${encodeBase32(new Uint8Array(15).fill(7))}&issuer=Acme`)).warnings).toEqual([
      { code: 'SHORT_SECRET', parameter: 'secret', message: 'secret has 120 bits; RFC 4226 requires at least 128' },
    ]);
  });

  it('NON_CANONICAL_SECRET for lower case, padding, spaces or non-zero unused bits', () => {
    const warning = { code: 'NON_CANONICAL_SECRET', parameter: 'secret', message: 'secret is lower-case, padded or spaced; some apps reject that' };
    for (const secret of [S.toLowerCase(), `${S.slice(0, 4)}%20${S.slice(4)}`, 'JBSWY3DPEHPK3PXPJBSWY3DPEE======', 'JBSWY3DPEHPK3PXPJBSWY3DPEF']) {
      expect(parsed(uri(`secret=${secret}&issuer=Acme`)).warnings, secret).toEqual([warning]);
    }
  });
});

describe('buildOtpauthUri: every refusal, exactly', () => {
  const base: OtpauthUriInput = { issuer: 'Acme', account: 'alice', secret: S };
  it.each<[string, OtpauthUriInput, string, string]>([
    ['an unknown type', { ...base, type: 'motp' as 'totp' }, 'INVALID_OPTION', "type must be 'totp' or 'hotp'"],
    ['an unknown algorithm', { ...base, algorithm: 'MD5' as 'SHA1' }, 'UNSUPPORTED_ALGORITHM', 'algorithm must be SHA1, SHA256 or SHA512'],
    ['digits 5', { ...base, digits: 5 }, 'INVALID_OPTION', 'digits must be an integer from 6 to 10'],
    ['period 0', { ...base, period: 0 }, 'INVALID_OPTION', 'period must be an integer from 1 to 86400'],
    ['a counter on totp', { ...base, counter: 1 }, 'INVALID_OPTION', 'counter applies to hotp only'],
    ['a period on hotp', { ...base, type: 'hotp', counter: 1, period: 30 }, 'INVALID_OPTION', 'period applies to totp only'],
    ['hotp without a counter', { ...base, type: 'hotp' }, 'INVALID_OPTION', 'hotp needs a counter'],
    ['a negative counter', { ...base, type: 'hotp', counter: -1 }, 'INVALID_OPTION', 'counter must be an integer from 0 to 2^64-1'],
    ['a fractional counter', { ...base, type: 'hotp', counter: 1.5 }, 'INVALID_OPTION', 'counter must be an integer from 0 to 2^64-1'],
    ['an unsafe number counter', { ...base, type: 'hotp', counter: 2 ** 53 }, 'INVALID_OPTION', 'counter must be an integer from 0 to 2^64-1'],
    ['a negative bigint counter', { ...base, type: 'hotp', counter: -1n }, 'INVALID_OPTION', 'counter must be an integer from 0 to 2^64-1'],
    ['a bigint counter of 2^64', { ...base, type: 'hotp', counter: 1n << 64n }, 'INVALID_OPTION', 'counter must be an integer from 0 to 2^64-1'],
    ['a string counter', { ...base, type: 'hotp', counter: '1' as unknown as number }, 'INVALID_OPTION', 'counter must be an integer from 0 to 2^64-1'],
    ['params that are not an object', { ...base, params: 'image=x' as unknown as Record<string, string> }, 'INVALID_OPTION', 'params must be an object of strings'],
    ['an empty parameter name', { ...base, params: { '': 'x' } }, 'INVALID_OPTION', "params cannot set ''; use the named option"],
    ['a reserved parameter in any case', { ...base, params: { Secret: 'x' } }, 'INVALID_OPTION', "params cannot set 'Secret'; use the named option"],
    ['a parameter value that is not a string', { ...base, params: { image: 1 as unknown as string } }, 'INVALID_OPTION', "params['image'] must be valid Unicode text"],
    ['a parameter value with a lone surrogate', { ...base, params: { image: '\uD800' } }, 'INVALID_OPTION', "params['image'] must be valid Unicode text"],
    ['a parameter name with a lone surrogate', { ...base, params: { '\uD800': 'x' } }, 'INVALID_OPTION', "params['?'] must be valid Unicode text"],
    ['an issuer with a colon', { ...base, issuer: 'A:B' }, 'INVALID_LABEL', "issuer must not contain ':'"],
    ['an empty issuer', { ...base, issuer: '' }, 'INVALID_LABEL', 'issuer must be a non-empty string'],
    ['an empty account', { ...base, account: '' }, 'INVALID_LABEL', 'account must be a non-empty string'],
    ['an account that is not a string', { ...base, account: 7 as unknown as string }, 'INVALID_LABEL', 'account must be a non-empty string'],
    ['an account with a lone surrogate', { ...base, account: 'a\uDC00' }, 'INVALID_LABEL', 'account is not valid Unicode text'],
    ['an issuer with a lone surrogate', { ...base, issuer: '\uD800' }, 'INVALID_LABEL', 'issuer is not valid Unicode text'],
    [
      'an account starting with whitespace behind an issuer',
      { ...base, account: ' alice' },
      'INVALID_LABEL',
      'account must not start with whitespace (it is dropped after the issuer prefix)',
    ],
    [
      'an account starting with whitespace behind the empty prefix',
      { account: '\talice:x', secret: S },
      'INVALID_LABEL',
      'account must not start with whitespace (it is dropped after the issuer prefix)',
    ],
  ])('%s', (_, input, code, message) => {
    expect(thrownCodeAndMessage(() => buildOtpauthUri(input))).toEqual({ code, message });
  });
});

describe('buildOtpauthUri: what it writes at the edges', () => {
  it('an account starting with whitespace and no issuer is written as is (no prefix to drop it)', () => {
    expect(buildOtpauthUri({ account: ' alice', secret: S })).toBe(`otpauth://totp/%20alice?secret=${S}`);
  });

  it('hotp counters 0 and 2^64-1; the counter is always written', () => {
    expect(buildOtpauthUri({ type: 'hotp', account: 'a', secret: S, counter: 0 })).toBe(`otpauth://hotp/a?secret=${S}&counter=0`);
    expect(buildOtpauthUri({ type: 'hotp', account: 'a', secret: S, counter: 0n })).toBe(`otpauth://hotp/a?secret=${S}&counter=0`);
    expect(buildOtpauthUri({ type: 'hotp', account: 'a', secret: S, counter: (1n << 64n) - 1n })).toBe(
      `otpauth://hotp/a?secret=${S}&counter=18446744073709551615`,
    );
    expect(buildOtpauthUri({ type: 'hotp', account: 'a', secret: S, counter: 9_007_199_254_740_991 })).toBe(
      `otpauth://hotp/a?secret=${S}&counter=9007199254740991`,
    );
  });

  it('writes each non-default setting alone, and the default ones only with writeDefaults', () => {
    const a = { account: 'a', secret: S };
    expect(buildOtpauthUri({ ...a, algorithm: 'SHA512' })).toBe(`otpauth://totp/a?secret=${S}&algorithm=SHA512`);
    expect(buildOtpauthUri({ ...a, digits: 7 })).toBe(`otpauth://totp/a?secret=${S}&digits=7`);
    expect(buildOtpauthUri({ ...a, period: 31 })).toBe(`otpauth://totp/a?secret=${S}&period=31`);
    expect(buildOtpauthUri({ ...a, period: 30, digits: 6, algorithm: 'SHA1' })).toBe(`otpauth://totp/a?secret=${S}`);
    expect(buildOtpauthUri({ ...a, writeDefaults: true })).toBe(`otpauth://totp/a?secret=${S}&algorithm=SHA1&digits=6&period=30`);
    expect(buildOtpauthUri({ ...a, type: 'hotp', counter: 3, writeDefaults: true })).toBe(
      `otpauth://hotp/a?secret=${S}&algorithm=SHA1&digits=6&counter=3`,
    );
  });

  it('params: none, empty and several, in insertion order, encoded', () => {
    const a = { issuer: 'Acme', account: 'a', secret: S };
    expect(buildOtpauthUri({ ...a, params: {} })).toBe(`otpauth://totp/Acme:a?secret=${S}&issuer=Acme`);
    expect(buildOtpauthUri({ ...a, params: { b: '1 2', a: 'é&' } })).toBe(`otpauth://totp/Acme:a?secret=${S}&issuer=Acme&b=1%202&a=%C3%A9%26`);
  });
});
