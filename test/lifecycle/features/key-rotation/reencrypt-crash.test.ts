// reencryptAll killed midway, twice: a child process rotates the master key of a SQLite file while
// this process logs users in; the child is SIGKILLed mid-run. After each kill every secret opens
// with the cipher holding the old and the new key, and no concurrent login was lost; a second run
// finishes the job. Then the next rotation (k2 → k3, k1 dropped) the same way, until the newest key
// alone opens every secret.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { aesGcmCipher, type AesGcmCipher } from '../../../../src/aes-gcm-cipher.js';
import { createMfa } from '../../../../src/lifecycle/service.js';
import { recoveryCodes } from '../../../../src/lifecycle/features/recovery-codes/index.js';
import { encryptedSecrets } from '../../../../src/lifecycle/features/encrypted-secrets/index.js';
import type { ReencryptProgress } from '../../../../src/lifecycle/features/key-rotation/reencrypt.js';
import { sqliteStore } from '../../../../src/stores/sqlite.js';
import { FakeClock } from '../../../../src/testing/fake-clock.js';
import { totp } from '../../../../src/totp.js';

const CHILD = fileURLToPath(new URL('./rotate-child.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mfakit-rotate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const USERS = 150;
const key = (): Uint8Array => crypto.getRandomValues(new Uint8Array(32));
const keys = { k1: key(), k2: key(), k3: key() };
type KeyId = keyof typeof keys;
const cipherOf = (ids: KeyId[], current: KeyId): AesGcmCipher =>
  aesGcmCipher({ keys: Object.fromEntries(ids.map((id) => [id, keys[id]])), current });

/** Runs the child; with `killAfter`, SIGKILLs it a few ms after that many progress lines. */
function rotate(ids: KeyId[], current: KeyId, killAfter?: number): Promise<{ progress: ReencryptProgress[]; signal: NodeJS.Signals | null; code: number | null; stderr: string }> {
  const env = {
    ...process.env,
    DB: file,
    KEYS: JSON.stringify(Object.fromEntries(ids.map((id) => [id, Buffer.from(keys[id]).toString('base64')]))),
    CURRENT: current,
    BATCH: '10',
    PAUSE: killAfter === undefined ? '0' : '25',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const progress: ReencryptProgress[] = [];
  let buffer = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      progress.push(JSON.parse(buffer.slice(0, nl)) as ReencryptProgress);
      buffer = buffer.slice(nl + 1);
      if (killAfter !== undefined && progress.length === killAfter) setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 20));
    }
  });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ progress, signal, code, stderr })));
}

const file = join(dir, 'mfa.db');
const db = new Database(file, { timeout: 10_000 });
db.pragma('journal_mode = WAL');
const store = sqliteStore({ client: db, migrate: true });
const clock = new FakeClock(Date.UTC(2026, 11, 2, 3, 0, 10));
const secrets = new Map<string, Uint8Array>();
const users = Array.from({ length: USERS }, (_, i) => `user-${String(i).padStart(3, '0')}`);

/** Key id of each user's stored secret, after checking it opens with `cipher` to the enrolled secret. */
async function keyIdsOpenedBy(cipher: AesGcmCipher): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const u of users) {
    const sealed = ((await store.get(u)) as unknown as { method: { secret: string } }).method.secret;
    expect(await cipher.decrypt(sealed, { userId: u, purpose: 'totp-secret' })).toEqual(secrets.get(u));
    const id = cipher.keyIdOf(sealed)!;
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

/** Logs users in (the app already runs with `cipher`) while `during` runs; the steps of the logins. */
async function loginsDuring<T>(cipher: AesGcmCipher, during: Promise<T>): Promise<{ result: T; logged: Map<string, number> }> {
  clock.advance(30_000);
  const mfa = createMfa({ store, issuer: 'Acme', clock, features: [encryptedSecrets(cipher), recoveryCodes({ count: 4 })] });
  const logged = new Map<string, number>();
  let finished = false;
  const result = during.finally(() => (finished = true));
  // Every third user: a login re-seals its record too, and the others must be left for the run.
  for (const u of users.filter((_, i) => i % 3 === 0)) {
    if (finished) break;
    const outcome = await mfa.verifyLogin(u, totp(secrets.get(u)!, { time: clock.now() }));
    expect(outcome.ok).toBe(true);
    logged.set(u, Math.floor(clock.now() / 30_000));
    await new Promise((r) => setTimeout(r, 3));
  }
  return { result: await result, logged };
}

async function expectLoginsKept(logged: Map<string, number>): Promise<void> {
  for (const [u, step] of logged) {
    expect(((await store.get(u)) as unknown as { method: { lastStep: number } }).method.lastStep).toBe(step);
  }
}

describe('reencryptAll: crash midway, twice', () => {
  it('enrols users under k1', async () => {
    const mfa = createMfa({ store, issuer: 'Acme', clock, features: [encryptedSecrets(cipherOf(['k1'], 'k1')), recoveryCodes({ count: 4 })] });
    for (const u of users) {
      const begun = await mfa.beginEnrollment(u, { account: `${u}@example.com` });
      if (!begun.ok) throw new Error('enrolment failed');
      secrets.set(u, begun.secret);
      expect((await mfa.confirmEnrollment(u, totp(begun.secret, { time: clock.now() }))).ok).toBe(true);
    }
    expect(await keyIdsOpenedBy(cipherOf(['k1'], 'k1'))).toEqual({ k1: USERS });
  });

  for (const [from, to, held] of [
    ['k1', 'k2', ['k1', 'k2']],
    ['k2', 'k3', ['k2', 'k3']],
  ] as [KeyId, KeyId, KeyId[]][]) {
    it(`${from} → ${to}: killed mid-run while users log in; every secret still opens and no login is lost`, async () => {
      const cipher = cipherOf(held, to);
      const { result: run, logged } = await loginsDuring(cipher, rotate(held, to, 3));
      expect(run.signal).toBe('SIGKILL');
      expect(run.progress.at(-1)!.done).toBe(false);
      expect(logged.size).toBeGreaterThan(0);
      const counts = await keyIdsOpenedBy(cipher);
      expect(counts[to]).toBeGreaterThan(0);
      expect(counts[from]).toBeGreaterThan(0); // it really stopped midway
      await expectLoginsKept(logged);
    });

    it(`${from} → ${to}: the next run finishes; only ${to} is left`, async () => {
      const cipher = cipherOf(held, to);
      const { result: run, logged } = await loginsDuring(cipher, rotate(held, to));
      expect(run.code, run.stderr).toBe(0);
      const last = run.progress.at(-1)!;
      expect(last).toMatchObject({ done: true, scanned: USERS, failed: 0, remainingOnOldKeys: 0 });
      // Recovery codes were hashed with a pepper of k1 at enrolment: reported, not re-keyable.
      expect(last.recoveryCodesOnOldKeys).toBe(USERS);
      expect(await keyIdsOpenedBy(cipher)).toEqual({ [to]: USERS });
      await expectLoginsKept(logged);
    });
  }

  it('k3 alone opens every secret: every user logs in with the newest key only', async () => {
    clock.advance(30_000);
    const mfa = createMfa({ store, issuer: 'Acme', clock, features: [encryptedSecrets(cipherOf(['k3'], 'k3')), recoveryCodes({ count: 4 })] });
    for (const u of users) expect((await mfa.verifyLogin(u, totp(secrets.get(u)!, { time: clock.now() }))).ok).toBe(true);
    db.close();
  });
});
