// Several OS processes compare-and-set on one SQLite file through their own connections, with plain
// MfaStore calls (no lifecycle): the primitive itself across processes. Timeouts are generous because
// spawning `node --import tsx` children is slow on a busy 2-core machine.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteStore } from '../../src/stores/sqlite.js';

const worker = fileURLToPath(new URL('./sqlite-cas-worker.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mfakit-sqlite-mp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Outcome {
  worker: number;
  won: number[];
  conflicts: number;
}

/** Starts `processes` workers, releases them at once, and collects their outcomes. */
async function race(file: string, mode: 'counter' | 'insert', processes: number, count: number): Promise<Outcome[]> {
  const children = Array.from({ length: processes }, (_, i) =>
    spawn(process.execPath, ['--import', 'tsx', worker, file, mode, String(i), String(count)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const outputs = children.map((child) => {
    let out = '';
    let onReady: () => void;
    const ready = new Promise<void>((resolve) => (onReady = resolve));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (out.startsWith('ready\n')) onReady();
    });
    const done = new Promise<Outcome>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code) => {
        if (code !== 0) return reject(new Error(`worker exited with ${code}`));
        resolve(JSON.parse(out.slice('ready\n'.length)) as Outcome);
      });
    });
    return { ready, done };
  });
  await Promise.all(outputs.map((o) => o.ready));
  for (const child of children) child.stdin.end('go\n');
  return Promise.all(outputs.map((o) => o.done));
}

/** A child in lockstep mode: send a command, await its one-line answer. */
function lockstepWorker(file: string, index: number): {
  ready: Promise<void>;
  ask(line: string): Promise<string>;
  end(): void;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, file, 'lockstep', String(index), '0'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const waiting: Array<(line: string) => void> = [];
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      waiting.shift()?.(line);
    }
  });
  const next = (): Promise<string> => new Promise((resolve) => waiting.push(resolve));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return {
    ready: next().then(() => undefined),
    ask(line) {
      const answer = next();
      child.stdin.write(`${line}\n`);
      return answer;
    },
    end: () => child.stdin.end('end\n'),
    exited,
  };
}

describe.each(['wal', 'delete'])('sqliteStore across processes, journal_mode=%s', (journal) => {
  it('4 processes × 100 increments by get + compareAndSet: no lost update, every version won once', { timeout: 180_000 }, async () => {
    const file = join(dir, `counter-${journal}.db`);
    const db = new Database(file);
    db.pragma(`journal_mode = ${journal}`);
    const store = sqliteStore({ client: db, migrate: true });
    await store.compareAndSet('counter', null, { version: 1, count: 0 });

    const outcomes = await race(file, 'counter', 4, 100);
    const versions = outcomes.flatMap((o) => o.won).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 400 }, (_, i) => i + 2));
    expect(await store.get('counter')).toMatchObject({ version: 401, count: 400 });
    db.close();
  });

  it('lockstep: 4 processes read the same version, then all write: exactly one wins, 25 rounds', { timeout: 180_000 }, async () => {
    const file = join(dir, `lockstep-${journal}.db`);
    const db = new Database(file);
    db.pragma(`journal_mode = ${journal}`);
    const store = sqliteStore({ client: db, migrate: true });
    await store.compareAndSet('counter', null, { version: 1 });
    const workers = Array.from({ length: 4 }, (_, i) => lockstepWorker(file, i));
    await Promise.all(workers.map((w) => w.ready));
    for (let round = 1; round <= 25; round++) {
      const reads = await Promise.all(workers.map((w) => w.ask('read')));
      expect(reads).toEqual(workers.map(() => `read ${round}`));
      const writes = await Promise.all(workers.map((w) => w.ask('write')));
      expect(writes.filter((w) => w === 'wrote true')).toHaveLength(1);
      expect(await store.get('counter')).toEqual({ version: round + 1, by: writes.indexOf('wrote true') });
    }
    for (const w of workers) w.end();
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0, 0, 0]);
    db.close();
  });

  it('4 processes insert the same 200 ids (expected null): each id has exactly one winner, whose record is stored', { timeout: 180_000 }, async () => {
    const file = join(dir, `insert-${journal}.db`);
    const db = new Database(file);
    db.pragma(`journal_mode = ${journal}`);
    const store = sqliteStore({ client: db, migrate: true });
    await store.migrate();

    const outcomes = await race(file, 'insert', 4, 200);
    const owners = new Map<number, number>();
    for (const o of outcomes) {
      for (const k of o.won) {
        expect(owners.has(k)).toBe(false);
        owners.set(k, o.worker);
      }
    }
    expect(owners.size).toBe(200);
    for (const [k, owner] of owners) expect(await store.get(`key-${k}`)).toEqual({ version: 1, owner });
    db.close();
  });
});
