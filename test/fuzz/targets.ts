// What `npm run fuzz` (scripts/fuzz.ts) and the short slice in test/fuzz/fuzz.test.ts exercise.
//
// A parse target states the contract its API documents: `never-throws` (the function promises a
// result for any input) or `mfa-error` (it may throw, but only MfaError with the listed codes).
// A round-trip target checks parse(build(x)) = x for one builder. A growth target feeds one parser
// inputs of 10 kB, 100 kB and 1 MB built to hit its loops worst, to catch super-linear time.
import fc from 'fast-check';
import {
  buildMigrationUri,
  buildOtpauthUri,
  decodeBase32,
  encodeBase32,
  formatBasicAuth,
  formatManualKey,
  generateApiPassword,
  generateRecoveryCodes,
  isApiPasswordFormat,
  createApiPassword,
  MfaError,
  packRecoveryCodes,
  parseBasicAuth,
  parseMigrationUri,
  parseOtpauthUri,
  seededRandom,
  unpackRecoveryCodes,
  checkApiPassword,
  verifyHotp,
  verifyRecoveryCode,
  verifyTotp,
  type MfaErrorCode,
  type MigrationAccount,
  type OtpauthUriInput,
  type StoredRecoveryCode,
} from '../../src/index.js';
import { emptyRecord, featureSet, parseRecord as parseRecordWith } from '../../src/lifecycle/public.js';
import { recoveryCodes } from '../../src/index.js';
import { anyValue, mutated, soup } from './mutate.js';

/** Records are parsed as a service with recovery codes reads them (the feature validates that field). */
const SLICES = featureSet([recoveryCodes()]).slices;
const parseRecord = (data: unknown, userId: string) => parseRecordWith(data, userId, SLICES);

export interface ParseTarget {
  name: string;
  /** What the documented API allows the function to do with a bad input. */
  contract: 'never-throws' | { mfaError: readonly MfaErrorCode[] };
  input: fc.Arbitrary<unknown>;
  /** Calls the parser; may also assert properties of the result (throwing a plain Error). */
  run(input: unknown): void;
}

export interface RoundTripTarget {
  name: string;
  input: fc.Arbitrary<unknown>;
  /** Builds, parses back and throws a plain Error when the result differs. */
  check(input: unknown): void;
}

export interface GrowthTarget {
  name: string;
  /** An input of about `size` characters shaped to make the parser loop. */
  make(size: number): unknown;
  run(input: unknown): void;
}

class PropertyFailure extends Error {}

function fail(what: string): never {
  throw new PropertyFailure(what);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

// ---------------------------------------------------------------------------------------------
// Fixed material (deterministic: a seeded RNG, so a replayed seed sees the same corpus).

const rng = seededRandom('fuzz-corpus');
const SECRET = rng(20);
const TIME = 1_760_000_000_000;
const recovery = generateRecoveryCodes({ rng, count: 10 });
const apiIssued = createApiPassword([], { now: 0, rng, label: 'ci' });
if (!apiIssued.ok) throw new Error('unreachable: the first API password is always issued');
const API_PASSWORD = apiIssued.password;
const API_LIST = apiIssued.credentials;

const base64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');

/** Records as the lifecycle writes them: disabled, active TOTP with codes, e-mail, schema 1. */
const VALID_RECORDS: Record<string, unknown>[] = [
  { ...emptyRecord('u', 1000), version: 1 },
  {
    ...emptyRecord('u', 1000),
    version: 7,
    status: 'active',
    activatedAt: 2000,
    method: { type: 'totp', secret: base64url(SECRET), algorithm: 'SHA1', digits: 6, period: 30, lastStep: 58_666_666, account: 'alice@example.com', createdAt: 1000 },
    recoveryCodes: packRecoveryCodes(recovery.hashes),
    failures: 2,
    lockedUntil: 9000,
    policy: { required: true },
    verifiedAt: 5000,
    resetAt: null,
    clients: [{ key: 'k1', failures: 1, lockedUntil: null, seenAt: 4000, verifiedAt: 3000 }],
  },
  {
    ...emptyRecord('u', 1000),
    version: 3,
    status: 'pending',
    method: { type: 'totp', secret: 'c2VhbGVk', secretSealed: true, algorithm: 'SHA512', digits: 8, period: 60, lastStep: null, account: '', createdAt: 1000 },
  },
  { ...emptyRecord('u', 1000), version: 2, status: 'active', activatedAt: 1, method: { type: 'email', destination: 'a@example.com', createdAt: 1 } },
  { ...emptyRecord('u', 1000), schema: 1, version: 4, recoveryCodes: recovery.hashes, status: 'disabled' },
];

// ---------------------------------------------------------------------------------------------
// Arbitraries of valid inputs.

const algorithmArb = fc.constantFrom('SHA1' as const, 'SHA256' as const, 'SHA512' as const);
/** Label text: any Unicode text without ':' and not starting with whitespace. */
const labelArb = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }).filter((s) => !s.includes(':') && !/^\s/.test(s));

const otpauthInputArb: fc.Arbitrary<OtpauthUriInput> = fc
  .record({
    type: fc.constantFrom('totp' as const, 'hotp' as const),
    issuer: fc.option(labelArb, { nil: undefined }),
    account: labelArb,
    secret: fc.uint8Array({ minLength: 16, maxLength: 64 }),
    algorithm: algorithmArb,
    digits: fc.integer({ min: 6, max: 10 }),
    period: fc.integer({ min: 1, max: 86_400 }),
    counter: fc.oneof(fc.maxSafeNat(), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
    params: fc.dictionary(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }).filter((k) => !['secret', 'issuer', 'algorithm', 'digits', 'period', 'counter'].includes(k.toLowerCase())),
      fc.string({ unit: 'grapheme', maxLength: 16 }),
      { maxKeys: 3 },
    ),
    writeDefaults: fc.boolean(),
  })
  .map(({ type, counter, period, issuer, ...rest }) => ({
    ...rest,
    type,
    ...(issuer === undefined ? {} : { issuer }),
    ...(type === 'hotp' ? { counter } : { period }),
  }));

const validOtpauthUri = otpauthInputArb.map((input) => buildOtpauthUri(input));

const migrationAccountArb: fc.Arbitrary<MigrationAccount> = fc
  .record({
    type: fc.constantFrom('totp' as const, 'hotp' as const),
    name: fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
    issuer: fc.option(fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }), { nil: undefined }),
    secret: fc.uint8Array({ minLength: 16, maxLength: 64 }),
    algorithm: algorithmArb,
    digits: fc.constantFrom(6 as const, 8 as const),
    counter: fc.oneof(fc.maxSafeNat(), fc.bigInt({ min: 2n ** 53n, max: 2n ** 63n - 1n })),
  })
  .map(({ issuer, counter, ...rest }) => {
    const a: MigrationAccount = { ...rest };
    if (issuer !== undefined) a.issuer = issuer;
    if (rest.type === 'hotp') a.counter = counter;
    return a;
  });

const validMigrationUri = fc.array(migrationAccountArb, { minLength: 1, maxLength: 4 }).map((a) => buildMigrationUri(a));

const validBase32 = fc.uint8Array({ maxLength: 64 }).map(encodeBase32);
const validBasicAuth = fc
  .record({
    userId: fc.string({ unit: 'grapheme', maxLength: 20 }).filter((s) => !s.includes(':') && !/[\u0000-\u001f\u007f-\u009f]/.test(s)),
    password: fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s)),
  })
  .map(formatBasicAuth);

// ---------------------------------------------------------------------------------------------
// Vocabularies: the words each format is made of.

const URI_WORDS = [
  'otpauth://', 'OTPAUTH://', 'totp', 'hotp', 'TOTP', 'otpauth://totp/', 'otpauth://hotp/', 'Issuer:', 'alice@example.com',
  '?secret=', '&secret=', 'secret=', 'JBSWY3DPEHPK3PXP', '3QEYAIQAKPC2A4ENSZEXHL4OQLWJ4XNC', '&issuer=', 'issuer=', '&algorithm=',
  'SHA1', 'SHA256', 'SHA512', 'md5', '&digits=', '6', '8', '10', '&period=', '30', '0', '-1', '&counter=', '18446744073709551616',
  '&image=', 'https://x/y.png', '%20', '%3a', '%40',
];
const MIGRATION_WORDS = [
  'otpauth-migration://offline?data=', 'otpauth-migration://', 'offline', '?data=', 'data=', '&data=', 'CjEKCkhlbGxvId6tvu8S',
  'EAEYASAAKAA', '%2B', '%2F', '%3D', '+', '/', '=', 'AAAA', '____', 'CgA=', 'EgA', '%', 'version=', '&batch_size=',
];
const BASE32_WORDS = ['ABCDEFGH', 'IJKLMNOP', 'QRSTUVWX', 'YZ234567', 'abcdefgh', '=', '======', '3qey aiqa', 'A', 'AA', 'AAA', '1', '8', '0'];
const TOKEN_WORDS = ['123456', '123 456', '123-456', '１２３４５６', '0', '000000', '99999999', '\u2003', '\u200b', '٠١٢', '+1', '-', '1e6', '0x1'];
const RECOVERY_WORDS = [...recovery.codes, ...recovery.codes.map((c) => c.toLowerCase()), 'O', 'I', 'L', 'o', 'l', '-', ' ', 'ＡＢ', '0000-0000-0000'];
const BASIC_WORDS = ['Basic ', 'basic', 'BASIC\t', 'Bearer ', 'YWxpY2U6cHc=', 'YTpi', 'Og==', '==', '=', ':', 'dXNlcjp\u0000', '\u00ff'];
const API_WORDS = [API_PASSWORD, 'mfak_', 'mfak', 'acme_', API_PASSWORD.slice(0, 20), API_PASSWORD.slice(20), '_', '0', 'Z'];

// ---------------------------------------------------------------------------------------------
// Parse targets.

const OTPAUTH_ERRORS = new Set([
  'NOT_OTPAUTH_URI', 'UNSUPPORTED_TYPE', 'INVALID_ENCODING', 'INVALID_LABEL', 'MISSING_SECRET', 'INVALID_SECRET',
  'UNSUPPORTED_ALGORITHM', 'INVALID_DIGITS', 'INVALID_PERIOD', 'MISSING_COUNTER', 'INVALID_COUNTER',
]);
const VERIFY_REASONS = new Set(['format', 'mismatch', 'replayed']);

export const parseTargets: ParseTarget[] = [
  {
    name: 'parseOtpauthUri',
    contract: 'never-throws',
    input: fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), soup(URI_WORDS), mutated(validOtpauthUri, URI_WORDS), anyValue),
    run(input) {
      const r = parseOtpauthUri(input as string);
      if (r.ok) {
        if (!(r.value.secret instanceof Uint8Array) || r.value.secret.length === 0) fail('ok without secret bytes');
        if (!Number.isInteger(r.value.digits)) fail('ok with non-integer digits');
      } else if (!OTPAUTH_ERRORS.has(r.error.code)) fail(`unknown error code ${r.error.code}`);
    },
  },
  {
    name: 'parseMigrationUri',
    contract: 'never-throws',
    input: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      soup(MIGRATION_WORDS),
      mutated(validMigrationUri, MIGRATION_WORDS),
      fc.uint8Array({ maxLength: 300 }).map((b) => 'otpauth-migration://offline?data=' + encodeURIComponent(Buffer.from(b).toString('base64'))),
      anyValue,
    ),
    run(input) {
      const r = parseMigrationUri(input as string);
      if (typeof r.ok !== 'boolean') fail('no ok flag');
    },
  },
  {
    name: 'decodeBase32',
    contract: { mfaError: ['INVALID_BASE32'] },
    input: fc.tuple(fc.oneof(soup(BASE32_WORDS), mutated(validBase32, BASE32_WORDS), fc.string({ unit: 'binary', maxLength: 80 })), fc.boolean()),
    run(input) {
      const [text, strict] = input as [string, boolean];
      const bytes = decodeBase32(text, { strict });
      // Whatever strict mode accepts is canonical: it encodes back to the same text, padding aside.
      if (strict && encodeBase32(bytes) !== text.replace(/=+$/, '')) fail('strict decode accepted non-canonical text');
    },
  },
  {
    name: 'verifyTotp token normalisation',
    contract: 'never-throws',
    input: fc.tuple(fc.oneof(soup(TOKEN_WORDS, 8), fc.string({ unit: 'binary', maxLength: 80 }), anyValue), fc.constantFrom(6, 8)),
    run(input) {
      const [token, digits] = input as [string, number];
      const r = verifyTotp(SECRET, token, { time: TIME, digits });
      if (!r.ok && !VERIFY_REASONS.has(r.reason)) fail('unknown reason');
    },
  },
  {
    name: 'verifyHotp token normalisation',
    contract: 'never-throws',
    input: fc.oneof(soup(TOKEN_WORDS, 8), fc.string({ unit: 'binary', maxLength: 80 }), anyValue),
    run(input) {
      const r = verifyHotp(SECRET, input as string, 5);
      if (typeof r.ok !== 'boolean') fail('no ok flag');
    },
  },
  {
    name: 'verifyRecoveryCode',
    contract: 'never-throws',
    input: fc.oneof(soup(RECOVERY_WORDS, 6), mutated(fc.constantFrom(...recovery.codes), RECOVERY_WORDS), anyValue),
    run(input) {
      const r = verifyRecoveryCode(recovery.hashes, input);
      if (!r.ok && r.reason !== 'format' && r.reason !== 'mismatch' && r.reason !== 'used') fail('unknown reason');
    },
  },
  {
    name: 'recovery-code normalisation',
    contract: 'never-throws',
    // A valid code, re-typed the ways the docs promise to accept: any case, spaces/hyphens, full width, O/I/L.
    input: fc.tuple(fc.nat(recovery.codes.length - 1), fc.array(fc.nat(4), { minLength: 12, maxLength: 12 }), fc.constantFrom('', ' ', '-', '  ')),
    run(input) {
      const [index, styles, sep] = input as [number, number[], string];
      const plain = recovery.codes[index]!.replace(/-/g, '');
      let typed = '';
      for (let i = 0; i < plain.length; i++) {
        const c = plain[i]!;
        const s = styles[i]!;
        typed +=
          (s === 1 ? c.toLowerCase() : s === 2 ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : s === 3 && c === '0' ? 'O' : s === 4 && c === '1' ? 'l' : c) +
          (i % 4 === 3 ? sep : '');
      }
      const r = verifyRecoveryCode(recovery.hashes, typed);
      if (!r.ok || r.index !== index) fail('a documented spelling of a valid code was not accepted');
    },
  },
  {
    name: 'parseBasicAuth',
    contract: 'never-throws',
    input: fc.tuple(
      fc.oneof(
        soup(BASIC_WORDS),
        mutated(validBasicAuth, BASIC_WORDS),
        fc.uint8Array({ maxLength: 60 }).map((b) => 'Basic ' + Buffer.from(b).toString('base64')),
        anyValue,
      ),
      fc.constantFrom('first' as const, 'last' as const),
    ),
    run(input) {
      const [header, split] = input as [unknown, 'first' | 'last'];
      const r = parseBasicAuth(header, { split });
      if (r.ok && (r.userId + ':' + r.password).length === 0) fail('ok without credentials');
    },
  },
  {
    name: 'checkApiPassword',
    contract: 'never-throws',
    input: fc.oneof(soup(API_WORDS, 6), mutated(fc.constant(API_PASSWORD), API_WORDS), fc.string({ unit: 'binary', maxLength: 60 }), anyValue),
    run(input) {
      const r = checkApiPassword(API_LIST, input);
      if (r.ok !== isApiPasswordFormat(input) && r.ok) fail('accepted a password that is not well-formed');
      if (r.ok && input !== API_PASSWORD) fail('accepted a password that was never issued');
    },
  },
  {
    name: 'parseRecord',
    contract: { mfaError: ['INVALID_RECORD'] },
    input: fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      anyValue,
      // A valid record with fields replaced by random values or deleted, at the top level and one down.
      fc.tuple(fc.nat(VALID_RECORDS.length - 1), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.oneof(fc.jsonValue({ maxDepth: 2 }), anyValue, fc.constant(undefined))), { minLength: 1, maxLength: 4 })).map(
        ([i, edits]) => {
          const record = structuredClone(VALID_RECORDS[i]!);
          for (const [a, b, value] of edits) {
            const keys = Object.keys(record);
            const key = keys[a % keys.length]!;
            const inner = record[key];
            // One level down only into plain objects, copied (generated values may be shared constants).
            if (inner !== null && typeof inner === 'object' && Object.getPrototypeOf(inner) === Object.prototype && b % 2 === 0) {
              const innerKeys = Object.keys(inner);
              if (innerKeys.length > 0) record[key] = { ...inner, [innerKeys[b % innerKeys.length]!]: value };
            } else if (value === undefined) delete record[key];
            else record[key] = value;
          }
          return record;
        },
      ),
    ),
    run(input) {
      const r = parseRecord(input, 'u');
      if (r.userId !== 'u' || !Number.isSafeInteger(r.version)) fail('accepted a record without a valid id or version');
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Round trips.

export const roundTripTargets: RoundTripTarget[] = [
  {
    name: 'buildOtpauthUri → parseOtpauthUri',
    input: otpauthInputArb,
    check(input) {
      const x = input as OtpauthUriInput & { params: Record<string, string> };
      const r = parseOtpauthUri(buildOtpauthUri(x));
      if (!r.ok) fail(`built URI does not parse: ${r.error.code}`);
      const v = r.value;
      if (v.type !== x.type || v.account !== x.account || v.issuer !== x.issuer) fail('label or type differs');
      if (!bytesEqual(v.secret, x.secret as Uint8Array)) fail('secret differs');
      if (v.algorithm !== x.algorithm || v.digits !== x.digits) fail('algorithm or digits differ');
      if (v.type === 'totp' ? v.period !== x.period : BigInt(v.counter) !== BigInt(x.counter!)) fail('period or counter differs');
      if (JSON.stringify(v.params) !== JSON.stringify(x.params)) fail('params differ');
    },
  },
  {
    name: 'buildMigrationUri → parseMigrationUri',
    input: fc.array(migrationAccountArb, { minLength: 1, maxLength: 6 }),
    check(input) {
      const accounts = input as MigrationAccount[];
      const r = parseMigrationUri(buildMigrationUri(accounts));
      if (!r.ok) fail('built migration URI does not parse');
      if (r.value.accounts.length !== accounts.length) fail('account count differs');
      r.value.accounts.forEach((a, i) => {
        const x = accounts[i]!;
        if (a.type !== x.type || a.name !== x.name || a.issuer !== x.issuer || a.algorithm !== x.algorithm || a.digits !== x.digits) fail('account fields differ');
        if (!bytesEqual(a.secret, x.secret)) fail('secret differs');
        if (x.type === 'hotp' && BigInt(a.counter!) !== BigInt(x.counter!)) fail('counter differs');
      });
    },
  },
  {
    name: 'encodeBase32 → decodeBase32 (strict, tolerant, manual key)',
    input: fc.uint8Array({ maxLength: 128 }),
    check(input) {
      const bytes = input as Uint8Array;
      const text = encodeBase32(bytes);
      if (!bytesEqual(decodeBase32(text, { strict: true }), bytes)) fail('strict decode differs');
      if (!bytesEqual(decodeBase32(text.toLowerCase()), bytes)) fail('tolerant decode differs');
      if (bytes.length > 0 && !bytesEqual(decodeBase32(formatManualKey(bytes)), bytes)) fail('manual key decode differs');
    },
  },
  {
    name: 'formatBasicAuth → parseBasicAuth',
    input: fc.record({
      userId: fc.string({ unit: 'grapheme', maxLength: 20 }).filter((s) => !s.includes(':') && !/[\u0000-\u001f\u007f-\u009f]/.test(s)),
      password: fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s)),
    }),
    check(input) {
      const c = input as { userId: string; password: string };
      const r = parseBasicAuth(formatBasicAuth(c));
      if (!r.ok || r.userId !== c.userId || r.password !== c.password) fail('credentials differ');
    },
  },
  {
    name: 'generateApiPassword → checkApiPassword',
    input: fc.tuple(fc.integer(), fc.constantFrom('mfak', 'acme', 'x1')),
    check(input) {
      const [seed, prefix] = input as [number, string];
      const password = generateApiPassword({ rng: seededRandom(seed), prefix });
      if (!isApiPasswordFormat(password, { prefix })) fail('generated password is not well-formed');
      const issued = createApiPassword([], { now: 0, rng: seededRandom(seed), prefix });
      if (!issued.ok) fail('not issued');
      const v = checkApiPassword(issued.credentials, issued.password, { prefix });
      if (!v.ok || v.id !== issued.credential.id) fail('issued password does not verify');
    },
  },
  {
    name: 'packRecoveryCodes → unpackRecoveryCodes',
    // Small sets and one code checked per set: hashing dominates, and 10^6 sets must fit the time bound.
    input: fc.tuple(fc.integer(), fc.integer({ min: 1, max: 6 }), fc.nat()),
    check(input) {
      const [seed, count, pick] = input as [number, number, number];
      const { codes, hashes } = generateRecoveryCodes({ rng: seededRandom(seed), count });
      const back: StoredRecoveryCode[] = unpackRecoveryCodes(packRecoveryCodes(hashes));
      if (JSON.stringify(back) !== JSON.stringify(hashes)) fail('records differ');
      const i = pick % count;
      const r = verifyRecoveryCode(back, codes[i]);
      if (!r.ok || r.index !== i) fail('a generated code does not verify against its own set');
    },
  },
  {
    name: 'record → JSON → parseRecord',
    input: fc.tuple(fc.nat(VALID_RECORDS.length - 1), fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 })),
    check(input) {
      const [i, extension] = input as [number, Record<string, unknown>];
      const valid = VALID_RECORDS[i]!;
      // Extension fields ride along unchanged; known fields keep their values.
      const data = JSON.parse(JSON.stringify({ ...extension, ...valid }));
      const parsed = parseRecord(data, 'u');
      const again = parseRecord(JSON.parse(JSON.stringify(parsed)), 'u');
      if (JSON.stringify(sorted(again)) !== JSON.stringify(sorted(parsed))) fail('record differs after a JSON round trip');
      for (const key of Object.keys(valid)) {
        if (key === 'schema' || key === 'recoveryCodes') continue; // schema 1 is upgraded on read
        if (JSON.stringify(sorted((parsed as unknown as Record<string, unknown>)[key])) !== JSON.stringify(sorted(valid[key]))) fail(`field ${key} differs`);
      }
    },
  },
];

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]));
}

// ---------------------------------------------------------------------------------------------
// Growth: inputs built to make each parser loop as much as it can.

const rep = (unit: string, size: number) => unit.repeat(Math.max(1, Math.floor(size / unit.length)));

export const growthTargets: GrowthTarget[] = [
  { name: 'parseOtpauthUri label', make: (n) => 'otpauth://totp/' + rep('%C3%A9', n) + '?secret=JBSWY3DPEHPK3PXP', run: (s) => void parseOtpauthUri(s as string) },
  { name: 'parseOtpauthUri parameters', make: (n) => 'otpauth://totp/a?' + rep('&secret=JBSWY3DPEHPK3PXP&x=1', n), run: (s) => void parseOtpauthUri(s as string) },
  { name: 'parseOtpauthUri percent soup', make: (n) => 'otpauth://totp/a?secret=' + rep('%%2', n), run: (s) => void parseOtpauthUri(s as string) },
  { name: 'parseOtpauthUri long secret', make: (n) => 'otpauth://totp/a:b?issuer=a&secret=' + rep('A', n), run: (s) => void parseOtpauthUri(s as string) },
  { name: 'parseMigrationUri data', make: (n) => 'otpauth-migration://offline?data=' + rep('CgA%3D', n), run: (s) => void parseMigrationUri(s as string) },
  { name: 'parseMigrationUri payload', make: (n) => 'otpauth-migration://offline?data=' + encodeURIComponent(Buffer.from(rep('\n\u0000', (n * 3) / 4)).toString('base64')), run: (s) => void parseMigrationUri(s as string) },
  { name: 'decodeBase32 tolerant', make: (n) => rep('ab-c ', n), run: (s) => void tryMfa(() => decodeBase32(s as string)) },
  { name: 'decodeBase32 padding', make: (n) => 'A' + rep('=', n), run: (s) => void tryMfa(() => decodeBase32(s as string, { strict: true })) },
  { name: 'verifyTotp token', make: (n) => rep('1 ', n), run: (s) => void verifyTotp(SECRET, s as string, { time: TIME }) },
  { name: 'verifyRecoveryCode', make: (n) => rep('O-l ', n), run: (s) => void verifyRecoveryCode(recovery.hashes, s) },
  { name: 'parseBasicAuth', make: (n) => 'Basic ' + Buffer.from(rep(':a', n)).toString('base64'), run: (s) => void parseBasicAuth(s, { maxLength: 1e8 }) },
  { name: 'parseBasicAuth whitespace', make: (n) => 'Basic' + rep(' \t', n) + 'x', run: (s) => void parseBasicAuth(s, { maxLength: 1e8 }) },
  { name: 'checkApiPassword', make: (n) => 'mfak_' + rep('a', n), run: (s) => void checkApiPassword(API_LIST, s) },
  {
    name: 'parseRecord large fields',
    make: (n) => ({ ...VALID_RECORDS[1]!, note: rep('x', n), method: { ...(VALID_RECORDS[1]!.method as object), account: rep('y', n) } }),
    run: (r) => void parseRecord(r, 'u'),
  },
  {
    name: 'parseRecord many clients',
    make: (n) => ({
      ...VALID_RECORDS[1]!,
      clients: Array.from({ length: Math.floor(n / 64) }, (_, i) => ({ key: `k${i}`, failures: 0, lockedUntil: null, seenAt: i, verifiedAt: null })),
    }),
    run: (r) => void tryMfa(() => parseRecord(r, 'u')),
  },
  {
    name: 'parseRecord many recovery codes',
    make: (n) => ({ ...VALID_RECORDS[1]!, recoveryCodes: { v: 1, alg: 'sha256', hashes: Array(Math.floor(n / 8)).fill('aaaaaaa'), usedAt: Array(Math.floor(n / 8)).fill(null) } }),
    run: (r) => void tryMfa(() => parseRecord(r, 'u')),
  },
];

function tryMfa(f: () => unknown): void {
  try {
    f();
  } catch (err) {
    if (!(err instanceof MfaError)) throw err;
  }
}

export { PropertyFailure };
