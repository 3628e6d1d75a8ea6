// parseOtpauthUri against oathtool (OATH Toolkit): the parsed secret, algorithm, digits and period
// give the codes oathtool computes from the same URI. Runs a process, so it is in the integration
// project (vitest.config.ts); the parser's own tests are in otpauth-uri.test.ts.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseOtpauthUri } from '../src/otpauth-uri.js';
import { totp } from '../src/totp.js';
import { hotp } from '../src/hotp.js';

const SEED_002 =
  'otpauth://totp/vspc%5cAdministrator?secret=3QEYAIQAKPC2A4ENSZEXHL4OQLWJ4XNC&issuer=My%20Company%20Portal';

function ok(uri: string) {
  const r = parseOtpauthUri(uri);
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r;
}
const hasOathtool = spawnSync('oathtool', ['--version']).status === 0;
describe('parsed URIs give the codes oathtool computes', () => {
  // oathtool (oath-toolkit) reads the base32 secret from the URI on its own; the parsed secret,
  // algorithm, digits and period must produce the same codes through mfakit.
  const cases: Array<[string, number]> = [
    [SEED_002, 1_700_000_000],
    ['otpauth://totp/A:b?secret=jbswy3dpehpk3pxp%3D%3D%3D%3D&issuer=A&algorithm=SHA256&digits=8&period=60', 2_000_000_000],
    ['otpauth://totp/A:b?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA&algorithm=SHA512&digits=7', 59],
    ['otpauth://hotp/A:b?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=9', 0],
  ];
  it.skipIf(!hasOathtool && !process.env.CI).each(cases)('%s', (uri, seconds) => {
    const { value } = ok(uri);
    const key = Buffer.from(value.secret).toString('hex');
    const args =
      value.type === 'totp'
        ? [`--totp=${value.algorithm}`, `--digits=${value.digits}`, `--time-step-size=${value.period}s`, `--now=@${seconds}`, key]
        : ['--hotp', `--digits=${value.digits}`, `--counter=${value.counter}`, key];
    const r = spawnSync('oathtool', args, { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const ours =
      value.type === 'totp'
        ? totp(value.secret, { time: seconds * 1000, algorithm: value.algorithm, digits: value.digits, period: value.period, allowShortSecret: true })
        : hotp(value.secret, value.counter, { digits: value.digits, allowShortSecret: true });
    expect(ours).toBe(r.stdout.trim());
  });
});
