// examples/web: the enrolment page served by examples/rest-server (SQLite), driven in headless
// Chromium (Debian's, through playwright-core from test/runtimes). The QR code is read back from a
// screenshot with `zbarimg` and must be the secretUrl the server issued; the code typed into the
// page comes from `oathtool` for the secret in that QR; the recovery-code download holds the codes.
// MFAKIT_WRITE_SCREENSHOTS=1 also saves the screenshot as docs/images/enrolment.png (README).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseOtpauthUri, encodeBase32 } from '../../src/index.js';
import { oathtoolCode, startChild, useExamples, type Child } from '../support/example-app.js';
import { runtimeBinary } from '../support/runtime-binaries.js';
import { freePort, skipUnless } from '../support/services.js';
import { repoRoot } from '../../scripts/packed-app.mjs';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const requireRuntimes = createRequire(join(repoRoot, 'test', 'runtimes', 'package.json'));
const playwrightPath = (() => {
  try {
    return requireRuntimes.resolve('playwright-core');
  } catch {
    return null;
  }
})();
const skip = skipUnless(
  'examples/web in headless Chromium',
  !existsSync(chromiumPath)
    ? { available: false, reason: `no Chromium at ${chromiumPath} (apt-get install chromium)` }
    : playwrightPath === null
      ? { available: false, reason: 'playwright-core is not installed: npm ci --prefix test/runtimes' }
      : { available: true },
);

const examples = useExamples(['rest-server', 'web']);
// The page functions below run in the browser; this file is checked without the DOM lib.
declare const document: { getElementById(id: string): { textContent: string | null; complete?: boolean } | null };
const USER = { uid: 'b0b00000-0000-4000-8000-000000000003', userName: 'bob@example.com', password: 'bob-pass' };

describe.skipIf(skip)('examples/web enrolment page', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('shows a scannable QR and a manual key, turns MFA on with a code, offers the recovery codes as a download', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'mfakit-web-'));
    cleanup.push(() => rmSync(tmp, { recursive: true, force: true }));
    const port = await freePort();
    const server: Child = startChild(runtimeBinary('node22'), ['server.ts'], {
      cwd: examples.dir('rest-server'),
      env: { PORT: String(port), SQLITE_FILE: join(tmp, 'mfa.db'), MFA_ISSUER: 'Acme Portal', MFA_DEMO_USERS: JSON.stringify([USER]) },
    });
    cleanup.push(() => server.stop());
    await server.waitFor(/listening on/);

    const playwright = (await import(pathToFileURL(playwrightPath!).href)) as any;
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    const browser = await playwright.chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'], headless: true });
    cleanup.push(() => browser.close());
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 640, height: 760 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err: Error) => pageErrors.push(err.message));
    await page.goto(`http://127.0.0.1:${port}/`);

    await page.fill('#user-name', USER.userName);
    await page.fill('#password', 'wrong');
    await page.click('button[type=submit]');
    await page.waitForFunction(() => document.getElementById('error')!.textContent !== '');
    expect(await page.textContent('#error')).toBe('Wrong user name or password.');

    await page.fill('#password', USER.password);
    const issued = page.waitForResponse((r: any) => r.url().endsWith('/authentication/keys/totp-secret'));
    await page.click('#sign-in-form button');
    const secretUrl = ((await (await issued).json()) as { data: { secretUrl: string } }).data.secretUrl;
    await page.waitForSelector('#qr', { state: 'visible' });
    await page.waitForFunction(() => document.getElementById('qr')!.complete === true);

    const shot = join(tmp, 'enrolment.png');
    await page.screenshot({ path: shot });
    if (process.env.MFAKIT_WRITE_SCREENSHOTS === '1') copyFileSync(shot, join(repoRoot, 'docs', 'images', 'enrolment.png'));
    const decoded = execFileSync('zbarimg', ['--quiet', '--raw', shot], { encoding: 'utf8' }).trim();
    expect(decoded).toBe(secretUrl);
    const parsed = parseOtpauthUri(decoded);
    if (!parsed.ok) throw new Error('the QR does not hold an otpauth URI');
    expect(parsed.value).toMatchObject({ issuer: 'Acme Portal', account: USER.userName });
    const secret = encodeBase32(parsed.value.secret);
    // The manual key is the same secret, in groups of four.
    const manualKey = (await page.textContent('#manual-key')) as string;
    expect(manualKey).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
    expect(manualKey.replaceAll(' ', '')).toBe(secret);

    // A wrong code is refused with a message; the code from oathtool turns MFA on.
    await page.fill('#code', '000000');
    await page.click('#confirm-form button');
    await page.waitForFunction(() => document.getElementById('error')!.textContent !== '');
    expect(await page.textContent('#error')).toContain('not right');
    await page.fill('#code', oathtoolCode(secret, Date.now()));
    await page.click('#confirm-form button');
    await page.waitForSelector('#done', { state: 'visible' });
    const shown = (await page.$$eval('#recovery-codes li', (items: Array<{ textContent: string | null }>) => items.map((li) => li.textContent))) as string[];
    expect(shown).toHaveLength(10);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.suggestedFilename()).toBe('recovery-codes.txt');
    const text = readFileSync(await download.path(), 'utf8');
    for (const code of shown) expect(text).toContain(code);
    expect(pageErrors).toEqual([]);
  }, 90_000);
});

