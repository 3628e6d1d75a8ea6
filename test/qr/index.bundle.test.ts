// The QR encoder is an optional peer of 'mfakit/qr' only: the core entry must never pull it in.
// Every claim is checked on the packed tarball as installed in a fresh app, never on src/.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { usePackedApp } from '../support/packed.js';

const withUqr = usePackedApp({ uqr: '^0.1.3' });
const withoutUqr = usePackedApp();

async function bundle(entry: string, uqrStub?: string): Promise<{ metafile: Metafile; code: string }> {
  const result = await build({
    plugins: uqrStub === undefined ? [] : [{
      name: 'uqr-stub',
      setup(b) {
        b.onResolve({ filter: /^uqr$/ }, () => ({ path: 'uqr', namespace: 'stub' }));
        b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: uqrStub, loader: 'js' }));
      },
    }],
    stdin: { contents: `export * from '${entry}';`, resolveDir: withUqr.dir, loader: 'js' },
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'neutral',
    logLevel: 'silent',
    external: ['node:*'],
  });
  return { metafile: result.metafile, code: result.outputFiles[0]!.text };
}

function usesUqr(metafile: Metafile): boolean {
  return Object.entries(metafile.inputs).some(
    ([path, input]) => /(^|\/)node_modules\/uqr\//.test(path) || input.imports.some((i) => i.path === 'uqr' || i.path.includes('node_modules/uqr/')),
  );
}

describe('bundles', () => {
  it("the core 'mfakit' entry does not include or import uqr", async () => {
    const { metafile } = await bundle('mfakit');
    expect(Object.keys(metafile.inputs).some((p) => p.endsWith('node_modules/mfakit/dist/otpauth-uri.js'))).toBe(true);
    expect(usesUqr(metafile)).toBe(false);
  });

  it("'mfakit/qr' does include uqr (so the check above can fail)", async () => {
    const { metafile } = await bundle('mfakit/qr');
    expect(usesUqr(metafile)).toBe(true);
  });

  it('an installed uqr without encode() (incompatible version) is QR_ENCODER_MISSING with an install hint', async () => {
    const { code } = await bundle('mfakit/qr', 'export const renderSVG = () => "";');
    const dir = mkdtempSync(join(tmpdir(), 'mfakit-oldqr-'));
    try {
      const file = join(dir, 'qr.mjs');
      writeFileSync(file, code);
      const qr = (await import(pathToFileURL(file).href)) as typeof import('../../src/qr/index.js');
      expect(() => qr.qrSvg('otpauth://totp/a?secret=JBSWY3DPEHPK3PXP')).toThrow(
        expect.objectContaining({ name: 'MfaError', code: 'QR_ENCODER_MISSING', message: expect.stringContaining('npm install uqr') }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("without uqr installed, importing 'mfakit/qr' fails at import time with an error naming uqr", () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', "await import('mfakit/qr')"], { cwd: withoutUqr.dir });
    expect(r.status).not.toBe(0);
    expect(r.stderr.toString()).toMatch(/Cannot find (package|module) 'uqr'/);
  });
});
