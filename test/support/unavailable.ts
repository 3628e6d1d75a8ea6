import { expect } from 'vitest';
import type { MfaStore } from '../../src/index.js';
import { rejection } from './rejection.js';

/**
 * With the engine down, every store operation (read, update, insert, delete) rejects with
 * STORE_UNAVAILABLE labelled `<store>.<operation>: store unavailable` (the built-in stores' one
 * scheme) and keeps the engine's error as `cause`. Expects a record 'down' at version 1.
 */
export async function expectEveryOperationUnavailable(stores: readonly MfaStore[]): Promise<void> {
  for (const s of stores) {
    const ops = [
      ['get', () => s.get('down')],
      ['compareAndSet', () => s.compareAndSet('down', 1, { version: 2 })],
      ['compareAndSet', () => s.compareAndSet('new', null, { version: 1 })],
      ['delete', () => s.delete('down')],
    ] as const;
    for (const [operation, op] of ops) {
      const err = await rejection(op());
      expect(err.code).toBe('STORE_UNAVAILABLE');
      expect(err.message).toMatch(new RegExp(`^(postgresStore|sqliteStore|redisStore)\\.${operation}: store unavailable`));
      expect(err.cause).toBeDefined();
    }
  }
}
