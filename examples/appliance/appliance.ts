// A firmware-style MFA service for an appliance's local web UI:
//
//   node appliance.ts serve               HTTP on 127.0.0.1:$PORT (the UI's backend)
//   node appliance.ts admin-reset USER    on the device console: clears USER's MFA (lost phone)
//
// Environment: MFA_DB (default appliance.db), MFA_KEY_FILE (default mfa.key), PORT (default 8443).
// The UI's password login (first factor) sits in front of these routes; `user` stands for its session.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createMfa, encryptedSecrets, recoveryCodes } from 'mfakit';
import { sqliteStore } from 'mfakit/sqlite';
import { cipherFromKeyFile, openDatabase } from './device.ts';

const env = process.env;
const db = await openDatabase(env.MFA_DB ?? 'appliance.db');
const store = sqliteStore({ client: db });
await store.migrate(); // CREATE TABLE IF NOT EXISTS: first boot and firmware updates alike
const mfa = createMfa({
  store,
  issuer: env.MFA_ISSUER ?? 'Appliance',
  features: [
    encryptedSecrets(cipherFromKeyFile(env.MFA_KEY_FILE ?? 'mfa.key')), // secrets never reach the database in clear
    recoveryCodes(), // shown once at confirmation; admin-reset below is the last resort
  ],
});

const [command, arg] = process.argv.slice(2);

if (command === 'admin-reset') {
  // Physical access is the proof here: whoever runs this on the console may clear a user's MFA.
  if (arg === undefined) {
    console.error('usage: appliance admin-reset USER');
    process.exit(2);
  }
  const reset = await mfa.adminReset(arg, { actor: 'local-console' });
  console.log(reset.previous === 'disabled' ? `MFA was not enabled for ${arg}.` : `MFA cleared for ${arg}; they enrol again at next login.`);
  db.close();
  process.exit(0);
} else if (command !== 'serve') {
  console.error('usage: appliance serve | admin-reset USER');
  process.exit(2);
}

async function json(req: IncomingMessage): Promise<Record<string, string>> {
  let text = '';
  for await (const chunk of req) text += chunk;
  try {
    const value: unknown = JSON.parse(text || '{}');
    return value !== null && typeof value === 'object' ? (value as Record<string, string>) : {};
  } catch {
    return {};
  }
}

async function route(req: IncomingMessage): Promise<[number, unknown]> {
  const url = new URL(req.url ?? '/', 'http://device');
  if (req.method === 'GET' && url.pathname === '/mfa/status') {
    const status = await mfa.getStatus(url.searchParams.get('user') ?? '');
    return [200, { status: status.status, loginRequirement: status.loginRequirement }];
  }
  if (req.method !== 'POST') return [404, { error: 'not_found' }];
  const body = await json(req);
  const user = String(body.user ?? '');
  switch (url.pathname) {
    case '/mfa/enrol': {
      const enrollment = await mfa.beginEnrollment(user, { account: user });
      return enrollment.ok ? [200, { uri: enrollment.uri, manualKey: enrollment.manualKey }] : [409, { error: enrollment.reason }];
    }
    case '/mfa/confirm': {
      const confirmed = await mfa.confirmEnrollment(user, String(body.code ?? ''));
      return confirmed.ok ? [200, { recoveryCodes: confirmed.recoveryCodes }] : [400, { error: confirmed.reason }];
    }
    case '/mfa/login': {
      const result = await mfa.verifyLogin(user, String(body.code ?? ''));
      return result.ok ? [200, { method: result.method }] : [401, { error: result.reason }];
    }
  }
  return [404, { error: 'not_found' }];
}

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  route(req).then(
    ([status, body]) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
    (err: { code?: string; name?: string }) => {
      console.error('request failed:', err.code ?? err.name); // an MfaError code; never a secret
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal"}');
    },
  );
});
server.listen(Number(env.PORT ?? 8443), '127.0.0.1', () => console.log(`appliance listening on 127.0.0.1:${env.PORT ?? 8443}`));
const stop = () => server.close(() => {
  db.close();
  process.exit(0);
});
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
