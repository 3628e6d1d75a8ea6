// examples/rest-server, installed from the packed tarball and run on Node 22 (type stripping, node:sqlite),
// driven over real HTTP on 127.0.0.1 with codes from `oathtool`: the seed 002 (VSPC) REST flow, the
// seed 001 Management API behind Basic auth, and admin policy / identity deletion. PostgreSQL (started
// like the store tests do) and SQLite (node:sqlite, by env var) run the same login scenario.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { oathtoolCode, startChild, useExamples, type Child } from '../support/example-app.js';
import { postgresAvailability, startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { runtimeBinary } from '../support/runtime-binaries.js';
import { freePort, skipUnless } from '../support/services.js';

const examples = useExamples(['rest-server', 'web']);
const ADMIN = { uid: '955b0b80-03b2-49fd-bf38-14785ecff0a8', userName: 'alpha_admin', password: 'admin-pass', admin: true };
const ALICE = { uid: 'a11ce000-0000-4000-8000-000000000001', userName: 'alice', password: 'alice-pass' };
const CAROL = { uid: 'ca401000-0000-4000-8000-000000000002', userName: 'corp:carol', password: 'carol-pass' };

interface Server {
  readonly base: string;
  readonly child: Child;
}

async function startServer(env: NodeJS.ProcessEnv): Promise<Server> {
  const port = await freePort();
  const child = startChild(runtimeBinary('node22'), ['server.ts'], {
    cwd: examples.dir('rest-server'),
    env: { ...env, PORT: String(port), MFA_DEMO_USERS: JSON.stringify([ADMIN, ALICE, CAROL]) },
  });
  await child.waitFor(/listening on http:\/\/127\.0\.0\.1:\d+/);
  return { base: `http://127.0.0.1:${port}`, child };
}

interface Reply {
  status: number;
  body: any;
}

async function call(server: Server, method: string, path: string, options: { bearer?: string; basic?: string; json?: unknown } = {}): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
  if (options.basic !== undefined) headers.authorization = `Basic ${Buffer.from(options.basic).toString('base64')}`;
  const res = await fetch(server.base + path, options.json === undefined ? { method, headers } : { method, headers, body: JSON.stringify(options.json) });
  return { status: res.status, body: await res.json() };
}

const login = (server: Server, user: { userName: string; password: string }, code?: string) =>
  call(server, 'POST', '/authentication/token', { json: { userName: user.userName, password: user.password, code } });

/** Enrols a user through seed 002's two calls; returns the base32 secret and the recovery codes. */
async function enrol(server: Server, bearer: string, uid: string) {
  const issued = await call(server, 'POST', '/authentication/keys/totp-secret', { bearer });
  expect(issued.status).toBe(200);
  const { secret, secretUrl } = issued.body.data as { secret: string; secretUrl: string };
  const query = new URLSearchParams({ secretUrl, code: oathtoolCode(secret, Date.now()), description: 'MFA for test', scope: 'ui' });
  const confirmed = await call(server, 'POST', `/users/${uid}/logins/totp?${query}`, { bearer });
  expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
  return { secret, secretUrl, recoveryCodes: confirmed.body.data.recoveryCodes as string[] };
}

const stores: Array<[string, () => Promise<{ env: NodeJS.ProcessEnv; dispose: () => Promise<void> }>]> = [
  [
    'PostgreSQL',
    async () => {
      const pg: PostgresServer = await startPostgres();
      return { env: { DATABASE_URL: pg.url }, dispose: () => pg.dispose() };
    },
  ],
  [
    'SQLite (node:sqlite)',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mfakit-rest-sqlite-'));
      return { env: { SQLITE_FILE: join(dir, 'mfa.db') }, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  ],
];

const skipPostgres = skipUnless('examples/rest-server on PostgreSQL', postgresAvailability());

describe.each(stores)('examples/rest-server on %s', (name, makeStorage) => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it.skipIf(name === 'PostgreSQL' && skipPostgres)('seed 002 enrolment, login with code or recovery code, Management API, policy PATCH, identity DELETE', async () => {
    const storage = await makeStorage();
    cleanup.push(storage.dispose);
    let server = await startServer(storage.env);
    cleanup.push(() => server.child.stop());

    // Password login while MFA is off; then a Bearer API key (seed 002 authenticates with one).
    const first = await login(server, ADMIN);
    expect(first.body).toMatchObject({ mfa: 'none' });
    const key = await call(server, 'POST', '/authentication/keys', { bearer: first.body.access_token, json: { label: 'rest client' } });
    expect(key.body.data.key).toMatch(/^mfak_/);
    const apiKey = key.body.data.key as string;

    // Seed 002: totp-secret then logins/totp with the secretUrl and a code; a stale secretUrl is refused.
    const stale = await call(server, 'POST', '/authentication/keys/totp-secret', { bearer: apiKey });
    expect(stale.body.data.secretUrl).toMatch(/^otpauth:\/\/totp\/My%20Company%20Portal:alpha_admin\?secret=[A-Z2-7]+&issuer=My%20Company%20Portal$/);
    const { secret, recoveryCodes } = await (async () => {
      const fresh = await call(server, 'POST', '/authentication/keys/totp-secret', { bearer: apiKey });
      const code = oathtoolCode(fresh.body.data.secret, Date.now());
      const wrongUrl = await call(server, 'POST', `/users/${ADMIN.uid}/logins/totp?${new URLSearchParams({ secretUrl: stale.body.data.secretUrl, code })}`, { bearer: apiKey });
      expect(wrongUrl).toMatchObject({ status: 400, body: { error: 'secret_url_mismatch' } });
      const ok = await call(server, 'POST', `/users/${ADMIN.uid}/logins/totp?${new URLSearchParams({ secretUrl: fresh.body.data.secretUrl, code, description: 'MFA for Alpha Administrator', scope: 'ui' })}`, { bearer: apiKey });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.data).toMatchObject({ userUid: ADMIN.uid, identityProviderName: 'TOTP', status: 'enabled', description: 'MFA for Alpha Administrator' });
      return { secret: fresh.body.data.secret as string, recoveryCodes: ok.body.data.recoveryCodes as string[] };
    })();
    expect(recoveryCodes).toHaveLength(10);

    // Login: the password alone is not enough; the next step's code works once; a recovery code works once.
    expect(await login(server, ADMIN)).toMatchObject({ status: 401, body: { error: 'mfa_code_required' } });
    expect(await login(server, ADMIN, '000000')).toMatchObject({ status: 401, body: { error: 'mfa_code_invalid' } });
    const next = oathtoolCode(secret, Date.now() + 30_000);
    expect(await login(server, ADMIN, next)).toMatchObject({ status: 200, body: { mfa: 'totp' } });
    expect(await login(server, ADMIN, next)).toMatchObject({ status: 401, body: { error: 'mfa_code_invalid', reason: 'replayed' } });

    // The state is in the database: a restarted server knows the enrolment and the API key.
    await server.child.stop();
    server = await startServer(storage.env);
    expect(await login(server, ADMIN, recoveryCodes[0])).toMatchObject({ status: 200, body: { mfa: 'recovery' } });
    expect((await login(server, ADMIN, recoveryCodes[0])).status).toBe(401);
    const session = (await login(server, ADMIN, recoveryCodes[1])).body.access_token as string;

    // Seed 001 Management API: Basic auth; with MFA on only the API password is accepted.
    expect(await call(server, 'GET', '/management/v1/me', { basic: `${ADMIN.userName}:${ADMIN.password}` })).toMatchObject({ status: 401 });
    expect(await call(server, 'GET', '/management/v1/me', { basic: `${ADMIN.userName}:${apiKey}` })).toMatchObject({
      status: 200,
      body: { uid: ADMIN.uid, mfaStatus: 'active', authenticatedWith: 'api_password' },
    });
    expect(await call(server, 'GET', '/management/v1/me', { basic: `${ALICE.userName}:${ALICE.password}` })).toMatchObject({
      status: 200,
      body: { mfaStatus: 'disabled', authenticatedWith: 'password' },
    });
    expect((await call(server, 'GET', `/users/${ADMIN.uid}/mfa`, { bearer: apiKey.slice(0, -1) + (apiKey.endsWith('A') ? 'B' : 'A') })).status).toBe(401);

    // Seed 002 PATCH: an admin enables MFA for alice; her next login must enrol (and can do nothing else).
    const patch = (value: string, bearer = session) =>
      call(server, 'PATCH', `/users/${ALICE.uid}`, { bearer, json: [{ op: 'replace', path: 'mfaPolicyStatus', value }] });
    expect(await patch('enabled')).toMatchObject({ status: 200, body: { data: { mfaPolicyStatus: 'enabled', loginRequirement: 'enroll' } } });
    const alice = await login(server, ALICE);
    expect(alice.body).toMatchObject({ mfa: 'enroll', uid: ALICE.uid });
    expect(await call(server, 'GET', `/users/${ALICE.uid}/mfa`, { bearer: alice.body.access_token })).toMatchObject({ status: 403, body: { error: 'mfa_enrollment_required' } });
    expect(await patch('disabled', alice.body.access_token)).toMatchObject({ status: 403 });
    const aliceSecret = (await enrol(server, alice.body.access_token, ALICE.uid)).secret;
    expect((await call(server, 'GET', `/users/${ALICE.uid}/mfa`, { bearer: alice.body.access_token })).body.data.mfaStatus).toBe('active');
    expect((await login(server, ALICE, oathtoolCode(aliceSecret, Date.now() + 30_000))).status).toBe(200);

    // Identity DELETE: the admin clears alice's MFA (after lifting the policy); she logs in with the password again.
    expect(await patch('disabled')).toMatchObject({ body: { data: { mfaPolicyStatus: 'disabled' } } });
    expect(await call(server, 'DELETE', `/users/${ALICE.uid}/logins/totp`, { bearer: session })).toMatchObject({ status: 200 });
    expect((await login(server, ALICE)).body).toMatchObject({ mfa: 'none' });

    // A user name with a colon (seed 001 `DOMAIN:user`) enrols; the label shows `corp\carol`.
    const carol = await login(server, CAROL);
    const carolSecret = await call(server, 'POST', '/authentication/keys/totp-secret', { bearer: carol.body.access_token });
    expect(carolSecret.status).toBe(200);
    expect(carolSecret.body.data.secretUrl).toContain(':corp%5Ccarol?');
    // …and reaches the Management API with an API password despite the colon (split at the last one).
    const carolKey = (await call(server, 'POST', '/authentication/keys', { bearer: carol.body.access_token })).body.data.key as string;
    expect(await call(server, 'GET', '/management/v1/me', { basic: `${CAROL.userName}:${carolKey}` })).toMatchObject({
      status: 200,
      body: { uid: CAROL.uid, authenticatedWith: 'api_password' },
    });

    // Nothing secret reached the server log.
    const log = server.child.output();
    for (const leaked of [secret, apiKey, ...recoveryCodes]) expect(log).not.toContain(leaked);
  }, 90_000);
});
