// Child process of the multi-process harness (multiprocess.ts); run with `node --import tsx`.
//
// MP_MODE=verify: opens a store, prints "ready", waits for "go" on stdin, runs one verifyLogin
//   (MP_USER, MP_INPUT at MP_TIME) and prints the result as one JSON line.
// MP_MODE=crash: prints "ready", then runs lifecycle writes (TOTP logins at fresh steps, replays of
//   earlier steps, recovery codes, some already spent) until SIGKILLed. Every attempt is appended to
//   MP_LOG and fsynced *before* it runs ("try") and its outcome *before* the next one ("ok", "no",
//   "err"), so the log survives the kill and the parent can check that nothing was accepted twice.
// MP_TARGET: JSON HarnessTarget (adapter name + connection strings).
import { closeSync, fsyncSync, openSync, readFileSync, writeSync, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { codeAt, FakeClock, harnessMfa, openAdapter, timeOfStep, type EnrolledUser, type HarnessTarget } from './mp-common.js';

const target = JSON.parse(process.env.MP_TARGET!) as HarnessTarget;
const mode = process.env.MP_MODE;
const opened = await openAdapter(target, 'child');
const clock = new FakeClock();

function waitForGo(): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  return new Promise((resolve) =>
    lines.once('line', () => {
      lines.close();
      resolve();
    }),
  );
}

if (mode === 'verify') {
  const mfa = harnessMfa(opened.store, clock, { throttle: process.env.MP_THROTTLE === '1' });
  clock.set(Number(process.env.MP_TIME));
  await opened.store.get(process.env.MP_USER!); // connect before the start line
  const go = waitForGo();
  process.stdout.write('ready\n');
  await go;
  let line: string;
  try {
    line = JSON.stringify(await mfa.verifyLogin(process.env.MP_USER!, process.env.MP_INPUT!));
  } catch (err) {
    line = JSON.stringify({ error: (err as { code?: string }).code ?? String(err) });
  }
  await opened.close();
  process.stdout.write(`${line}\n`);
} else if (mode === 'crash') {
  const user = JSON.parse(readFileSync(process.env.MP_STATE!, 'utf8')) as EnrolledUser;
  const logPath = process.env.MP_LOG!;
  const mfa = harnessMfa(opened.store, clock);
  // Where earlier children got to: continue after the highest step tried, replay some before it.
  let maxStep = user.step;
  const accepted: number[] = [];
  if (existsSync(logPath)) {
    for (const text of readFileSync(logPath, 'utf8').split('\n')) {
      try {
        const e = JSON.parse(text) as { op: string; kind?: string; step?: number };
        if (e.kind === 'totp' && typeof e.step === 'number') {
          maxStep = Math.max(maxStep, e.step);
          if (e.op === 'ok') accepted.push(e.step);
        }
      } catch {
        // a line cut short by a kill
      }
    }
  }
  let seed = Number(process.env.MP_SEED ?? 1) >>> 0 || 1;
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const fd = openSync(logPath, 'a');
  const log = (entry: Record<string, unknown>): void => {
    writeSync(fd, `${JSON.stringify({ pid: process.pid, ...entry })}\n`);
    fsyncSync(fd);
  };
  process.stdout.write('ready\n');
  for (let n = 0; n < 100_000; n++) {
    const r = random();
    let attempt: { kind: 'totp'; step: number; input: string } | { kind: 'recovery'; code: string; input: string };
    if (r < 0.5 || (r < 0.65 && accepted.length === 0)) {
      const step = ++maxStep; // a fresh step: should be accepted
      attempt = { kind: 'totp', step, input: codeAt(user.secret, step) };
    } else if (r < 0.65) {
      // Replay: the last accepted step, or the step just before the newest one tried.
      const step = random() < 0.5 ? accepted[accepted.length - 1]! : maxStep;
      attempt = { kind: 'totp', step, input: codeAt(user.secret, step) };
    } else {
      const code = user.recoveryCodes[Math.floor(random() * user.recoveryCodes.length)]!;
      attempt = { kind: 'recovery', code, input: code };
    }
    const { input, ...described } = attempt;
    clock.set(timeOfStep(attempt.kind === 'totp' ? attempt.step : maxStep));
    log({ op: 'try', ...described });
    try {
      const result = await mfa.verifyLogin(user.userId, input);
      if (result.ok) {
        log({ op: 'ok', ...described });
        if (attempt.kind === 'totp') accepted.push(attempt.step);
        const record = await opened.store.get(user.userId);
        log({ op: 'ver', v: record?.version ?? null });
      } else {
        log({ op: 'no', ...described, reason: result.reason });
      }
    } catch (err) {
      log({ op: 'err', ...described, error: (err as { code?: string }).code ?? String(err), message: String((err as Error).message).slice(0, 200) });
      await new Promise((r) => setTimeout(r, 20)); // e.g. the server is recovering: do not spin
    }
  }
  closeSync(fd);
  await opened.close();
} else {
  throw new Error(`unknown MP_MODE ${mode}`);
}
