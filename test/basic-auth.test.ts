import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { basicAuthUserIdAllowed, formatBasicAuth, parseBasicAuth } from '../src/basic-auth.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('parseBasicAuth (RFC 7617)', () => {
  it('reads the RFC 7617 §2 example', () => {
    expect(parseBasicAuth('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==')).toEqual({
      ok: true,
      userId: 'Aladdin',
      password: 'open sesame',
      ambiguous: false,
    });
  });

  it('reads the RFC 7617 §2.1 UTF-8 example (test:123£)', () => {
    expect(parseBasicAuth('Basic dGVzdDoxMjPCow==')).toMatchObject({ ok: true, userId: 'test', password: '123£' });
  });

  it.each(['basic', 'BASIC', 'bAsIc'])('scheme is case-insensitive: %s', (scheme) => {
    expect(parseBasicAuth(`${scheme} ${b64('a:b')}`)).toMatchObject({ ok: true, userId: 'a', password: 'b' });
  });

  it('tolerates surrounding whitespace, several spaces or a tab, and missing padding', () => {
    expect(parseBasicAuth(`  Basic \t ${b64('a:b')}  `)).toMatchObject({ ok: true, userId: 'a' });
    expect(parseBasicAuth('Basic YTpi')).toMatchObject({ ok: true, userId: 'a', password: 'b' });
    expect(parseBasicAuth('Basic YTpiYw')).toMatchObject({ ok: true, userId: 'a', password: 'bc' });
  });

  it('empty user-id and empty password are representable', () => {
    expect(parseBasicAuth(`Basic ${b64(':')}`)).toMatchObject({ ok: true, userId: '', password: '' });
    expect(parseBasicAuth(`Basic ${b64('a:')}`)).toMatchObject({ ok: true, userId: 'a', password: '' });
  });

  it('seed 001: a user-id with a colon cannot be represented; the split is at the first colon and flagged', () => {
    // user "ops:backup" with password "pw" is indistinguishable from user "ops" with password "backup:pw"
    const header = `Basic ${b64('ops:backup:pw')}`;
    expect(parseBasicAuth(header)).toEqual({ ok: true, userId: 'ops', password: 'backup:pw', ambiguous: true });
    expect(basicAuthUserIdAllowed('ops:backup')).toBe(false);
    expect(() => formatBasicAuth({ userId: 'ops:backup', password: 'pw' })).toThrowError(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });

  it("split: 'last' lets colon user names work when passwords never contain a colon (API passwords)", () => {
    const header = `Basic ${b64('ops:backup:mfak_abc')}`;
    expect(parseBasicAuth(header, { split: 'last' })).toEqual({
      ok: true,
      userId: 'ops:backup',
      password: 'mfak_abc',
      ambiguous: true,
    });
    expect(parseBasicAuth(`Basic ${b64('ops:mfak_abc')}`, { split: 'last' })).toMatchObject({ ambiguous: false });
  });

  const bad: [string, unknown, string][] = [
    ['undefined', undefined, 'missing'],
    ['null', null, 'missing'],
    ['empty', '', 'missing'],
    ['blank', '   ', 'missing'],
    ['several headers', ['Basic YTpi', 'Basic YTpi'], 'malformed'],
    ['number', 42, 'malformed'],
    ['object', {}, 'malformed'],
    ['too long', `Basic ${'A'.repeat(9000)}`, 'malformed'],
    ['bearer', 'Bearer abc', 'scheme'],
    ['scheme only', 'Basic', 'scheme'],
    ['scheme glued', 'BasicYTpi', 'scheme'],
    ['digest', 'Digest username="a"', 'scheme'],
    ['not base64', 'Basic %%%%', 'encoding'],
    ['url alphabet', 'Basic YT-_', 'encoding'],
    ['inner space', 'Basic YTpi YTpi', 'encoding'],
    ['bad length', 'Basic YTpiY', 'encoding'],
    ['non-canonical bits', 'Basic YTpiYx==', 'encoding'],
    ['invalid utf-8', `Basic ${Buffer.from([0x61, 0x3a, 0xff, 0xfe]).toString('base64')}`, 'encoding'],
    ['overlong utf-8', `Basic ${Buffer.from([0x61, 0x3a, 0xc0, 0xaf]).toString('base64')}`, 'encoding'],
    ['no colon', `Basic ${b64('alice')}`, 'no_colon'],
    ['NUL in password', `Basic ${b64('a:b\u0000c')}`, 'control_character'],
    ['newline in user', `Basic ${b64('a\nb:c')}`, 'control_character'],
    ['DEL', `Basic ${b64('a:\u007f')}`, 'control_character'],
  ];
  it.each(bad)('%s → %s, never throws', (_name, header, reason) => {
    expect(parseBasicAuth(header)).toEqual({ ok: false, reason });
  });

  it('never throws and never returns control characters, whatever the input (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => `Basic ${s}`), fc.anything()), (header) => {
        const r = parseBasicAuth(header);
        if (r.ok) expect(/[\u0000-\u001f]/.test(r.userId + r.password)).toBe(false);
      }),
    );
  });

  it('round-trips formatBasicAuth for any colon-free user-id (property)', () => {
    const noControl = fc.string({ unit: 'grapheme' }).filter((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s));
    fc.assert(
      fc.property(
        noControl.filter((s) => !s.includes(':')),
        noControl,
        (userId, password) => {
          const r = parseBasicAuth(formatBasicAuth({ userId, password }));
          expect(r).toEqual({ ok: true, userId, password, ambiguous: password.includes(':') });
        },
      ),
    );
  });

  it('formatBasicAuth matches the RFC example and never shows the password in errors', () => {
    expect(formatBasicAuth({ userId: 'Aladdin', password: 'open sesame' })).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    try {
      formatBasicAuth({ userId: 'a', password: 'hunter2\n' });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
    }
    expect(() => formatBasicAuth(undefined as never)).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('basicAuthUserIdAllowed', () => {
    expect(basicAuthUserIdAllowed('alice@example.com')).toBe(true);
    expect(basicAuthUserIdAllowed('vspc\\Administrator')).toBe(true);
    expect(basicAuthUserIdAllowed('a:b')).toBe(false);
    expect(basicAuthUserIdAllowed('a\tb')).toBe(false);
    expect(basicAuthUserIdAllowed(1 as never)).toBe(false);
  });
});

describe('credentials beginning with U+FEFF', () => {
  it('parse back unchanged (a decoder that dropped it as a BOM changed the user-id)', () => {
    expect(parseBasicAuth(formatBasicAuth({ userId: '\ufeffbob', password: 'pw' }))).toEqual({ ok: true, userId: '\ufeffbob', password: 'pw', ambiguous: false });
  });
});
