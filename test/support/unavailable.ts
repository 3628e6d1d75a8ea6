import { expect } from 'vitest';
import type { MfaStore } from '../../src/index.js';
import { rejection } from './rejection.js';

/**
 * With the engine down, every store operation (read, update, insert, delete) rejects with
 * STORE_UNAVAILABLE and keeps the engine's error as `cause`. Expects a record 'down' at version 1.
 */
export async function expectEveryOperationUnavailable(stores: readonly MfaStore[]): Promise<void> {
  for (const s of stores) {
    const ops = [() => s.get('down'), () => s.compareAndSet('down', 1, { version: 2 }), () => s.compareAndSet('new', null, { version: 1 }), () => s.delete('down')];
    for (const op of ops) {
      const err = await rejection(op());
      expect(err.code).toBe('STORE_UNAVAILABLE');
      expect(err.cause).toBeDefined();
    }
  }
}
