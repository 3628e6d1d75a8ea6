// importAuthenticator against pyotp (Debian's python3-pyotp): a pyotp base32 secret, TOTP and HOTP,
// logs in with the codes pyotp computes. Runs a Python process: integration project.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { authenticators, createMfa, MemoryStore } from '../../../../src/index.js';
import { FakeClock, seededRandom } from '../../../../src/testing/index.js';

const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const hasPyotp = spawnSync(python, ['-c', 'import pyotp']).status === 0;

function pyotp(script: string): string[] {
  const r = spawnSync(python, ['-c', `import pyotp\n${script}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim().split('\n');
}

describe.skipIf(!hasPyotp && !process.env.CI)('importAuthenticator: pyotp secrets', () => {
  const now = Date.UTC(2026, 5, 1, 8, 0, 5);
  it('pyotp.random_base32() TOTP (SHA1 and SHA512/8 digits) and HOTP codes log in', async () => {
    const [secret, sha1, sha512, hotp7] = pyotp(
      [
        's = pyotp.random_base32()',
        'print(s)',
        `print(pyotp.TOTP(s).at(${now / 1000}))`,
        `import hashlib\nprint(pyotp.TOTP(s, digits=8, digest=hashlib.sha512).at(${now / 1000}))`,
        'print(pyotp.HOTP(s).at(7))',
      ].join('\n'),
    );
    const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', clock: new FakeClock(now), rng: seededRandom(8), features: [authenticators()] });
    await mfa.importAuthenticator('a', { secret: secret!, name: 'pyotp' });
    expect(await mfa.verifyLogin('a', sha1!)).toMatchObject({ ok: true });
    await mfa.importAuthenticator('b', { secret: secret!, algorithm: 'SHA512', digits: 8, name: 'pyotp' });
    expect(await mfa.verifyLogin('b', sha512!)).toMatchObject({ ok: true });
    await mfa.importAuthenticator('c', { secret: secret!, type: 'hotp', counter: 5, name: 'pyotp' });
    expect(await mfa.verifyLogin('c', hotp7!)).toMatchObject({ ok: true });
  });
});
