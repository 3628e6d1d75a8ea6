// `instanceof MfaError` holds for errors from every subpath and from both builds (ESM and CJS)
// loaded in one process: the CJS build loads the ESM MfaError through require(esm), so there is one
// class. Run against the packed tarball in a plain Node process.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { usePackedApp } from './support/packed.js';

const app = usePackedApp({ uqr: '^0.1.3' });

const SCRIPT = `
import { createRequire } from 'node:module';
import { MfaError, isMfaError } from 'mfakit';
import { postgresStore } from 'mfakit/postgres';
import { qrSvg } from 'mfakit/qr';
const require = createRequire(import.meta.url);
const cjs = require('mfakit');
const cjsRedis = require('mfakit/redis');
const thrown = (f) => { try { f(); } catch (err) { return err; } return null; };
const fromSubpath = thrown(() => postgresStore({ client: null }));
const fromQr = thrown(() => qrSvg(''));
const fromCjsSubpath = thrown(() => cjsRedis.redisStore({ client: null }));
const fromCjsCore = thrown(() => cjs.decodeBase32('!'));
class AppError extends MfaError {}
const app = new AppError('INVALID_OPTION', 'x');
console.log(JSON.stringify({
  oneClass: cjs.MfaError === MfaError,
  esmSubpath: [fromSubpath instanceof MfaError, fromQr instanceof MfaError],
  cjsCaughtByEsm: [fromCjsSubpath instanceof MfaError, fromCjsCore instanceof MfaError, isMfaError(fromCjsCore, 'INVALID_BASE32')],
  esmCaughtByCjs: [fromSubpath instanceof cjs.MfaError, cjs.isMfaError(fromSubpath, 'INVALID_OPTION')],
  notMfaErrors: [new Error('x') instanceof MfaError, { name: 'MfaError', code: 'X' } instanceof MfaError, null instanceof MfaError],
  subclass: [app instanceof AppError, app instanceof MfaError, fromSubpath instanceof AppError],
}));
`;

describe('instanceof MfaError in the packed package', () => {
  it('holds across subpaths and across the ESM and CJS builds in one process', () => {
    const file = join(app.dir, 'instanceof.mjs');
    writeFileSync(file, SCRIPT);
    const r = spawnSync(process.execPath, [file], { cwd: app.dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      oneClass: true,
      esmSubpath: [true, true],
      cjsCaughtByEsm: [true, true, true],
      esmCaughtByCjs: [true, true],
      notMfaErrors: [false, false, false],
      subclass: [true, true, false],
    });
  });
});
