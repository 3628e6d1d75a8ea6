// Multi-process harness, adapter-agnostic: child processes (mp-worker.ts under `node --import tsx`)
// open their own store on a shared database through test/support/mp-adapters/<adapter>.ts.
//
// - raceVerifyLogin: N processes verifyLogin the same input at the same moment.
// - runCrashTest: a child streaming lifecycle writes is SIGKILLed at random points, again and
//   again; the log it fsyncs before and after every attempt is then checked (see CrashReport).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VerifyLoginResult } from '../../src/lifecycle/features/login/login.js';
import { parseRecord } from '../../src/lifecycle/record.js';
import {
  codeAt,
  enrol,
  FakeClock,
  harnessMfa,
  openAdapter,
  timeOfStep,
  type EnrolledUser,
  type HarnessTarget,
  type OpenedStore,
} from './mp-common.js';

export type { HarnessTarget } from './mp-common.js';

const WORKER = fileURLToPath(new URL('./mp-worker.ts', import.meta.url));

function startWorker(target: HarnessTarget, env: Record<string, string>): { child: ChildProcess; ready: Promise<void>; output: () => string; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: { ...process.env, MP_TARGET: JSON.stringify(target), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let onReady!: () => void;
  let onFail!: (e: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    onFail = reject;
  });
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    if (out.startsWith('ready\n')) onReady();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      if (!out.startsWith('ready\n')) onFail(new Error(`worker exited (${code ?? signal}) before ready: ${err}`));
      resolve({ code, signal });
    });
  });
  return { child, ready, output: () => out + (err ? `\nstderr: ${err}` : ''), exit };
}

/** Opens the parent's own store + service on the target. */
export async function openParent(target: HarnessTarget): Promise<OpenedStore & { clock: FakeClock; mfa: ReturnType<typeof harnessMfa> }> {
  const opened = await openAdapter(target, 'parent');
  const clock = new FakeClock();
  return { ...opened, clock, mfa: harnessMfa(opened.store, clock) };
}

/**
 * Starts `processes` workers, lets each connect, then releases them together: each calls
 * `verifyLogin(userId, input)` once at `time`. Resolves with every result (or `{ error }`).
 */
export async function raceVerifyLogin(
  target: HarnessTarget,
  options: { userId: string; input: string; time: number; processes?: number },
): Promise<Array<VerifyLoginResult | { error: string }>> {
  const n = options.processes ?? 8;
  const workers = Array.from({ length: n }, () =>
    startWorker(target, { MP_MODE: 'verify', MP_USER: options.userId, MP_INPUT: options.input, MP_TIME: String(options.time) }),
  );
  try {
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.child.stdin!.end('go\n');
    const exits = await Promise.all(workers.map((w) => w.exit));
    return workers.map((w, i) => {
      if (exits[i]!.code !== 0) throw new Error(`worker ${i} failed: ${w.output()}`);
      const lines = w.output().split('\n');
      return JSON.parse(lines[1]!) as VerifyLoginResult | { error: string };
    });
  } finally {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  }
}

/** Enrols a fresh user through the parent's store (throttling off, as in the workers). */
export async function enrolUser(target: HarnessTarget, userId: string, step = 1_000_000): Promise<EnrolledUser> {
  const parent = await openParent(target);
  try {
    return await enrol(parent.mfa, parent.clock, userId, step);
  } finally {
    await parent.close();
  }
}

export interface CrashTestOptions {
  readonly userId: string;
  /** Kill rounds. Default 20. */
  readonly rounds?: number;
  /** Random delay after "ready" before the SIGKILL, in ms. Default [20, 250]. */
  readonly killAfterMs?: readonly [number, number];
  /**
   * Optional: also crash the database server on some rounds (called right before the child is
   * killed, while it is writing), and wait until it is back. E.g. SIGKILL a PostgreSQL backend.
   */
  readonly crashServer?: (round: number) => Promise<boolean>;
  /** Seed for the kill delays and the children's choices. */
  readonly seed?: number;
}

export interface CrashReport {
  readonly rounds: number;
  /** Rounds whose child was killed by us (not exited on its own). */
  readonly killed: number;
  readonly serverCrashes: number;
  readonly attempts: number;
  readonly acceptedSteps: number;
  readonly acceptedRecoveryCodes: number;
  readonly rejected: number;
  readonly errors: number;
  /** `err` outcomes by MfaError code (e.g. STORE_UNAVAILABLE while the server recovers). */
  readonly errorCodes: Readonly<Record<string, number>>;
  /** Children whose last log entry is a "try": killed while an attempt was in flight. */
  readonly killedMidAttempt: number;
  /** Log lines cut short by a kill (at most one per round). */
  readonly tornLines: number;
  /** Record version read by the parent after each round. */
  readonly versions: readonly number[];
  /** Everything that went wrong; empty when the test passes. */
  readonly violations: readonly string[];
}

interface LogEntry {
  pid: number;
  op: 'try' | 'ok' | 'no' | 'err' | 'ver';
  kind?: 'totp' | 'recovery';
  step?: number;
  code?: string;
  reason?: string;
  error?: string;
  message?: string;
  v?: number | null;
}

/**
 * The crash test. Enrols `userId`, then `rounds` times: starts a child that streams verifyLogin
 * writes (fresh TOTP steps, replays, recovery codes — some already spent), waits a random moment,
 * optionally crashes the server, SIGKILLs the child, and reads the record back.
 *
 * Checks (returned as `violations`):
 * - after every round the record is readable and valid (`parseRecord`), and its version never
 *   went down;
 * - no TOTP step and no recovery code was reported accepted ("ok" in the log) twice, and accepted
 *   steps only increase;
 * - every reported acceptance is durable: at the end, each accepted recovery code and the newest
 *   accepted step are rejected as replays, and the record's `lastStep` is at least that step;
 * - versions logged by the children only grew, and stay ≤ the final version.
 */
export async function runCrashTest(target: HarnessTarget, options: CrashTestOptions): Promise<CrashReport> {
  const rounds = options.rounds ?? 20;
  const [minDelay, maxDelay] = options.killAfterMs ?? [20, 250];
  let seed = options.seed ?? 7;
  const random = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const dir = mkdtempSync(join(tmpdir(), 'mfakit-crash-'));
  const statePath = join(dir, 'user.json');
  const logPath = join(dir, 'attempts.log');
  const violations: string[] = [];
  const versions: number[] = [];
  let killed = 0;
  let serverCrashes = 0;
  const parent = await openParent(target);
  try {
    const user = await enrol(parent.mfa, parent.clock, options.userId, 1_000_000);
    writeFileSync(statePath, JSON.stringify(user));
    writeFileSync(logPath, '');
    for (let round = 0; round < rounds; round++) {
      const worker = startWorker(target, { MP_MODE: 'crash', MP_STATE: statePath, MP_LOG: logPath, MP_SEED: String(round * 7919 + seed) });
      await worker.ready;
      await new Promise((r) => setTimeout(r, minDelay + random() * (maxDelay - minDelay)));
      if (options.crashServer && (await options.crashServer(round))) serverCrashes++;
      if (worker.child.exitCode === null && worker.child.signalCode === null) {
        worker.child.kill('SIGKILL');
        killed++;
      }
      const exit = await worker.exit;
      if (exit.signal !== 'SIGKILL' && exit.code !== 0) violations.push(`round ${round}: worker failed: ${worker.output()}`);
      // The record must read back and validate; its version never goes down.
      let data = null;
      for (let i = 0; i < 100; i++) {
        try {
          data = await parent.store.get(options.userId);
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 100)); // the server may be recovering
        }
      }
      if (data === null) {
        violations.push(`round ${round}: record missing or unreadable`);
        continue;
      }
      try {
        parseRecord(data, options.userId);
      } catch (err) {
        violations.push(`round ${round}: record invalid: ${String(err)}`);
      }
      const previous = versions[versions.length - 1] ?? 0;
      if (data.version < previous) violations.push(`round ${round}: version went down ${previous} → ${data.version}`);
      versions.push(data.version);
    }

    // Read the log.
    const entries: LogEntry[] = [];
    let tornLines = 0;
    for (const line of readFileSync(logPath, 'utf8').split('\n')) {
      if (line === '') continue;
      try {
        entries.push(JSON.parse(line) as LogEntry);
      } catch {
        tornLines++;
      }
    }
    if (tornLines > rounds) violations.push(`${tornLines} torn log lines for ${rounds} kills`);
    const stepsOk = new Map<number, number>();
    const codesOk = new Map<string, number>();
    let lastAcceptedStep = user.step;
    let lastLoggedVersion = 0;
    let attempts = 0;
    let rejected = 0;
    let errors = 0;
    const errorCodes: Record<string, number> = {};
    for (const e of entries) {
      if (e.op === 'try') attempts++;
      else if (e.op === 'no') rejected++;
      else if (e.op === 'err') {
        errors++;
        errorCodes[`${e.error}: ${e.message}`] = (errorCodes[`${e.error}: ${e.message}`] ?? 0) + 1;
      }
      else if (e.op === 'ver') {
        if (typeof e.v !== 'number' || e.v < lastLoggedVersion) violations.push(`logged version went down: ${lastLoggedVersion} → ${e.v}`);
        lastLoggedVersion = e.v ?? lastLoggedVersion;
      } else if (e.op === 'ok' && e.kind === 'totp') {
        stepsOk.set(e.step!, (stepsOk.get(e.step!) ?? 0) + 1);
        if (e.step! <= lastAcceptedStep) violations.push(`step ${e.step} accepted after step ${lastAcceptedStep}`);
        lastAcceptedStep = Math.max(lastAcceptedStep, e.step!);
      } else if (e.op === 'ok' && e.kind === 'recovery') {
        codesOk.set(e.code!, (codesOk.get(e.code!) ?? 0) + 1);
      }
    }
    const lastOpByPid = new Map<number, string>();
    for (const e of entries) if (e.op !== 'ver') lastOpByPid.set(e.pid, e.op);
    const killedMidAttempt = [...lastOpByPid.values()].filter((op) => op === 'try').length;
    for (const [step, count] of stepsOk) if (count > 1) violations.push(`TOTP step ${step} accepted ${count} times`);
    for (const [code, count] of codesOk) if (count > 1) violations.push(`recovery code ${code.slice(0, 2)}… accepted ${count} times`);

    // Durability of every reported acceptance: replays are refused now.
    const final = await parent.store.get(options.userId);
    const record = parseRecord(final, options.userId);
    if (final!.version < lastLoggedVersion) violations.push(`final version ${final!.version} < logged ${lastLoggedVersion}`);
    const lastStep = record.method?.type === 'totp' ? record.method.lastStep : null;
    if (lastStep === null || lastStep < lastAcceptedStep) violations.push(`lastStep ${lastStep} < accepted step ${lastAcceptedStep}`);
    parent.clock.set(timeOfStep(lastAcceptedStep));
    const replay = await parent.mfa.verifyLogin(options.userId, codeAt(user.secret, lastAcceptedStep));
    if (replay.ok) violations.push(`accepted step ${lastAcceptedStep} accepted again after the test`);
    for (const code of codesOk.keys()) {
      const again = await parent.mfa.verifyLogin(options.userId, code);
      if (again.ok) violations.push(`recovery code ${code.slice(0, 2)}… accepted again after the test`);
    }
    return {
      rounds,
      killed,
      serverCrashes,
      attempts,
      acceptedSteps: stepsOk.size,
      acceptedRecoveryCodes: codesOk.size,
      rejected,
      errors,
      errorCodes,
      killedMidAttempt,
      tornLines,
      versions,
      violations,
    };
  } finally {
    await parent.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
