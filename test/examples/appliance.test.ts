// examples/appliance, installed from the packed tarball (no native add-on: `npm install --ignore-scripts`
// is all it needs) and run on Node 22 and 24 (node:sqlite), Bun (bun:sqlite) and Deno (node:sqlite):
// enrol and log in over HTTP with oathtool codes, the secret sealed in the database under the key
// file, the local admin reset on the console, and a wrong key file refused (CIPHER_FAILURE).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeBase32, parseOtpauthUri } from '../../src/index.js';
import { oathtoolCode, startChild, useExamples } from '../support/example-app.js';
import { runtimeBinary, type Runtime } from '../support/runtime-binaries.js';
import { freePort } from '../support/services.js';

const examples = useExamples(['appliance']);
const work = mkdtempSync(join(tmpdir(), 'mfakit-appliance-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const RUNTIMES: ReadonlyArray<readonly [Runtime, readonly string[]]> = [
  ['node22', []],
  ['node24', []],
  ['bun', []],
  ['deno', ['run', '--quiet', '--no-prompt', '--no-remote', '--cached-only', '--allow-read', '--allow-write', '--allow-net', '--allow-env']],
];

function command(runtime: Runtime, args: readonly string[], dir: string) {
  const [, prefix] = RUNTIMES.find(([name]) => name === runtime)!;
  return {
    file: runtimeBinary(runtime),
    args: [...prefix, join(examples.dir('appliance'), 'appliance.ts'), ...args],
    env: { MFA_DB: join(dir, 'appliance.db'), MFA_KEY_FILE: join(dir, 'mfa.key'), DENO_DIR: join(dir, '.deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
  };
}

async function serve(runtime: Runtime, dir: string) {
  const port = await freePort();
  const c = command(runtime, ['serve'], dir);
  const child = startChild(c.file, c.args, { cwd: examples.dir('appliance'), env: { ...c.env, PORT: String(port) } });
  await child.waitFor(/appliance listening/, 20_000);
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, body === undefined ? { method } : { method, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  return { child, call };
}

describe('examples/appliance', () => {
  for (const [runtime] of RUNTIMES) {
    it(`${runtime}: enrol, log in, secret sealed under the key file, local admin reset`, async () => {
      const dir = mkdtempSync(join(work, `${runtime}-`));
      const { child, call } = await serve(runtime, dir);
      try {
        expect(statSync(join(dir, 'mfa.key')).size).toBe(32); // provisioned at first boot
        expect(statSync(join(dir, 'mfa.key')).mode & 0o777).toBe(0o600);
        const enrolled = await call('POST', '/mfa/enrol', { user: 'admin' });
        expect(enrolled.status).toBe(200);
        const parsed = parseOtpauthUri(enrolled.body.uri);
        if (!parsed.ok) throw new Error('no otpauth URI');
        const secret = encodeBase32(parsed.value.secret);
        const confirmed = await call('POST', '/mfa/confirm', { user: 'admin', code: oathtoolCode(secret, Date.now()) });
        expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
        expect(confirmed.body.recoveryCodes).toHaveLength(10);
        expect(await call('POST', '/mfa/login', { user: 'admin', code: oathtoolCode(secret, Date.now() + 30_000) })).toMatchObject({ status: 200, body: { method: 'totp' } });
        expect(await call('POST', '/mfa/login', { user: 'admin', code: '000000' })).toMatchObject({ status: 401, body: { error: 'mismatch' } });

        // The database (and its WAL) holds the sealed secret, never the secret itself.
        const stored = readdirSync(dir).filter((f) => f.startsWith('appliance.db')).map((f) => readFileSync(join(dir, f)).toString('latin1')).join('');
        const b64url = Buffer.from(parsed.value.secret).toString('base64url');
        expect(stored).not.toContain(b64url);
        expect(stored).not.toContain(secret);
        expect(stored).toMatch(/v\d+\.device\./);
      } finally {
        await child.stop();
      }

      // Lost phone: the local console clears MFA; the service then asks to enrol again.
      const reset = command(runtime, ['admin-reset', 'admin'], dir);
      expect(execFileSync(reset.file, reset.args, { cwd: examples.dir('appliance'), env: { ...process.env, ...reset.env }, encoding: 'utf8' })).toContain('MFA cleared for admin');
      const again = await serve(runtime, dir);
      try {
        expect((await again.call('GET', '/mfa/status?user=admin')).body).toEqual({ status: 'disabled', loginRequirement: 'none' });
      } finally {
        await again.child.stop();
      }
    }, 60_000);
  }

  it('node22: a different key file cannot open the sealed secrets (CIPHER_FAILURE, no secret in the log)', async () => {
    const dir = mkdtempSync(join(work, 'wrong-key-'));
    const first = await serve('node22', dir);
    let uri: string;
    try {
      uri = (await first.call('POST', '/mfa/enrol', { user: 'op' })).body.uri as string;
    } finally {
      await first.child.stop();
    }
    writeFileSync(join(dir, 'mfa.key'), new Uint8Array(32).fill(7));
    const second = await serve('node22', dir);
    try {
      expect(await second.call('POST', '/mfa/confirm', { user: 'op', code: '123456' })).toMatchObject({ status: 500 });
      await second.child.waitFor(/request failed: CIPHER_FAILURE/);
      expect(second.child.output()).not.toContain(new URL(uri).searchParams.get('secret')!);
    } finally {
      await second.child.stop();
    }
  }, 60_000);
});
