// The HTTP routes, on plain node:http (no framework: the example shows what mfakit needs from a
// request, nothing else; each handler ports to Hono, Fastify or Express line for line).
//
//   POST   /authentication/token                 { userName, password, code? } → session token (UI login)
//   POST   /authentication/keys                  { label } → API key, shown once (Bearer session)
//   POST   /authentication/keys/totp-secret      → { data: { secret, secretUrl, manualKey, qrCode } }
//   POST   /users/{uid}/logins/totp              ?secretUrl=…&code=…&description=… → identity + recovery codes
//   GET    /users/{uid}/mfa                      → status
//   PATCH  /users/{uid}                          [{ op: 'replace', path: 'mfaPolicyStatus', value }] (admin)
//   DELETE /users/{uid}/logins/totp              (admin: reset; self: ?code=…)
//   GET    /management/v1/me                     Basic userName:apiPassword (seed 001 Management API)
//   GET    /, /enrol.js                          the enrolment page (../web)
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { parseBasicAuth, parseOtpauthUri, recoveryCodesToText, type ApiPasswordsMfa, type Mfa, type PoliciesMfa } from 'mfakit';
import { qrPngDataUrl } from 'mfakit/qr';
import type { User, UserDirectory } from './users.ts';

export interface AppDeps {
  /** createMfa({ …, features: [recoveryCodes(), policies(), apiPasswords()] }) */
  readonly mfa: Mfa & PoliciesMfa & ApiPasswordsMfa;
  readonly users: UserDirectory;
  readonly issuer: string;
  /** Directory of the enrolment page (index.html, enrol.js); null serves none. */
  readonly webDir: string | null;
}

interface Session {
  readonly uid: string;
  /** Password checked but MFA still to set up: only the enrolment endpoints are open. */
  readonly enrolmentOnly: boolean;
}

type Json = Record<string, unknown> | unknown[];
class HttpError extends Error {
  readonly status: number;
  readonly body: Json;
  constructor(status: number, body: Json) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && timingSafeEqual(a, b);
const fail = (status: number, error: string, extra: Record<string, unknown> = {}) => new HttpError(status, { error, ...extra });

/**
 * The account name shown in the authenticator. mfakit would accept `DOMAIN:user` (written `%3A`,
 * `labelAdjusted: true`), but an app that splits the label at its last `:` would show it wrongly;
 * user names like that are shown as `DOMAIN\\user` instead (the form seed 002's
 * `vspc%5cAdministrator` uses).
 */
export const accountLabel = (userName: string) => userName.replaceAll(':', '\\');

export function createApp(deps: AppDeps) {
  const { mfa, users } = deps;
  const sessions = new Map<string, Session>();

  async function body(req: IncomingMessage): Promise<Record<string, unknown> | unknown[]> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 64 * 1024) throw fail(413, 'too_large');
      chunks.push(chunk as Buffer);
    }
    if (size === 0) return {};
    try {
      const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (parsed !== null && typeof parsed === 'object') return parsed as Record<string, unknown>;
    } catch {}
    throw fail(400, 'invalid_json');
  }

  /** Bearer session token or Bearer API key → the caller. */
  async function caller(req: IncomingMessage, options: { enrolment?: boolean } = {}): Promise<User> {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match === null) throw fail(401, 'unauthorized');
    const presented = match[1]!;
    const session = sessions.get(presented);
    let uid: string | null;
    if (session !== undefined) {
      if (session.enrolmentOnly && options.enrolment !== true) throw fail(403, 'mfa_enrollment_required');
      uid = session.uid;
    } else {
      // A self-describing key (`mfak_<keyId>_…`) names its owner: no user id, no index of our own.
      const verified = await mfa.verifyApiKey(presented);
      uid = verified.ok ? verified.userId : null;
    }
    const user = uid === null ? null : users.byUid(uid);
    if (user === null) throw fail(401, 'unauthorized');
    return user;
  }

  function newSession(uid: string, enrolmentOnly: boolean): string {
    const token = randomBytes(32).toString('base64url');
    sessions.set(token, { uid, enrolmentOnly });
    return token;
  }

  const text = (value: unknown) => (typeof value === 'string' ? value : '');

  // UI login (seed 001: "enter username and password, then the code"; a recovery code works too).
  async function login(req: IncomingMessage) {
    const input = await body(req);
    if (Array.isArray(input)) throw fail(400, 'invalid_body');
    const user = users.byName(text(input.userName));
    if (user === null || !(await users.checkPassword(user, text(input.password)))) throw fail(401, 'invalid_credentials');
    const requirement = await mfa.loginRequirement(user.uid);
    if (requirement === 'none') return { access_token: newSession(user.uid, false), mfa: 'none', uid: user.uid };
    if (requirement === 'enroll' || requirement === 'confirm') {
      return { access_token: newSession(user.uid, true), mfa: requirement, uid: user.uid };
    }
    const code = text(input.code);
    if (code === '') throw fail(401, 'mfa_code_required');
    const result = await mfa.verifyLogin(user.uid, code, { client: req.socket.remoteAddress ?? 'unknown' });
    if (!result.ok) throw fail(401, 'mfa_code_invalid', { reason: result.reason });
    return { access_token: newSession(user.uid, false), mfa: result.method, uid: user.uid };
  }

  // Seed 002 step 1: a new secret (status pending), its URL, and for the page a QR and a typed key.
  async function totpSecret(req: IncomingMessage) {
    const user = await caller(req, { enrolment: true });
    const enrollment = await mfa.beginEnrollment(user.uid, { account: accountLabel(user.userName) });
    if (!enrollment.ok) throw fail(409, enrollment.reason);
    const secret = enrollment.manualKey.replaceAll(' ', '');
    return {
      data: { secret, secretUrl: enrollment.uri, manualKey: enrollment.manualKey, qrCode: qrPngDataUrl(enrollment.uri) },
    };
  }

  // Seed 002 step 2: confirm with the secretUrl from step 1 and a current code.
  async function confirmTotp(req: IncomingMessage, uid: string, query: URLSearchParams) {
    const user = await caller(req, { enrolment: true });
    if (user.uid !== uid) throw fail(403, 'forbidden');
    const input = await body(req);
    const field = (name: string) => query.get(name) ?? (Array.isArray(input) ? '' : text(input[name]));
    const pending = await mfa.pendingEnrollment(uid);
    if (pending === null) throw fail(409, 'not_pending');
    // The secretUrl must be the pending one: mfakit's confirmEnrollment does not look at it, so
    // the app compares the secrets (a stale URL from an earlier attempt is refused).
    const sent = parseOtpauthUri(field('secretUrl'));
    const expected = parseOtpauthUri(pending.uri);
    if (!sent.ok || !expected.ok || !sameBytes(sent.value.secret, expected.value.secret)) throw fail(400, 'secret_url_mismatch');
    const confirmed = await mfa.confirmEnrollment(uid, field('code'));
    if (!confirmed.ok) throw fail(400, 'mfa_code_invalid', { reason: confirmed.reason });
    // Confirmed: the enrolment-only sessions of this user become full sessions.
    for (const [token, session] of sessions) if (session.uid === uid) sessions.set(token, { uid, enrolmentOnly: false });
    const status = await mfa.getStatus(uid);
    return {
      data: {
        id: 1,
        userUid: uid,
        userName: user.userName,
        identityProviderName: 'TOTP',
        description: field('description'),
        scopes: [],
        status: 'enabled',
        creationDate: new Date(status.activatedAt ?? Date.now()).toISOString(),
        recoveryCodes: confirmed.recoveryCodes,
        recoveryCodesText: recoveryCodesToText(confirmed.recoveryCodes, { issuer: deps.issuer, account: user.userName }),
      },
    };
  }

  async function status(req: IncomingMessage, uid: string) {
    const user = await caller(req);
    if (user.uid !== uid && !user.admin) throw fail(403, 'forbidden');
    const view = await mfa.getStatus(uid);
    return { data: { uid, mfaStatus: view.status, mfaPolicyStatus: view.required ? 'enabled' : 'disabled', loginRequirement: view.loginRequirement, remainingRecoveryCodes: view.remainingRecoveryCodes } };
  }

  // Seed 002 "Enabling MFA for other users": a JSON Patch on the user.
  async function patchUser(req: IncomingMessage, uid: string) {
    const admin = await caller(req);
    if (!admin.admin) throw fail(403, 'forbidden');
    if (users.byUid(uid) === null) throw fail(404, 'not_found');
    const ops = await body(req);
    if (!Array.isArray(ops)) throw fail(400, 'invalid_patch');
    for (const op of ops as Array<Record<string, unknown>>) {
      if (op?.op !== 'replace' || op.path !== 'mfaPolicyStatus' || (op.value !== 'enabled' && op.value !== 'disabled')) {
        throw fail(400, 'invalid_patch');
      }
      await mfa.setPolicy({ userId: uid }, op.value === 'enabled' ? { required: true } : null, { actor: admin.uid });
    }
    // setPolicy answers nothing: read the resulting status for the response.
    return status(req, uid);
  }

  // Seed 002 "Delete User Identity": an admin clears a user's MFA; a user removes their own with a code.
  async function deleteIdentity(req: IncomingMessage, uid: string, query: URLSearchParams) {
    const user = await caller(req);
    if (user.admin && user.uid !== uid) {
      const reset = await mfa.adminReset(uid, { actor: user.uid }); // also revokes the user's API keys
      return { data: { uid, status: 'deleted', previous: reset.previous } };
    }
    if (user.uid !== uid) throw fail(403, 'forbidden');
    const disabled = await mfa.disable(uid, { code: query.get('code') ?? '', passwordVerified: true });
    if (!disabled.ok) throw fail(disabled.reason === 'policy' ? 409 : 400, 'disable_refused', { reason: disabled.reason });
    return { data: { uid, status: 'deleted' } };
  }

  async function createKey(req: IncomingMessage) {
    const user = await caller(req);
    const input = await body(req);
    const label = Array.isArray(input) ? '' : text(input.label);
    const issued = await mfa.issueApiPassword(user.uid, { label: label === '' ? 'api key' : label });
    if (!issued.ok) throw fail(409, issued.reason);
    return { data: { id: issued.id, key: issued.password } }; // shown once
  }

  // Seed 001 Management API: Basic auth; with MFA on, only the API password is accepted.
  // Split at the last colon: API passwords never hold one, so `DOMAIN:user` names can log in with
  // theirs (seed 001's warning). The trade-off: an account password with a colon cannot be used here.
  async function managementMe(req: IncomingMessage) {
    const auth = parseBasicAuth(req.headers.authorization, { split: 'last' });
    if (!auth.ok) throw fail(401, 'unauthorized');
    const user = users.byName(auth.userId);
    if (user === null) throw fail(401, 'unauthorized');
    const byApiPassword = (await mfa.verifyApiPassword(user.uid, auth.password)).ok;
    const byAccountPassword = !byApiPassword && (await mfa.passwordAuthAllowed(user.uid, 'api')) && (await users.checkPassword(user, auth.password));
    if (!byApiPassword && !byAccountPassword) throw fail(401, 'unauthorized');
    const view = await mfa.getStatus(user.uid);
    return { userName: user.userName, uid: user.uid, mfaStatus: view.status, authenticatedWith: byApiPassword ? 'api_password' : 'password' };
  }

  async function page(file: string, type: string, res: ServerResponse) {
    if (deps.webDir === null) throw fail(404, 'not_found');
    const content = await readFile(join(deps.webDir, file));
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(content);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<Json | null> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/') return page('index.html', 'text/html; charset=utf-8', res).then(() => null);
    if (method === 'GET' && path === '/enrol.js') return page('enrol.js', 'text/javascript; charset=utf-8', res).then(() => null);
    if (method === 'POST' && path === '/authentication/token') return login(req);
    if (method === 'POST' && path === '/authentication/keys') return createKey(req);
    if (method === 'POST' && path === '/authentication/keys/totp-secret') return totpSecret(req);
    if (method === 'GET' && path === '/management/v1/me') return managementMe(req);
    if ((m = /^\/users\/([^/]+)\/logins\/totp$/.exec(path))) {
      const uid = decodeURIComponent(m[1]!);
      if (method === 'POST') return confirmTotp(req, uid, url.searchParams);
      if (method === 'DELETE') return deleteIdentity(req, uid, url.searchParams);
    }
    if ((m = /^\/users\/([^/]+)\/mfa$/.exec(path)) && method === 'GET') return status(req, decodeURIComponent(m[1]!));
    if ((m = /^\/users\/([^/]+)$/.exec(path)) && method === 'PATCH') return patchUser(req, decodeURIComponent(m[1]!));
    throw fail(404, 'not_found');
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const result = await route(req, res);
      if (result !== null) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    } catch (err) {
      if (err instanceof HttpError) {
        res.writeHead(err.status, { 'content-type': 'application/json' }).end(JSON.stringify(err.body));
        return;
      }
      // MfaError messages never hold a secret or code, but log only the code anyway.
      console.error('request failed:', (err as { code?: string }).code ?? (err as Error).name);
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'internal' }));
    }
  };
}
