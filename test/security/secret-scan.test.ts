/// <reference types="vite/client" />
// Proof: no secret, code, token, password or hash in any event or error. This file re-runs
// every scenario test (test/scenarios/*.test.ts) and the opt-in feature tests (test/lifecycle/feature.test.ts and test/lifecycle/features/*/index.test.ts) with a
// recording `createMfa`: it collects every secret the service hands out or stores (shared secrets,
// otpauth URIs, manual keys, recovery codes, e-mailed codes, confirmation tokens, API passwords,
// stored hashes, salts and ciphertexts, and every code typed in), every event delivered to `onEvent`
// and every error any service method throws, then checks that no event or error contains any of them.
import { inspect } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type * as Service from '../../src/lifecycle/service.js';
import type * as OneTimeCodes from '../../src/lifecycle/features/one-time-codes/index.js';
import type { CreateMfaOptions, Mfa, MfaEvent, MfaStore, Sender } from '../../src/index.js';

interface Recorder {
  secrets: Set<string>;
  events: MfaEvent[];
  errors: unknown[];
}
const recorder: Recorder = ((globalThis as Record<string, unknown>).__mfakitSecretScan ??= {
  secrets: new Set<string>(),
  events: [],
  errors: [],
}) as Recorder;

// The e-mail/SMS feature holds the Sender: record every code it hands over.
vi.mock('../../src/lifecycle/features/one-time-codes/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof OneTimeCodes>();
  const rec = ((globalThis as Record<string, unknown>).__mfakitSecretScan ??= {
    secrets: new Set<string>(),
    events: [],
    errors: [],
  }) as Recorder;
  const recordingSender = (sender: Sender): Sender => ({
    async send(message) {
      if (typeof message.code === 'string') rec.secrets.add(message.code);
      return sender.send(message);
    },
  });
  const oneTimeCodes: typeof original.oneTimeCodes = (options) =>
    original.oneTimeCodes(options?.sender ? { ...options, sender: recordingSender(options.sender) } : options);
  return { ...original, oneTimeCodes };
});

vi.mock('../../src/lifecycle/service.js', async (importOriginal) => {
  const original = await importOriginal<typeof Service>();
  // Runs before this file's body (imports are hoisted), so it creates the shared recorder itself.
  const rec = ((globalThis as Record<string, unknown>).__mfakitSecretScan ??= {
    secrets: new Set<string>(),
    events: [],
    errors: [],
  }) as Recorder;
  const b32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const base32 = (bytes: Uint8Array): string => {
    let bits = 0;
    let value = 0;
    let out = '';
    for (const byte of bytes) {
      value = (value << 8) | byte;
      bits += 8;
      while (bits >= 5) {
        out += b32[(value >>> (bits - 5)) & 31];
        bits -= 5;
      }
    }
    if (bits > 0) out += b32[(value << (5 - bits)) & 31];
    return out;
  };
  const add = (s: unknown): void => {
    if (typeof s === 'string' && s.length >= 6) {
      rec.secrets.add(s);
      const compact = s.replace(/[\s-]/g, '');
      if (compact.length >= 6) rec.secrets.add(compact);
    }
  };
  const SECRET_KEYS = new Set(['secret', 'manualKey', 'token', 'password', 'code', 'hash', 'hashes', 'salt']);
  const collect = (value: unknown, key = '', depth = 0): void => {
    if (depth > 8 || value === null || value === undefined) return;
    if (value instanceof Uint8Array) {
      if (value.length >= 10) {
        add(base32(value));
        add(Buffer.from(value).toString('base64url'));
        add(Buffer.from(value).toString('hex'));
      }
      return;
    }
    if (typeof value === 'string') {
      if (SECRET_KEYS.has(key) || key === 'recoveryCodes') add(value);
      if (key === 'uri') add(/[?&]secret=([^&]+)/.exec(value)?.[1]);
      return;
    }
    if (Array.isArray(value)) {
      for (const v of value) collect(v, key, depth + 1);
      return;
    }
    if (typeof value === 'object') for (const [k, v] of Object.entries(value)) collect(v, k, depth + 1);
  };
  const recordingStore = (store: MfaStore): MfaStore => ({
    get: (id) => store.get(id),
    delete: (id) => store.delete(id),
    async compareAndSet(id, expected, record) {
      collect(record);
      return store.compareAndSet(id, expected, record);
    },
    // Optional capabilities pass through, their answers scanned like the rest.
    ...(store.list === undefined
      ? {}
      : {
          async list(options) {
            const page = await store.list!(options);
            collect(page);
            return page;
          },
        }),
    ...((store as { lookup?: unknown }).lookup === undefined
      ? {}
      : { lookup: (key: string) => (store as unknown as { lookup(k: string): Promise<string | null> }).lookup(key) }),
  });
  function createMfa(options: CreateMfaOptions): Mfa {
    const wrapped: CreateMfaOptions = {
      ...options,
      ...(options.store && typeof options.store.get === 'function' ? { store: recordingStore(options.store) } : {}),
      onEvent: (event) => {
        rec.events.push(event);
        options.onEvent?.(event);
      },
    };
    const mfa = original.createMfa(wrapped);
    return new Proxy(mfa, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          // What the user typed or presented: codes, recovery codes, tokens, API passwords.
          if (prop === 'verifyLogin' || prop === 'confirmEnrollment' || prop === 'verifyApiPassword') add(args[1]);
          if (prop === 'disable' || prop === 'regenerateRecoveryCodes') collect(args[1]);
          try {
            const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            collect(result);
            return result;
          } catch (err) {
            rec.errors.push(err);
            throw err;
          }
        };
      },
    });
  }
  return { ...original, createMfa };
});

// Every scenario file, plus the lifecycle's e-mail / API password / confirmation-token tests.
import.meta.glob('../scenarios/*.test.ts', { eager: true });
import.meta.glob(['../lifecycle/feature.test.ts', '../lifecycle/features/*/index.test.ts'], { eager: true });

function occurrences(text: string, secret: string): boolean {
  if (/^\d+$/.test(secret)) return new RegExp(`(?<![0-9])${secret}(?![0-9])`).test(text);
  return text.includes(secret);
}

function renderError(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    parts.push(String(e), inspect(e, { depth: 5 }));
    try {
      parts.push(JSON.stringify(e));
    } catch {
      // circular: inspect above covers it
    }
    e = (e as { cause?: unknown }).cause;
  }
  return parts.join('\n');
}

describe('secret scan over every scenario event and error', () => {
  afterAll(() => {
    delete (globalThis as Record<string, unknown>).__mfakitSecretScan;
  });

  it('recorded a meaningful amount of material (the scan is not vacuous)', () => {
    expect(recorder.events.length).toBeGreaterThan(20);
    expect(recorder.secrets.size).toBeGreaterThan(20);
    expect(recorder.errors.length).toBeGreaterThan(0);
  });

  it('every kind of secret was recorded, and a planted one would be found', () => {
    const all = [...recorder.secrets];
    const kinds = {
      code: all.find((x) => /^\d{6}$/.test(x)),
      apiPassword: all.find((x) => x.startsWith('mfak_')),
      token: all.find((x) => /^[A-Za-z0-9_-]{43}$/.test(x) && !x.startsWith('mfak_')),
      totpSecret: all.find((x) => /^[A-Z2-7]{32}$/.test(x)),
    };
    for (const [kind, found] of Object.entries(kinds)) expect(found, kind).toBeDefined();
    for (const found of Object.values(kinds)) {
      expect(occurrences(JSON.stringify({ type: 'verified', leaked: found, at: 1767268810000 }), found!)).toBe(true);
    }
    expect(occurrences('{"at":1767268810000}', '268810')).toBe(false); // digits inside a timestamp are not a code
  });

  it('no event contains a secret, code, token, password or hash', () => {
    const leaks: string[] = [];
    for (const event of recorder.events) {
      const text = `${JSON.stringify(event)}\n${inspect(event, { depth: 5 })}`;
      for (const secret of recorder.secrets) if (occurrences(text, secret)) leaks.push(`${event.type}: …${secret.slice(0, 3)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('no error message, cause or inspection contains one', () => {
    const leaks: string[] = [];
    for (const err of recorder.errors) {
      const text = renderError(err);
      for (const secret of recorder.secrets) if (occurrences(text, secret)) leaks.push(`${String(err)}: …${secret.slice(0, 3)}`);
    }
    expect(leaks).toEqual([]);
  });
});
