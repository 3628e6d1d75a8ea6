// examples/cli, installed from the packed tarball and run on Node 22 (node:sqlite) as a user would:
// scripted answers on stdin after each prompt, codes from `oathtool` for the key it displays, the
// e-mailed token and codes read from its outbox file, and its files and exit codes checked.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { oathtoolCode, startChild, useExamples } from '../support/example-app.js';
import { runtimeBinary } from '../support/runtime-binaries.js';

const examples = useExamples(['cli']);
const work = mkdtempSync(join(tmpdir(), 'mfakit-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** One answer: wait for the prompt, then type what `answer` returns (it sees the output so far). */
type Step = readonly [prompt: RegExp, answer: (output: string) => string];

async function mfa(args: readonly string[], steps: readonly Step[] = []): Promise<{ code: number | null; output: string }> {
  const child = startChild(runtimeBinary('node22'), [join(examples.dir('cli'), 'mfa.ts'), '--db', join(work, 'state.db'), '--outbox', join(work, 'outbox.txt'), '--user', 'jm', ...args], {
    cwd: work,
  });
  let seen = 0;
  for (const [prompt, answer] of steps) {
    await child.waitFor(new RegExp(`[\\s\\S]{${seen}}[\\s\\S]*?${prompt.source}`));
    seen = child.output().length;
    child.process.stdin.write(`${answer(child.output())}\n`);
  }
  child.process.stdin.end();
  const code = await child.exited();
  return { code, output: child.output() };
}

/** The last value `pattern` captures in the outbox (mails are appended). */
function fromOutbox(pattern: RegExp): string {
  const all = [...readFileSync(join(work, 'outbox.txt'), 'utf8').matchAll(new RegExp(pattern.source, 'g'))];
  if (all.length === 0) throw new Error(`nothing like ${pattern} in the outbox`);
  return all.at(-1)![1]!;
}

describe('examples/cli (seed 003 vss-cli)', () => {
  it('mk AUTHENTICATOR, verify, recovery, rm with the e-mailed token, then mk EMAIL', async () => {
    expect((await mfa(['frobnicate'])).code).toBe(2);
    expect((await mfa(['get'])).output).toContain('status: disabled');

    // Enrol: QR in the terminal, the key shown, a wrong code refused (exit 1, still pending).
    let key = '';
    const wrong = await mfa(['mk', 'AUTHENTICATOR'], [
      [/\[y\/N\]:/, () => 'n'],
      [/display the security key\? \[y\/N\]:/, () => 'y'],
      [/verify enrolment was successful:/, () => '000000'],
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.output).toContain('enrolment not confirmed: mismatch');
    const mk = await mfa(['mk', 'AUTHENTICATOR'], [
      [/scan a QR Code to generate TOTP codes\? \[y\/N\]:/, () => 'y'],
      [/display the security key\? \[y\/N\]:/, () => 'y'],
      [/verify enrolment was successful:/, (out) => {
        key = /unable to scan the QR Code: ([A-Z2-7 ]+)\n/.exec(out)![1]!.replaceAll(' ', '');
        return oathtoolCode(key, Date.now());
      }],
      [/save the codes into a text file\? \[y\/N\]:/, () => 'y'],
    ]);
    expect(mk.code, mk.output).toBe(0);
    expect(mk.output).toMatch(/[█▀▄]{20,}/); // the QR, drawn with block characters
    const codesFile = readFileSync(join(work, '__recovery_codes.txt'), 'utf8');
    const codes = [...codesFile.matchAll(/^\s*(?:\d+\.\s*)?([a-z0-9]{4,}(?:-[a-z0-9]{4,})+)\s*$/gim)].map((m) => m[1]!);
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(mk.output).toContain(code);
    expect((await mfa(['get'])).output).toMatch(/status: active\nmethod: totp\nrecovery codes left: 10/);

    // Verify: the next step's code once, not twice; a recovery code once.
    const next = oathtoolCode(key, Date.now() + 30_000);
    expect((await mfa(['verify', next])).code).toBe(0);
    const replay = await mfa(['verify'], [[/Enter the code:/, () => next]]);
    expect(replay).toMatchObject({ code: 1 });
    expect(replay.output).toContain('code rejected: replayed');
    expect((await mfa(['verify', codes[0]!])).code).toBe(0);
    expect((await mfa(['verify', codes[0]!])).code).toBe(1);

    // New recovery codes with an unused one as proof; the file is rewritten, the old codes are gone.
    const recovery = await mfa(['recovery'], [
      [/current code or a recovery code:/, () => codes[1]!],
      [/text file\? \[y\/N\]:/, () => 'y'],
    ]);
    expect(recovery.code, recovery.output).toBe(0);
    expect(readFileSync(join(work, '__recovery_codes.txt'), 'utf8')).not.toContain(codes[2]!);
    expect((await mfa(['verify', codes[2]!])).code).toBe(1);

    // rm: a token mailed to the outbox, valid 15 minutes; a wrong paste is refused, the mailed one works.
    const badRm = await mfa(['rm'], [[/paste the token to continue:/, () => 'not-the-token']]);
    expect(badRm.code).toBe(1);
    const rm = await mfa(['rm'], [[/paste the token to continue:/, () => fromOutbox(/disable MFA:\n(\S+)\n/)]]);
    expect(rm.code, rm.output).toBe(0);
    expect(rm.output).toContain('message : Confirmation email sent.');
    expect(rm.output).toContain('message : TOTP has been disabled');
    expect((await mfa(['get'])).output).toContain('status: disabled');

    // mk EMAIL: the code comes by "mail". get-token right after it sends a login code (each purpose has
    // its own resend limit, one code per 30 s); a second get-token at once is refused.
    const mkEmail = await mfa(['--email', 'jm@example.com', 'mk', 'EMAIL'], [[/code from the e-mail:/, () => fromOutbox(/Your code is (\d+)/)]]);
    expect(mkEmail.code, mkEmail.output).toBe(0);
    expect(mkEmail.output).toContain('j•');
    const enrolmentCode = fromOutbox(/Your code is (\d+)/);
    const token = await mfa(['get-token']);
    expect(token.code, token.output).toBe(0);
    const early = await mfa(['get-token']);
    expect(early.code).toBe(1);
    expect(early.output).toMatch(/no code sent: rate_limited, try again in [1-3]?\d s/);
    const loginCode = fromOutbox(/Your code is (\d+)/);
    if (loginCode !== enrolmentCode) expect((await mfa(['verify', enrolmentCode])).code).toBe(1); // the enrolment code is spent
    expect((await mfa(['verify', loginCode])).code).toBe(0);
    expect((await mfa(['get'])).output).toMatch(/status: active\nmethod: email/);
    expect(existsSync(join(work, 'state.db'))).toBe(true);
  }, 120_000);
});
