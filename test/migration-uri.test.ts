import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  buildMigrationUri,
  buildMigrationUris,
  migrationAccountToOtpauth,
  parseMigrationUri,
  type MigrationAccount,
  type MigrationAccountInput,
} from '../src/migration-uri.js';
import { buildOtpauthUri } from '../src/otpauth-uri.js';
import { encodeBase32 } from '../src/base32.js';
import { MfaError, type MfaErrorCode } from '../src/errors.js';
import { ProtoReader, ProtoWriter, ProtobufError } from '../src/_internal/protobuf.js';

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');

function ok(uri: string) {
  const r = parseMigrationUri(uri);
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r;
}

describe('parseMigrationUri: fixtures decoded by hand', () => {
  // The example link in the README of dim13/otpauth (a Go decoder of these exports), which that
  // tool turns into otpauth://totp/Example:alice@google.com?issuer=Example&secret=JBSWY3DPEHPK3PXP.
  const README_LINK = 'otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC';
  const README_BYTES = [
    0x0a, 0x31, //                  MigrationPayload.otp_parameters (field 1, LEN), 49 bytes:
    0x0a, 0x0a, //                    secret (1, LEN), 10 bytes
    ...ascii('Hello!'), 0xde, 0xad, 0xbe, 0xef, //  = base32 JBSWY3DPEHPK3PXP
    0x12, 0x18, //                    name (2, LEN), 24 bytes
    ...ascii('Example:alice@google.com'),
    0x1a, 0x07, //                    issuer (3, LEN), 7 bytes
    ...ascii('Example'),
    0x30, 0x02, //                    type (6, VARINT) = 2 OTP_TYPE_TOTP
    //                              algorithm, digits, version and batch fields absent: defaults
  ];

  it('reads the dim13/otpauth README link field by field', () => {
    expect(README_LINK.slice(33)).toBe(b64(README_BYTES));
    const r = ok(README_LINK);
    expect(r.value).toEqual({
      accounts: [
        {
          type: 'totp',
          name: 'Example:alice@google.com',
          issuer: 'Example',
          secret: new Uint8Array([...ascii('Hello!'), 0xde, 0xad, 0xbe, 0xef]),
          algorithm: 'SHA1', // ALGORITHM_UNSPECIFIED
          digits: 6, // DIGIT_COUNT_UNSPECIFIED
        },
      ],
      version: 0,
      batchSize: 0,
      batchIndex: 0,
      batchId: 0,
    });
    expect(encodeBase32(r.value.accounts[0]!.secret)).toBe('JBSWY3DPEHPK3PXP');
    expect(r.warnings.map((w) => w.code)).toEqual(['SHORT_SECRET']);
    expect(buildOtpauthUri(migrationAccountToOtpauth(r.value.accounts[0]!))).toBe(
      'otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example',
    );
  });

  // Two accounts the way Google Authenticator writes them (every enum explicit), plus the batch.
  const TWO = [
    0x0a, 0x29, //                  otp_parameters, 41 bytes:
    0x0a, 0x14, ...Array.from({ length: 20 }, (_, i) => i + 1), //  secret 0x01..0x14
    0x12, 0x05, ...ascii('alice'), //  name
    0x1a, 0x04, ...ascii('ACME'), //   issuer
    0x20, 0x02, //                    algorithm (4) = 2 SHA256
    0x28, 0x02, //                    digits (5) = 2 EIGHT
    0x30, 0x02, //                    type (6) = 2 TOTP
    0x0a, 0x22, //                  otp_parameters, 34 bytes:
    0x0a, 0x10, ...new Array(16).fill(0xff), //  secret, 16 × 0xff
    0x12, 0x03, ...ascii('bob'), //    name
    0x20, 0x01, //                    algorithm = 1 SHA1
    0x28, 0x01, //                    digits = 1 SIX
    0x30, 0x01, //                    type = 1 HOTP
    0x38, 0xac, 0x02, //              counter (7) = 300 (varint 0xac 0x02)
    0x40, 0x07, //                    field 8, unknown to this reader: skipped
    0x10, 0x01, //                  version (2) = 1
    0x18, 0x01, //                  batch_size (3) = 1
    0x20, 0x00, //                  batch_index (4) = 0
    0x28, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, // batch_id (5) = -1, 10-byte varint
  ];

  it('reads every enum, a multi-byte counter, a negative int32 and skips unknown fields', () => {
    const r = ok('otpauth-migration://offline?data=' + encodeURIComponent(b64(TWO)));
    expect(r.value.accounts).toEqual([
      { type: 'totp', name: 'alice', issuer: 'ACME', secret: new Uint8Array(20).map((_, i) => i + 1), algorithm: 'SHA256', digits: 8 },
      { type: 'hotp', name: 'bob', secret: new Uint8Array(16).fill(0xff), algorithm: 'SHA1', digits: 6, counter: 300 },
    ]);
    expect(r.value).toMatchObject({ version: 1, batchSize: 1, batchIndex: 0, batchId: -1 });
    expect(r.warnings).toEqual([]);
  });

  it('buildMigrationUri writes the same bytes, leaving defaults out as proto3 does', () => {
    const uri = buildMigrationUri(
      [
        { name: 'alice', issuer: 'ACME', secret: new Uint8Array(20).map((_, i) => i + 1), algorithm: 'SHA256', digits: 8 },
        { type: 'hotp', name: 'bob', secret: new Uint8Array(16).fill(0xff), counter: 300 },
      ],
      { batch: { size: 1, index: 0, id: -1 } },
    );
    const expected = [
      ...TWO.slice(0, 2 + 41), //      alice, as above
      0x0a, 0x20, //                  bob, 32 bytes: as above without unknown field 8
      ...TWO.slice(2 + 41 + 2, 2 + 41 + 2 + 32),
      0x10, 0x01, //                  version 1
      0x18, 0x01, //                  batch_size 1 (batch_index 0 left out)
      0x28, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, // batch_id -1
    ];
    expect(uri).toBe('otpauth-migration://offline?data=' + encodeURIComponent(b64(expected)));
  });

  it('accepts form-decoded (+ turned into space), unescaped and base64url data', () => {
    const data = b64(TWO);
    expect(data).toMatch(/[+/]/);
    for (const variant of [data, data.replace(/\+/g, ' '), encodeURIComponent(data), data.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')]) {
      expect(ok(`OTPAUTH-MIGRATION://offline?data=${variant}`).value.accounts).toHaveLength(2);
    }
  });
});

describe('parseMigrationUri: warnings and skipped accounts', () => {
  const account = (fields: number[]) => [0x0a, fields.length, ...fields];
  const secret = [0x0a, 0x10, ...new Array(16).fill(7)];
  const name = [0x12, 0x01, 0x61];
  const uri = (...accounts: number[][]) => 'otpauth-migration://offline?data=' + encodeURIComponent(b64(accounts.flat()));

  it.each([
    ['MD5', [...secret, ...name, 0x20, 0x04]],
    ['unknown algorithm 9', [...secret, ...name, 0x20, 0x09]],
    ['unknown digit count 3', [...secret, ...name, 0x28, 0x03]],
    ['unknown type 7', [...secret, ...name, 0x30, 0x07]],
    ['empty secret', [...name]],
  ])('skips an account with %s and keeps the others', (_name, fields) => {
    const r = ok(uri(account(fields), account([...secret, ...name])));
    expect(r.value.accounts).toHaveLength(1);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'UNSUPPORTED_ACCOUNT', index: 0 })]);
  });

  it('warns that one QR code of a multi-code export holds only part of the accounts', () => {
    const r = ok(uri(account([...secret, ...name]), [0x18, 0x03, 0x20, 0x01]));
    expect(r.value).toMatchObject({ batchSize: 3, batchIndex: 1 });
    expect(r.warnings.map((w) => w.code)).toEqual(['PARTIAL_EXPORT']);
  });
});

describe('parseMigrationUri: bad input never throws', () => {
  const table: Array<[unknown, string]> = [
    [undefined, 'NOT_MIGRATION_URI'],
    ['', 'NOT_MIGRATION_URI'],
    ['otpauth://totp/a?secret=JBSWY3DPEHPK3PXP', 'NOT_MIGRATION_URI'],
    ['otpauth-migration://online?data=CgA=', 'NOT_MIGRATION_URI'],
    ['otpauth-migration://offline', 'NOT_MIGRATION_URI'],
    ['otpauth-migration://offline?foo=1', 'MISSING_DATA'],
    ['otpauth-migration://offline?data=', 'MISSING_DATA'],
    ['otpauth-migration://offline?data=%%%', 'INVALID_ENCODING'],
    ['otpauth-migration://offline?data=A', 'INVALID_ENCODING'],
    ['otpauth-migration://offline?data=!!!!', 'INVALID_ENCODING'],
    ['otpauth-migration://offline?data=' + b64([0x0a, 0x05, 0x0a]), 'INVALID_PAYLOAD'], // truncated
    ['otpauth-migration://offline?data=' + b64([0x08, 0x01]), 'INVALID_PAYLOAD'], // field 1 as varint
    ['otpauth-migration://offline?data=' + b64([0x10]), 'INVALID_PAYLOAD'], // truncated varint
    ['otpauth-migration://offline?data=' + b64([0x0b]), 'INVALID_PAYLOAD'], // group wire type
    ['otpauth-migration://offline?data=' + b64([0x00]), 'INVALID_PAYLOAD'], // field 0
    ['otpauth-migration://offline?data=' + b64([0x0a, 0x03, 0x12, 0x01, 0xff]), 'INVALID_PAYLOAD'], // name not UTF-8
    ['otpauth-migration://offline?data=' + b64([0x10, ...new Array(11).fill(0x80)]), 'INVALID_PAYLOAD'], // 11-byte varint
  ];
  it.each(table)('%j → %s', (input, code) => {
    const r = parseMigrationUri(input as string);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });

  it('returns a result for arbitrary strings and arbitrary payload bytes (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.uint8Array({ maxLength: 200 }).map((b) => 'otpauth-migration://offline?data=' + encodeURIComponent(b64([...b]))),
        ),
        (s) => {
          expect(typeof parseMigrationUri(s).ok).toBe('boolean');
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('buildMigrationUri', () => {
  const accountArb: fc.Arbitrary<MigrationAccount> = fc
    .record({
      type: fc.constantFrom('totp' as const, 'hotp' as const),
      name: fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
      issuer: fc.option(fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }), { nil: undefined }),
      secret: fc.uint8Array({ minLength: 16, maxLength: 64 }),
      algorithm: fc.constantFrom('SHA1' as const, 'SHA256' as const, 'SHA512' as const),
      digits: fc.constantFrom(6 as const, 8 as const),
      counter: fc.oneof(fc.maxSafeNat(), fc.bigInt({ min: 2n ** 53n, max: 2n ** 63n - 1n })),
    })
    .map(({ issuer, counter, ...rest }) => {
      const a: MigrationAccount = { ...rest };
      if (issuer !== undefined) a.issuer = issuer;
      if (rest.type === 'hotp') a.counter = counter;
      return a;
    });

  it('parse(build(accounts)) returns the accounts (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(accountArb, { minLength: 1, maxLength: 8 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (accounts, id) => {
        const r = ok(buildMigrationUri(accounts, { batch: { size: 2, index: 1, id } }));
        expect(r.value).toEqual({ accounts, version: 1, batchSize: 2, batchIndex: 1, batchId: id });
      }),
      { numRuns: 300 },
    );
  });

  it('buildMigrationUris splits a long list into numbered QR codes that parse back in order', () => {
    const accounts = Array.from({ length: 23 }, (_, i) => ({ name: `user${i}`, secret: new Uint8Array(20).fill(i) }));
    const uris = buildMigrationUris(accounts, { batchId: 77 });
    expect(uris).toHaveLength(3);
    const parsed = uris.map((u) => ok(u));
    expect(parsed.map((p) => [p.value.batchSize, p.value.batchIndex, p.value.batchId, p.value.accounts.length])).toEqual([
      [3, 0, 77, 10],
      [3, 1, 77, 10],
      [3, 2, 77, 3],
    ]);
    expect(parsed.flatMap((p) => p.value.accounts.map((a) => a.name))).toEqual(accounts.map((a) => a.name));
    expect(parsed[0]!.warnings.map((w) => w.code)).toEqual(['PARTIAL_EXPORT']);
    expect(buildMigrationUris(accounts.slice(0, 4), { perCode: 4 })).toEqual([buildMigrationUri(accounts.slice(0, 4))]);
    expect(() => buildMigrationUris(accounts, { perCode: 0 })).toThrow(MfaError);
    expect(() => buildMigrationUris([])).toThrow(MfaError);
  });

  it('percent-encodes the base64 so + / = survive any URI parser', () => {
    const uri = buildMigrationUri([{ name: 'a', secret: new Uint8Array(32).fill(0xfb) }]);
    expect(uri).toMatch(/^otpauth-migration:\/\/offline\?data=[A-Za-z0-9%]+$/);
    expect(new URL(uri).searchParams.get('data')).toBe(decodeURIComponent(uri.slice(33)));
  });

  it('migrationAccountToOtpauth splits Issuer:account names and keeps HOTP counters', () => {
    expect(migrationAccountToOtpauth({ type: 'hotp', name: 'ACME: bob', secret: new Uint8Array(16), algorithm: 'SHA1', digits: 6, counter: 9 }))
      .toEqual({ type: 'hotp', issuer: 'ACME', account: 'bob', secret: new Uint8Array(16), algorithm: 'SHA1', digits: 6, counter: 9, allowShortSecret: true });
    expect(migrationAccountToOtpauth({ type: 'totp', name: 'Old:bob', issuer: 'New', secret: new Uint8Array(16), algorithm: 'SHA1', digits: 6 }))
      .toMatchObject({ issuer: 'New', account: 'bob' });
    expect(migrationAccountToOtpauth({ type: 'totp', name: 'bob', secret: new Uint8Array(16), algorithm: 'SHA1', digits: 6 }))
      .not.toHaveProperty('issuer');
  });

  const S = new Uint8Array(20);
  const bad: Array<[string, () => unknown, MfaErrorCode]> = [
    ['no accounts', () => buildMigrationUri([]), 'INVALID_OPTION'],
    ['not an array', () => buildMigrationUri('x' as unknown as MigrationAccountInput[]), 'INVALID_OPTION'],
    ['empty name', () => buildMigrationUri([{ name: '', secret: S }]), 'INVALID_OPTION'],
    ['lone surrogate in name', () => buildMigrationUri([{ name: 'a\uDC00', secret: S }]), 'INVALID_OPTION'],
    ['digits 7', () => buildMigrationUri([{ name: 'a', secret: S, digits: 7 }]), 'INVALID_OPTION'],
    ['period 60', () => buildMigrationUri([{ name: 'a', secret: S, period: 60 } as MigrationAccountInput]), 'INVALID_OPTION'],
    ['MD5', () => buildMigrationUri([{ name: 'a', secret: S, algorithm: 'MD5' as 'SHA1' }]), 'UNSUPPORTED_ALGORITHM'],
    ['negative counter', () => buildMigrationUri([{ type: 'hotp', name: 'a', secret: S, counter: -1 }]), 'INVALID_OPTION'],
    ['counter 2^63', () => buildMigrationUri([{ type: 'hotp', name: 'a', secret: S, counter: 2n ** 63n }]), 'INVALID_OPTION'],
    ['empty secret', () => buildMigrationUri([{ name: 'a', secret: new Uint8Array(0) }]), 'SECRET_TOO_SHORT'],
    ['bad base32', () => buildMigrationUri([{ name: 'a', secret: '!!' }]), 'INVALID_BASE32'],
    ['batch index past size', () => buildMigrationUri([{ name: 'a', secret: S }], { batch: { size: 2, index: 2, id: 0 } }), 'INVALID_OPTION'],
  ];
  it.each(bad)('throws MfaError for %s', (_name, call, code) => {
    try {
      call();
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(MfaError);
      expect((err as MfaError).code).toBe(code);
    }
  });
});

describe('_internal/protobuf', () => {
  it('varints round-trip across the 64-bit range, negatives as two’s complement', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (v) => {
        const r = new ProtoReader(new ProtoWriter().varint(1, v).finish());
        expect(r.key()).toEqual([1, 0]);
        expect(r.varint()).toBe(v);
        expect(r.done).toBe(true);
      }),
    );
    expect([...new ProtoWriter().varint(1, 300).finish()]).toEqual([0x08, 0xac, 0x02]);
    expect(new ProtoWriter().varint(1, -1).finish()).toHaveLength(11);
  });

  it('skips fixed-width fields and rejects truncated ones', () => {
    const r = new ProtoReader(new Uint8Array([0x09, 1, 2, 3, 4, 5, 6, 7, 8, 0x15, 1, 2, 3, 4]));
    r.skip(r.key()[1]);
    r.skip(r.key()[1]);
    expect(r.done).toBe(true);
    const t = new ProtoReader(new Uint8Array([0x15, 1, 2]));
    expect(() => t.skip(t.key()[1])).toThrow(ProtobufError);
  });
});

describe('names and issuers beginning with U+FEFF', () => {
  it('round-trip unchanged (a decoder that dropped it as a BOM changed them)', () => {
    const accounts = [{ name: '\ufeffalice', issuer: '\ufeff\u0000', secret: new Uint8Array(16) }];
    const r = parseMigrationUri(buildMigrationUri(accounts));
    expect(r.ok && r.value.accounts.map((a) => [a.name, a.issuer])).toEqual([['\ufeffalice', '\ufeff\u0000']]);
  });
});

describe('length cap: 65,536 characters', () => {
  const CAP = 65_536;
  const prefix = 'otpauth-migration://offline?data=';
  // A valid payload (one account) padded with a second, ignored query parameter to an exact length.
  const valid = buildMigrationUri([{ name: 'alice', secret: 'JBSWY3DPEHPK3PXP' }]);
  const padded = (length: number) => `${valid}&x=${'A'.repeat(length - valid.length - 3)}`;

  it('reads an export of exactly the cap and refuses one character more, without decoding it', () => {
    expect(padded(CAP)).toHaveLength(CAP);
    expect(ok(padded(CAP)).value.accounts).toHaveLength(1);
    const over = parseMigrationUri(padded(CAP + 1));
    expect(over).toEqual({ ok: false, error: { code: 'NOT_MIGRATION_URI', message: `URI is longer than ${CAP} characters` } });
  });

  it('refuses 1 MB of base64 in a few milliseconds (decoding it took 0.5–1.1 s)', () => {
    const huge = prefix + 'CgA%3D'.repeat(Math.ceil(1_048_576 / 6));
    const started = performance.now();
    for (let i = 0; i < 20; i++) expect(parseMigrationUri(huge).ok).toBe(false);
    // 20 refusals well under the time one decode of this input took before the cap.
    expect(performance.now() - started).toBeLessThan(250);
    expect(parseMigrationUri(huge)).toMatchObject({ ok: false, error: { code: 'NOT_MIGRATION_URI' } });
  });

  it('buildMigrationUri throws INVALID_OPTION rather than write a URI the parser would refuse', () => {
    const long = Array.from({ length: 400 }, (_, i) => ({ name: `user${i}-${'x'.repeat(100)}`, secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' }));
    const thrown = (() => {
      try {
        buildMigrationUri(long);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(MfaError);
    expect((thrown as MfaError).code).toBe('INVALID_OPTION');
    // Split the usual way, every part fits and reads back.
    const parts = buildMigrationUris(long);
    expect(parts.flatMap((uri) => ok(uri).value.accounts)).toHaveLength(400);
  });
});
