// Soak of the REST example (examples/rest-server) on PostgreSQL: the server runs as a child process
// from the repository sources (tsx, examples/tsconfig.json maps `mfakit` to src/), a load driver
// on loopback sends mixed traffic for a bounded time, then every record is read straight from the
// table and checked. Used by `npm run soak` (scripts/soak.ts, 60 s) and test/examples/soak.test.ts
// (10 s).
//
// Traffic, each virtual user taking a random idle account: enrol (password login → totp-secret →
// confirm), TOTP login, the same code sent twice at once, a replay of the last accepted code, a
// recovery-code login, a wrong code, a status read, and a reset (DELETE …/logins/totp?code=, after
// which the account enrols again). Each account talks from its own 127.0.0.x address, as users do
// from their own machines, so the per-client throttle applies per account.
//
// Unexpected: a 5xx or network error, and any answer that breaks a guarantee (a code or step
// accepted twice, a replay or wrong code accepted). Expected refusals (replayed, locked, a reset
// refused because this step's code was spent) are counted by kind.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import pg from 'pg';
import { totp } from '../../src/index.js';
import { parseRecord } from '../../src/lifecycle/public.js';
import { decodeBase32 } from '../../src/base32.js';
import { startPostgres } from './postgres-server.js';
import { freePort } from './services.js';

export interface SoakOptions {
  readonly seconds: number;
  readonly accounts: number;
  readonly concurrency: number;
  readonly log?: (line: string) => void;
}

export interface SoakReport {
  readonly seconds: number;
  readonly requests: number;
  readonly throughput: number;
  readonly latencyMs: { p50: number; p90: number; p99: number; max: number };
  readonly byKind: Record<string, { count: number; p50: number; p99: number }>;
  readonly outcomes: Record<string, number>;
  readonly unexpected: string[];
  readonly records: number;
  readonly invalidRecords: number;
  readonly acceptedSteps: number;
  readonly acceptedRecoveryCodes: number;
}

interface Account {
  readonly uid: string;
  readonly name: string;
  readonly password: string;
  readonly address: string;
  busy: boolean;
  secret: Uint8Array | null;
  token: string | null;
  recovery: string[];
  lastAccepted: string | null;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => {});
  const postgres = await startPostgres();
  const port = await freePort();
  const accounts: Account[] = Array.from({ length: options.accounts }, (_, i) => ({
    uid: `u${i}`,
    name: `user${i}`,
    password: `password-${i}`,
    address: `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`,
    busy: false,
    secret: null,
    token: null,
    recovery: [],
    lastAccepted: null,
  }));
  const seeds = accounts.map((a) => ({ userName: a.name, password: a.password, uid: a.uid }));
  let server: ChildProcess | undefined;
  const latencies: Record<string, number[]> = {};
  const outcomes: Record<string, number> = {};
  const unexpected: string[] = [];
  const acceptedSteps = new Set<string>();
  const acceptedRecovery = new Set<string>();
  const count = (what: string): void => void (outcomes[what] = (outcomes[what] ?? 0) + 1);
  const wrong = (what: string): void => {
    if (unexpected.length < 50) unexpected.push(what);
    count('UNEXPECTED');
  };
  try {
    server = spawn(process.execPath, ['--import', 'tsx', 'examples/rest-server/server.ts'], {
      env: {
        ...process.env,
        TSX_TSCONFIG_PATH: 'examples/tsconfig.json',
        DATABASE_URL: postgres.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        MFA_DEMO_USERS: JSON.stringify(seeds),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let serverErrors = 0;
    const onOutput = (chunk: Buffer): void => {
      const text = chunk.toString();
      if (output.length < 20_000) output += text;
      serverErrors += (text.match(/request failed/g) ?? []).length;
    };
    server.stdout!.on('data', onOutput);
    server.stderr!.on('data', onOutput);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 300_000); // seeding hashes every password (scrypt)
      const check = (): void => {
        if (output.includes('listening on')) {
          clearTimeout(timer);
          resolve();
        }
      };
      server!.stdout!.on('data', check);
      server!.on('exit', (code) => reject(new Error(`server exited ${code}:\n${output}`)));
    });
    log(`REST example on 127.0.0.1:${port}, PostgreSQL ${postgres.url}; ${options.accounts} accounts, ${options.concurrency} concurrent, ${options.seconds} s`);

    const agent = undefined;
    const call = (kind: string, account: Account, method: string, path: string, payload?: unknown, token?: string | null): Promise<Answer> =>
      new Promise((resolve, reject) => {
        const data = payload === undefined ? undefined : JSON.stringify(payload);
        const started = performance.now();
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method,
            path,
            agent,
            localAddress: account.address,
            headers: {
              ...(data === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }),
              ...(token ? { authorization: `Bearer ${token}` } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              (latencies[kind] ??= []).push(performance.now() - started);
              let body: Record<string, unknown> = {};
              try {
                body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
              } catch {
                // not JSON: left empty, the status says enough
              }
              if ((res.statusCode ?? 0) >= 500) wrong(`${kind}: HTTP ${res.statusCode}`);
              resolve({ status: res.statusCode ?? 0, body });
            });
          },
        );
        req.on('error', (err) => {
          wrong(`${kind}: ${err.message}`);
          reject(err);
        });
        req.end(data);
      });

    const stepNow = (): number => Math.floor(Date.now() / 30_000);
    const codeOf = (a: Account, step = stepNow()): string => totp(a.secret!, { time: step * 30_000 });
    const login = (kind: string, a: Account, code?: string) =>
      call(kind, a, 'POST', '/authentication/token', { userName: a.name, password: a.password, ...(code === undefined ? {} : { code }) });

    /** A TOTP login answer: an accepted (account, step) must be new. */
    const totpAnswer = (kind: string, a: Account, code: string, step: number, r: Answer): void => {
      if (r.status === 200) {
        const key = `${a.uid}:${step}`;
        if (acceptedSteps.has(key)) wrong(`${kind}: step ${key} accepted twice`);
        acceptedSteps.add(key);
        a.lastAccepted = code;
        a.token = r.body.access_token as string;
        count(`${kind}: ok`);
      } else count(`${kind}: ${String((r.body.reason as string | undefined) ?? r.body.error)}`);
    };

    async function enrol(a: Account): Promise<void> {
      const first = await login('enrol', a);
      // 'none': MFA optional and off (a full session); 'enroll': required, an enrolment-only session.
      if (first.status !== 200 || (first.body.mfa !== 'none' && first.body.mfa !== 'enroll')) {
        count(`enrol: login ${first.status} ${String(first.body.mfa ?? first.body.error)}`);
        return;
      }
      const token = first.body.access_token as string;
      const begun = await call('enrol', a, 'POST', '/authentication/keys/totp-secret', {}, token);
      if (begun.status !== 200) return void count(`enrol: secret ${begun.status}`);
      const data = begun.body.data as { secret: string; secretUrl: string };
      const secret = decodeBase32(data.secret);
      const step = stepNow();
      const code = totp(secret, { time: step * 30_000 });
      const confirmed = await call('enrol', a, 'POST', `/users/${a.uid}/logins/totp`, { secretUrl: data.secretUrl, code, description: 'soak' }, token);
      if (confirmed.status !== 200) return void count(`enrol: confirm ${confirmed.status} ${String(confirmed.body.reason ?? confirmed.body.error)}`);
      acceptedSteps.add(`${a.uid}:${step}`);
      a.secret = secret;
      a.token = token;
      a.lastAccepted = code;
      a.recovery = [...((confirmed.body.data as { recoveryCodes: string[] }).recoveryCodes)];
      count('enrol: ok');
    }

    async function act(a: Account): Promise<void> {
      if (a.secret === null) return enrol(a);
      const r = Math.random();
      if (r < 0.45) {
        const step = stepNow();
        const code = codeOf(a, step);
        totpAnswer('verify', a, code, step, await login('verify', a, code));
      } else if (r < 0.6) {
        // The same code twice at once: at most one may pass.
        const step = stepNow();
        const code = codeOf(a, step);
        const answers = await Promise.all([login('double', a, code), login('double', a, code)]);
        if (answers.filter((x) => x.status === 200).length > 1) wrong(`double: ${a.uid}:${step} accepted twice at once`);
        for (const x of answers) totpAnswer('double', a, code, step, x);
      } else if (r < 0.72) {
        if (a.lastAccepted === null) return;
        const x = await login('replay', a, a.lastAccepted);
        if (x.status === 200) wrong(`replay: ${a.uid} accepted a spent code`);
        count(`replay: ${String(x.body.reason ?? x.body.error)}`);
      } else if (r < 0.82) {
        const code = a.recovery.shift();
        if (code === undefined) return;
        const x = await login('recovery', a, code);
        if (x.status === 200) {
          if (acceptedRecovery.has(code)) wrong(`recovery: ${a.uid} code accepted twice`);
          acceptedRecovery.add(code);
          count('recovery: ok');
          const again = await login('recovery', a, code);
          if (again.status === 200) wrong(`recovery: ${a.uid} spent code accepted again`);
          count(`recovery again: ${String(again.body.reason ?? again.body.error)}`);
        } else count(`recovery: ${String(x.body.reason ?? x.body.error)}`);
      } else if (r < 0.9) {
        const valid = new Set([-1, 0, 1].map((d) => codeOf(a, stepNow() + d)));
        let code = '000000';
        for (let i = 0; valid.has(code); i++) code = String(i).padStart(6, '0');
        const x = await login('wrong', a, code);
        if (x.status === 200) wrong(`wrong: ${a.uid} accepted a wrong code`);
        count(`wrong: ${String(x.body.reason ?? x.body.error)}`);
      } else if (r < 0.96) {
        if (a.token === null) return;
        const x = await call('status', a, 'GET', `/users/${a.uid}/mfa`, undefined, a.token);
        count(`status: ${x.status}`);
      } else {
        if (a.token === null) return;
        const step = stepNow();
        const code = codeOf(a, step);
        const x = await call('reset', a, 'DELETE', `/users/${a.uid}/logins/totp?code=${code}`, undefined, a.token);
        if (x.status === 200) {
          const key = `${a.uid}:${step}`;
          if (acceptedSteps.has(key)) wrong(`reset: step ${key} accepted twice`);
          acceptedSteps.add(key);
          a.secret = null;
          a.recovery = [];
          a.lastAccepted = null;
          a.token = null;
          count('reset: ok');
        } else count(`reset: ${String((x.body.reason as string | undefined) ?? x.body.error)}`);
      }
    }

    const started = performance.now();
    const deadline = started + options.seconds * 1000;
    const worker = async (): Promise<void> => {
      while (performance.now() < deadline) {
        const idle = accounts.filter((a) => !a.busy);
        const a = idle[Math.floor(Math.random() * idle.length)];
        if (a === undefined) {
          await new Promise((r) => setTimeout(r, 1));
          continue;
        }
        a.busy = true;
        try {
          await act(a);
        } catch {
          // counted as unexpected where it happened
        } finally {
          a.busy = false;
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    const elapsed = (performance.now() - started) / 1000;
    if (serverErrors > 0) wrong(`server logged ${serverErrors} failed requests`);

    // Consistency: every record parses; every accepted step is at or below the stored lastStep.
    const pool = new pg.Pool({ connectionString: postgres.url, max: 2 });
    const { rows } = await pool.query('SELECT id, record FROM mfa_records');
    await pool.end();
    let invalid = 0;
    const lastStep = new Map<string, number>();
    for (const row of rows as { id: string; record: unknown }[]) {
      try {
        const record = parseRecord(row.record, row.id);
        if (record.method?.type === 'totp') lastStep.set(row.id, record.method.lastStep ?? -1);
      } catch {
        invalid++;
      }
    }
    if (invalid > 0) wrong(`${invalid} records do not parse`);
    for (const a of accounts) {
      if (a.secret === null) continue;
      const stored = lastStep.get(a.uid);
      for (const key of acceptedSteps) {
        const [uid, step] = key.split(':');
        if (uid === a.uid && stored !== undefined && Number(step) > stored) wrong(`accepted step ${key} is above the stored lastStep ${stored}`);
      }
    }
    const all = Object.values(latencies).flat().sort((x, y) => x - y);
    const byKind: SoakReport['byKind'] = {};
    for (const [kind, list] of Object.entries(latencies)) {
      list.sort((x, y) => x - y);
      byKind[kind] = { count: list.length, p50: percentile(list, 50), p99: percentile(list, 99) };
    }
    return {
      seconds: elapsed,
      requests: all.length,
      throughput: all.length / elapsed,
      latencyMs: { p50: percentile(all, 50), p90: percentile(all, 90), p99: percentile(all, 99), max: all.at(-1) ?? 0 },
      byKind,
      outcomes,
      unexpected,
      records: rows.length,
      invalidRecords: invalid,
      acceptedSteps: acceptedSteps.size,
      acceptedRecoveryCodes: acceptedRecovery.size,
    };
  } finally {
    server?.kill('SIGTERM');
    await postgres.dispose();
  }
}
