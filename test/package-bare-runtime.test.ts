// Every entry point of the installed package evaluates in a bare ES2020-style engine (no
// TextEncoder, TextDecoder, crypto, Buffer, process, setImmediate, structuredClone: what an
// embedded engine such as QuickJS offers), and the core runs there with nothing but an `rng`.
// Each entry is bundled from the packed tarball with esbuild (IIFE, platform neutral) and run in a
// fresh node:vm context, which holds only the language built-ins.
import vm from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { usePackedApp } from './support/packed.js';

const app = usePackedApp({ uqr: '^0.1.3' });

const ENTRIES = ['mfakit', 'mfakit/lifecycle', 'mfakit/qr', 'mfakit/testing', 'mfakit/postgres', 'mfakit/sqlite', 'mfakit/redis'];
const ABSENT = ['TextEncoder', 'TextDecoder', 'crypto', 'Buffer', 'process', 'setImmediate', 'structuredClone', 'require'];

/** The entry bundled as an IIFE that sets `globalThis.lib`. vitest (the testing entry's peer) is a stub. */
async function bundle(entry: string): Promise<string> {
  const result = await build({
    stdin: { contents: `export * from '${entry}';`, resolveDir: app.dir, loader: 'js' },
    bundle: true,
    format: 'iife',
    globalName: 'lib',
    platform: 'neutral',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'vitest-stub',
        setup(b) {
          b.onResolve({ filter: /^vitest$/ }, () => ({ path: 'vitest', namespace: 'stub' }));
          b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
            contents: 'const f = () => {}; export { f as describe, f as it, f as expect, f as beforeAll, f as afterAll, f as beforeEach, f as afterEach };',
            loader: 'js',
          }));
        },
      },
    ],
  });
  return result.outputFiles[0]!.text;
}

/** A fresh context with the entry evaluated in it; fails if a host global leaked in. */
async function bare(entry: string): Promise<vm.Context> {
  const context = vm.createContext({});
  const missing = vm.runInContext(`[${ABSENT.map((g) => `typeof ${g}`).join(',')}]`, context) as string[];
  expect(missing).toEqual(ABSENT.map(() => 'undefined'));
  vm.runInContext(await bundle(entry), context, { filename: `${entry}.iife.js` });
  return context;
}

describe('the packed package in a bare engine', () => {
  it.each(ENTRIES)('%s evaluates and exports its API', async (entry) => {
    const context = await bare(entry);
    const names = vm.runInContext('Object.keys(lib)', context) as string[];
    expect(names.length).toBeGreaterThan(0);
  });

  it('the core runs with only an rng passed: secret, TOTP, URIs, recovery codes, the lifecycle', async () => {
    const context = await bare('mfakit');
    const script = `(async () => {
      const m = lib;
      let s = 7;
      const rng = (n) => { const out = new Uint8Array(n); for (let i = 0; i < n; i++) out[i] = (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24; return out; };
      const out = {};
      const secret = m.generateSecret({ rng });
      const code = m.totp(secret, { time: 59000 });
      out.totp = [code.length, m.verifyTotp(secret, code, { time: 59000 }).ok, m.verifyTotp(secret, '000000', { time: 1e12 }).ok];
      const uri = m.buildOtpauthUri({ secret, account: 'alice@example.com', issuer: 'Acme Ltd' });
      out.uri = m.parseOtpauthUri(uri).ok;
      const { codes, hashes } = m.generateRecoveryCodes({ rng });
      out.recovery = [codes.length, m.verifyRecoveryCode(hashes, codes[3]).ok, m.verifyRecoveryCode(hashes, 'AAAA-AAAA-AAAA').ok];
      const clock = new m.FakeClock();
      const mfa = m.createMfa({ store: new m.MemoryStore(), issuer: 'Acme', rng, clock, features: [m.recoveryCodes()] });
      const begun = await mfa.beginEnrollment('u1', { account: 'alice@example.com' });
      const confirmed = await mfa.confirmEnrollment('u1', m.totp(begun.secret, { time: clock.now() }));
      clock.advance(30000);
      const login = await mfa.verifyLogin('u1', m.totp(begun.secret, { time: clock.now() }));
      const replay = await mfa.verifyLogin('u1', m.totp(begun.secret, { time: clock.now() }));
      const recovery = await mfa.verifyLogin('u1', confirmed.recoveryCodes[0]);
      out.lifecycle = [begun.ok, confirmed.ok, login.ok, replay.ok, recovery.ok];
      // Basic auth needs UTF-8 both ways: the portable codec stands in for TextEncoder/TextDecoder.
      const header = m.formatBasicAuth({ userId: 'zoë', password: 'pässword' });
      const parsed = m.parseBasicAuth(header);
      out.basic = [parsed.ok, parsed.userId, parsed.password];
      try { m.generateSecret(); out.noRng = 'no error'; }
      catch (err) { out.noRng = [err instanceof m.MfaError, err.code, err.message.includes('rng')]; }
      try { await m.createMfa({ store: new m.MemoryStore(), issuer: 'Acme', clock }).beginEnrollment('u2', { account: 'bob' }); out.noRngLifecycle = 'no error'; }
      catch (err) { out.noRngLifecycle = [err instanceof m.MfaError, err.code]; }
      return JSON.stringify(out);
    })()`;
    const out = JSON.parse(await (vm.runInContext(script, context) as Promise<string>));
    expect(out).toEqual({
      totp: [6, true, false],
      uri: true,
      recovery: [10, true, false],
      lifecycle: [true, true, true, false, true],
      basic: [true, 'zoë', 'pässword'],
      noRng: [true, 'UNSUPPORTED_RUNTIME', true],
      noRngLifecycle: [true, 'UNSUPPORTED_RUNTIME'],
    });
  });

  it('the AES-GCM cipher, which needs WebCrypto, says so with UNSUPPORTED_RUNTIME', async () => {
    const context = await bare('mfakit');
    const out = vm.runInContext(
      `(() => { try { lib.aesGcmCipher({ keys: { k1: new Uint8Array(32) }, current: 'k1' }); return 'no error'; }
        catch (err) { return [err instanceof lib.MfaError, err.code, /WebCrypto/.test(err.message)].join(); } })()`,
      context,
    ) as string;
    expect(out).toBe('true,UNSUPPORTED_RUNTIME,true');
  });
});
