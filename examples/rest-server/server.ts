// Starts the example: `DATABASE_URL=postgres://… node server.ts` or `SQLITE_FILE=mfa.db node server.ts`.
// Users come from MFA_DEMO_USERS (JSON: [{ "userName", "password", "admin"? , "uid"? }]).
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { apiPasswords, clientThrottle, createMfa, policies, recoveryCodes } from 'mfakit';
import { createApp } from './app.ts';
import { openStorage } from './storage.ts';
import { userDirectory, type UserSeed } from './users.ts';

const env = process.env;
const storage = await openStorage(env);
const issuer = env.MFA_ISSUER ?? 'My Company Portal';
const mfa = createMfa({
  store: storage.store,
  issuer,
  features: [recoveryCodes(), policies(), apiPasswords({ maxPerUser: 5 }), clientThrottle()], // mfaPolicyStatus; Bearer keys and Management API passwords, labelled
  onEvent: (event) => console.log('mfa event', event.type), // events carry no secret
});
const seeds: UserSeed[] = JSON.parse(env.MFA_DEMO_USERS ?? '[{"userName":"admin","password":"admin-password","admin":true}]');
const webDir = fileURLToPath(new URL('../web/', import.meta.url));
const handle = createApp({ mfa, users: userDirectory(seeds), issuer, webDir });

const server = createServer((req, res) => void handle(req, res));
server.listen(Number(env.PORT ?? 8080), env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : env.PORT;
  console.log(`listening on http://${env.HOST ?? '127.0.0.1'}:${port} (${storage.kind})`);
});
const stop = () => server.close(() => void storage.close().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
