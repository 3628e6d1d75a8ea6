#!/usr/bin/env node
// `mfa`: manage your own MFA from a terminal, like seed 003's `vss-cli account set mfa`.
//
//   mfa [--db FILE] [--user NAME] [--email ADDRESS] [--outbox FILE] COMMAND
//     mk AUTHENTICATOR|EMAIL   enable MFA: QR in the terminal (or a mailed code), confirm, recovery codes
//     get                      show the MFA status
//     get-token                e-mail a login code (EMAIL method)
//     verify [CODE]            check a code (or a recovery code)
//     rm                       disable: mails a token valid 15 minutes, then asks for it
//     recovery                 new recovery codes (needs a current code or a recovery code)
//
// State lives in a SQLite file (node:sqlite). This example has no mail server: "mails" are appended
// to the outbox file. Exit codes: 0 done, 1 refused (wrong code, expired token, …), 2 usage.
import { appendFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { confirmationTokens, createMfa, maskDestination, oneTimeCodes, recoveryCodes, recoveryCodesToText, type Sender } from 'mfakit';
import { qrTerminal } from 'mfakit/qr';
import { sqliteStore } from 'mfakit/sqlite';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    db: { type: 'string', default: process.env.MFA_DB ?? 'mfa.db' },
    user: { type: 'string', default: process.env.MFA_USER ?? process.env.USER ?? 'me' },
    email: { type: 'string' },
    outbox: { type: 'string', default: process.env.MFA_OUTBOX ?? 'outbox.txt' },
    'codes-file': { type: 'string', default: '__recovery_codes.txt' },
  },
});
const user = values.user;
const email = values.email ?? process.env.MFA_EMAIL ?? `${user}@example.com`;
const ISSUER = 'ITS Private Cloud';

// The "mail server": one appended block per message.
function mail(to: string, subject: string, text: string): void {
  appendFileSync(values.outbox, `To: ${to}\nSubject: ${subject}\n\n${text}\n.\n`);
}
const sender: Sender = {
  async send({ destination, code, purpose }) {
    mail(destination, `Your ${purpose} code`, `Your code is ${code}`);
  },
};

const db = new DatabaseSync(values.db);
db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;');
const store = sqliteStore({ client: db });
await store.migrate(); // CREATE TABLE IF NOT EXISTS
const mfa = createMfa({
  store,
  issuer: ISSUER,
  features: [recoveryCodes(), oneTimeCodes({ sender }), confirmationTokens()], // recovery codes, mk EMAIL / get-token, rm's mailed token
});

// Prompts read one line each from stdin (a terminal or a script).
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
async function ask(question: string): Promise<string> {
  process.stdout.write(`${question} `);
  const next = await lines.next();
  return next.done ? '' : String(next.value).trim();
}
const yes = async (question: string) => /^y(es)?$/i.test(await ask(`${question} [y/N]:`));

async function saveRecoveryCodes(codes: readonly string[]): Promise<void> {
  console.log('Recovery codes are used to access your account in the event you cannot get two-factor authentication codes.');
  for (const code of codes) console.log(`  ${code}`);
  if (await yes('Would you like to save the codes into a text file?')) {
    writeFileSync(values['codes-file'], recoveryCodesToText(codes, { issuer: ISSUER, account: user }), { mode: 0o600 });
    console.log(`Written ${values['codes-file']} with recovery codes.`);
  }
}

async function mk(method: string | undefined): Promise<number> {
  if (method === 'EMAIL') {
    const begun = await mfa.beginEnrollment(user, { method: 'email', destination: email });
    if (!begun.ok) return refuse(`cannot enable MFA: ${begun.reason}`);
    console.log(`A code was sent to ${maskDestination(email)}.`);
    const confirmed = await mfa.confirmEnrollment(user, await ask('Enter the code from the e-mail:'));
    if (!confirmed.ok) return refuse(`enrolment not confirmed: ${confirmed.reason}`);
    console.log('MFA enabled (EMAIL).');
    return 0;
  }
  if (method !== 'AUTHENTICATOR') return usage('mk needs EMAIL or AUTHENTICATOR');
  const enrollment = await mfa.beginEnrollment(user, { account: user });
  if (!enrollment.ok) return refuse(`cannot enable MFA: ${enrollment.reason}`);
  if (await yes('Do you have a phone to scan a QR Code to generate TOTP codes?')) {
    console.log('Please, scan the QR code with any authenticator App (DUO, Google Authenticator, Authy, etc) or password manager.');
    console.log(qrTerminal(enrollment.uri));
  }
  if (await yes('Do you like to display the security key?')) {
    console.log(`Use the following key if you are unable to scan the QR Code: ${enrollment.manualKey}`);
  }
  const confirmed = await mfa.confirmEnrollment(user, await ask('Enter the 6-digit Code to verify enrolment was successful:'));
  if (!confirmed.ok) return refuse(`enrolment not confirmed: ${confirmed.reason} (run \`mfa mk AUTHENTICATOR\` again)`);
  await saveRecoveryCodes(confirmed.recoveryCodes);
  console.log('MFA enabled (AUTHENTICATOR).');
  return 0;
}

async function get(): Promise<number> {
  const status = await mfa.getStatus(user);
  console.log(`user: ${user}\nstatus: ${status.status}\nmethod: ${status.method ?? '-'}\nrecovery codes left: ${status.remainingRecoveryCodes}`);
  return 0;
}

async function getToken(): Promise<number> {
  const sent = await mfa.sendChallenge(user, 'login');
  if (!sent.ok && sent.reason === 'rate_limited' && sent.retryAt !== undefined) {
    // One resend limit covers every purpose: right after `mk EMAIL` mailed its code, a login code waits.
    return refuse(`no code sent: rate_limited, try again in ${Math.ceil((sent.retryAt - Date.now()) / 1000)} s (the last code still works)`);
  }
  if (!sent.ok) return refuse(`no code sent: ${sent.reason}`);
  console.log(`message : Code sent to ${sent.sentTo}.`);
  return 0;
}

async function verify(code: string | undefined): Promise<number> {
  const result = await mfa.verifyLogin(user, code ?? (await ask('Enter the code:')));
  if (!result.ok) return refuse(`code rejected: ${result.reason}`);
  console.log(`message : Verified (${result.method}).`);
  return 0;
}

async function rm(): Promise<number> {
  const issued = await mfa.issueConfirmationToken(user, 'disable', { ttl: 15 * 60_000 });
  if (!issued.ok) return refuse(`MFA is not enabled: ${issued.reason}`);
  mail(email, 'Confirm disabling MFA', `Paste this token within 15 minutes to disable MFA:\n${issued.token}`);
  console.log('message : Confirmation email sent.\ntype    : info');
  const token = await ask('You should have received an email with a confirmation token. Please, paste the token to continue:');
  const result = await mfa.disable(user, { token });
  if (!result.ok) return refuse(`MFA not disabled: ${result.reason}`);
  console.log('message : TOTP has been disabled\ntype    : info');
  return 0;
}

async function recovery(): Promise<number> {
  const code = await ask('Enter a current code or a recovery code:');
  const result = await mfa.regenerateRecoveryCodes(user, { code });
  if (!result.ok) return refuse(`no new recovery codes: ${result.reason}`);
  await saveRecoveryCodes(result.recoveryCodes);
  return 0;
}

function refuse(message: string): number {
  console.error(`error   : ${message}`);
  return 1;
}
function usage(message: string): number {
  console.error(`${message}\nusage: mfa [--db FILE] [--user NAME] [--email ADDRESS] [--outbox FILE] mk AUTHENTICATOR|EMAIL | get | get-token | verify [CODE] | rm | recovery`);
  return 2;
}

const [command, arg] = positionals;
const commands: Record<string, () => Promise<number>> = {
  mk: () => mk(arg),
  get,
  'get-token': getToken,
  verify: () => verify(arg),
  rm,
  recovery,
};
const run = command === undefined ? undefined : commands[command];
process.exitCode = run === undefined ? usage(command === undefined ? 'no command' : `unknown command: ${command}`) : await run();
db.close();
process.stdin.destroy();
