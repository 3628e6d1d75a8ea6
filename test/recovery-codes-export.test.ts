import { describe, expect, it } from 'vitest';
import { recoveryCodesToCsv, recoveryCodesToText } from '../src/recovery-codes-export.js';
import { MfaError } from '../src/errors.js';

const CODES = ['7K3Q-9XMD-2HFA', 'M4ZP-1C8R-XW0T', 'QH2N-6VJB-3KSE'];
const AT = Date.UTC(2026, 10, 25, 0, 30); // 2026-11-25T00:30:00.000Z

/** Minimal RFC 4180 parser for round-trip checks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  if (field !== '' || row.length) throw new Error('CSV does not end with CRLF');
  return rows;
}

describe('recoveryCodesToText', () => {
  it('lays out title, date, instruction and numbered codes (seed 003 text file)', () => {
    expect(recoveryCodesToText(CODES, { issuer: 'ACME', account: 'alice@example.com', generatedAt: AT })).toBe(
      [
        'Recovery codes for ACME (alice@example.com)',
        'Generated 2026-11-25T00:30:00.000Z',
        '',
        'Keep these codes somewhere safe. Each code signs you in once if you lose',
        'access to your authenticator app. Generating new codes invalidates these.',
        '',
        '1. 7K3Q-9XMD-2HFA',
        '2. M4ZP-1C8R-XW0T',
        '3. QH2N-6VJB-3KSE',
        '',
      ].join('\n'),
    );
  });

  it('right-aligns numbers for 10 codes, accepts a Date, CRLF on request, no meta', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `CODE-${i}`);
    const text = recoveryCodesToText(ten, { generatedAt: new Date(AT), newline: '\r\n' });
    expect(text.startsWith('Recovery codes\r\nGenerated 2026-11-25T00:30:00.000Z\r\n')).toBe(true);
    expect(text).toContain('\r\n 1. CODE-0\r\n');
    expect(text.endsWith('\r\n10. CODE-9\r\n')).toBe(true);
    expect(recoveryCodesToText(CODES).split('\n')[0]).toBe('Recovery codes');
    expect(recoveryCodesToText(CODES, { account: 'bob' }).split('\n')[0]).toBe('Recovery codes for bob');
  });

  it('cannot be made to forge lines through issuer or account', () => {
    const text = recoveryCodesToText(CODES, { issuer: 'ACME\n1. FAKE-CODE', account: 'a\u2028b' });
    expect(text.split('\n')[0]).toBe('Recovery codes for ACME 1. FAKE-CODE (a b)');
    expect(text.split('\n').filter((l) => /^\s*\d+\. /.test(l))).toHaveLength(3);
  });
});

describe('recoveryCodesToCsv', () => {
  it('header row, one row per code, CRLF (seed 000 download)', () => {
    expect(recoveryCodesToCsv(CODES, { issuer: 'ACME', account: 'alice@example.com', generatedAt: AT })).toBe(
      'number,code,issuer,account,generated_at\r\n' +
        '1,7K3Q-9XMD-2HFA,ACME,alice@example.com,2026-11-25T00:30:00.000Z\r\n' +
        '2,M4ZP-1C8R-XW0T,ACME,alice@example.com,2026-11-25T00:30:00.000Z\r\n' +
        '3,QH2N-6VJB-3KSE,ACME,alice@example.com,2026-11-25T00:30:00.000Z\r\n',
    );
  });

  it('quotes commas, quotes and line breaks in issuer and account (RFC 4180 §2.6, §2.7)', () => {
    const issuer = 'ACME, "Inc."';
    const account = 'alice\r\nsmith\nx';
    const csv = recoveryCodesToCsv(CODES.slice(0, 1), { issuer, account });
    expect(csv).toBe('number,code,issuer,account,generated_at\r\n1,7K3Q-9XMD-2HFA,"ACME, ""Inc.""","alice\r\nsmith\nx",\r\n');
    expect(parseCsv(csv)).toEqual([
      ['number', 'code', 'issuer', 'account', 'generated_at'],
      ['1', '7K3Q-9XMD-2HFA', issuer, account, ''],
    ]);
  });

  it('neutralises spreadsheet formulas by default, opt-out available', () => {
    const csv = recoveryCodesToCsv(CODES.slice(0, 1), { issuer: '=HYPERLINK("x")', account: '@me' });
    expect(parseCsv(csv)[1]).toEqual(['1', '7K3Q-9XMD-2HFA', `'=HYPERLINK("x")`, `'@me`, '']);
    const raw = recoveryCodesToCsv(CODES.slice(0, 1), { issuer: '+1', escapeFormulas: false });
    expect(parseCsv(raw)[1]![2]).toBe('+1');
  });

  it('empty code list: header only', () => {
    expect(recoveryCodesToCsv([])).toBe('number,code,issuer,account,generated_at\r\n');
  });
});

describe('bad export arguments throw INVALID_OPTION', () => {
  const cases: Array<[string, unknown, unknown]> = [
    ['codes not an array', 'ABC', {}],
    ['codes with a number', ['A', 1], {}],
    ['meta null', CODES, null],
    ['issuer number', CODES, { issuer: 3 }],
    ['account object', CODES, { account: {} }],
    ['generatedAt NaN', CODES, { generatedAt: Number.NaN }],
    ['generatedAt invalid Date', CODES, { generatedAt: new Date('nope') }],
    ['generatedAt string', CODES, { generatedAt: '2026-01-01' }],
  ];
  for (const fn of [recoveryCodesToText, recoveryCodesToCsv]) {
    it.each(cases)(`${fn.name}: %s`, (_n, codes, meta) => {
      expect(() => fn(codes as string[], meta as never)).toThrow(MfaError);
    });
  }
  it('text newline option', () => {
    expect(() => recoveryCodesToText(CODES, { newline: '\r' as never })).toThrow(MfaError);
  });
});
