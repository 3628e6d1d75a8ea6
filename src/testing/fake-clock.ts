import type { Clock } from '../random.js';

/**
 * A clock that only moves when told to, for tests that cross TOTP steps, lockouts and expiries
 * without sleeping. Starts at 2026-01-01T00:00:00Z unless given a time.
 *
 * @example
 * ```ts
 * import { createMfa, FakeClock, MemoryStore } from 'mfakit';
 * const clock = new FakeClock();
 * const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', clock });
 * clock.advance(30_000); // next TOTP step
 * ```
 */
export class FakeClock implements Clock {
  #now: number;

  constructor(start: number | Date = Date.UTC(2026, 0, 1)) {
    this.#now = FakeClock.#check(typeof start === 'number' ? start : start.getTime());
  }

  /** The current fake time in ms since the Unix epoch. */
  now(): number {
    return this.#now;
  }

  /** Moves the clock forward (or back, with a negative value) by `ms`; returns the new time. */
  advance(ms: number): number {
    this.#now = FakeClock.#check(this.#now + ms);
    return this.#now;
  }

  /** Sets the clock to `ms` since the Unix epoch (or a Date); returns the new time. */
  set(ms: number | Date): number {
    this.#now = FakeClock.#check(typeof ms === 'number' ? ms : ms.getTime());
    return this.#now;
  }

  static #check(ms: number): number {
    if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new TypeError('FakeClock: time must be a finite number');
    return ms;
  }
}
