// mfakit/testing: FakeClock.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/testing/index.js';

describe('FakeClock', () => {
  it('starts at 2026-01-01 or the given time, and only moves when told', () => {
    expect(new FakeClock().now()).toBe(Date.UTC(2026, 0, 1));
    const clock = new FakeClock(new Date(1_000));
    expect(clock.now()).toBe(1_000);
    expect(clock.advance(29_000)).toBe(30_000);
    expect(clock.now()).toBe(30_000);
    expect(clock.set(5)).toBe(5);
    expect(clock.set(new Date(7))).toBe(7);
    expect(clock.advance(-2)).toBe(5);
  });
  it.each([NaN, Infinity, '1' as unknown as number])('refuses %j', (bad) => {
    expect(() => new FakeClock(bad)).toThrow(TypeError);
    expect(() => new FakeClock().set(bad)).toThrow(TypeError);
  });
});
