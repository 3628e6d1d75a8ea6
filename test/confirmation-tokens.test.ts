import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { consumeConfirmationToken, createConfirmationToken } from '../src/confirmation-tokens.js';

const t0 = 1_764_000_000_000;
const MIN = 60_000;

describe('issueConfirmationToken', () => {
  it('256-bit base64url token, 15 minutes by default, only its SHA-256 stored', () => {
    const r = createConfirmationToken({ purpose: 'disable', now: t0 });
    expect(r.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.expiresAt).toBe(t0 + 15 * MIN);
    expect(r.stored).toEqual({
      v: 1,
      alg: 'sha256',
      purpose: 'disable',
      hash: createHash('sha256').update(r.token).digest('base64url'),
      createdAt: t0,
      expiresAt: t0 + 15 * MIN,
    });
    expect(JSON.stringify(r.stored)).not.toContain(r.token);
  });

  it('uses the injected rng and ttl', () => {
    const r = createConfirmationToken({ purpose: 'disable', now: t0, ttl: 5 * MIN, rng: (n) => new Uint8Array(n) });
    expect(r.token).toBe('A'.repeat(43));
    expect(r.expiresAt).toBe(t0 + 5 * MIN);
  });

  it.each([
    [{ purpose: '', now: t0 }],
    [{ purpose: 'disable', now: NaN }],
    [{ purpose: 'disable', now: t0, ttl: 0 }],
    [{ purpose: 'disable', now: t0, rng: () => new Uint8Array(16) }],
    [undefined],
  ])('misuse %# is INVALID_OPTION', (options) => {
    expect(() => createConfirmationToken(options as never)).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});

describe('consumeConfirmationToken', () => {
  it('seed 003: valid up to the 15-minute edge, exactly once', () => {
    const { token, stored } = createConfirmationToken({ purpose: 'disable', now: t0 });
    const justBefore = consumeConfirmationToken(stored, token, { purpose: 'disable', now: t0 + 15 * MIN - 1 });
    expect(justBefore).toEqual({ ok: true, purpose: 'disable', stored: null });
    expect(consumeConfirmationToken(justBefore.stored, token, { purpose: 'disable', now: t0 })).toEqual({
      ok: false,
      reason: 'no_token',
      stored: null,
    });
  });

  it('seed 003: refused at 15 minutes, and discarded', () => {
    const { token, stored } = createConfirmationToken({ purpose: 'disable', now: t0 });
    expect(consumeConfirmationToken(stored, token, { purpose: 'disable', now: t0 + 15 * MIN })).toEqual({
      ok: false,
      reason: 'expired',
      stored: null,
    });
  });

  it('bound to its purpose: another purpose is refused and the token stays pending', () => {
    const { token, stored } = createConfirmationToken({ purpose: 'disable', now: t0 });
    const r = consumeConfirmationToken(stored, token, { purpose: 'reset', now: t0 });
    expect(r).toEqual({ ok: false, reason: 'purpose', stored });
    expect(consumeConfirmationToken(r.stored, token, { purpose: 'disable', now: t0 }).ok).toBe(true);
  });

  it('a new token replaces the old (the caller stores only the latest)', () => {
    const first = createConfirmationToken({ purpose: 'disable', now: t0 });
    const second = createConfirmationToken({ purpose: 'disable', now: t0 + MIN });
    expect(consumeConfirmationToken(second.stored, first.token, { purpose: 'disable', now: t0 + MIN })).toMatchObject({
      reason: 'mismatch',
    });
  });

  it('wrong or garbled tokens never consume and never throw; pasted whitespace is ignored', () => {
    const { token, stored } = createConfirmationToken({ purpose: 'disable', now: t0 });
    const other = createConfirmationToken({ purpose: 'disable', now: t0 }).token;
    expect(consumeConfirmationToken(stored, other, { purpose: 'disable', now: t0 })).toEqual({
      ok: false,
      reason: 'mismatch',
      stored,
    });
    for (const bad of [undefined, null, 1, '', 'short', token + 'x', token.slice(1), 'x'.repeat(500), `${token.slice(0, 42)}*`]) {
      expect(consumeConfirmationToken(stored, bad, { purpose: 'disable', now: t0 })).toEqual({
        ok: false,
        reason: 'format',
        stored,
      });
    }
    expect(consumeConfirmationToken(stored, `  ${token}\n`, { purpose: 'disable', now: t0 }).ok).toBe(true);
  });

  it('unknown stored shape is INVALID_RECORD; bad options INVALID_OPTION', () => {
    const { token, stored } = createConfirmationToken({ purpose: 'disable', now: t0 });
    expect(() => consumeConfirmationToken({ ...stored, v: 2 as 1 }, token, { purpose: 'disable', now: t0 })).toThrowError(
      expect.objectContaining({ code: 'INVALID_RECORD' }),
    );
    expect(() => consumeConfirmationToken(stored, token, { purpose: 'disable', now: 'x' as never })).toThrowError(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });

  it('only the issued token verifies (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const { stored } = createConfirmationToken({ purpose: 'disable', now: t0 });
        const guess = Buffer.from(bytes).toString('base64url');
        expect(consumeConfirmationToken(stored, guess, { purpose: 'disable', now: t0 }).ok).toBe(false);
      }),
    );
  });
});
