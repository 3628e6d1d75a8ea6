// The test-server policy of issue 7: a missing server binary fails a CI run and is skipped loudly
// elsewhere; servers start on free loopback ports.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { redisAvailability } from '../support/redis-server.js';
import { freePort, isCi, skipUnless } from '../support/services.js';

const saved = { CI: process.env.CI, MFAKIT_REDIS_SERVER: process.env.MFAKIT_REDIS_SERVER, MFAKIT_REDIS_URL: process.env.MFAKIT_REDIS_URL };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  vi.restoreAllMocks();
});

describe('test servers: skip or fail', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['0', false],
    ['true', true],
    ['1', true],
  ])('CI=%s → isCi() %s', (value, expected) => {
    if (value === undefined) delete process.env.CI;
    else process.env.CI = value;
    expect(isCi()).toBe(expected);
  });

  it('a missing service fails under CI, naming what and why', () => {
    process.env.CI = 'true';
    expect(() => skipUnless('Widget tests', { available: false, reason: 'widget-server not found' })).toThrow(
      /Widget tests: required in CI but unavailable: widget-server not found/,
    );
  });

  it('a missing service is skipped loudly outside CI', () => {
    delete process.env.CI;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(skipUnless('Widget tests', { available: false, reason: 'widget-server not found' })).toBe(true);
    expect(warn).toHaveBeenCalledOnce();
    expect(String(warn.mock.calls[0]![0])).toMatch(/SKIPPED: Widget tests[\s\S]*why: widget-server not found/);
  });

  it('an available service is not skipped, CI or not', () => {
    process.env.CI = 'true';
    expect(skipUnless('Widget tests', { available: true })).toBe(false);
  });

  it('redis-server missing from PATH is reported as unavailable, with the package to install', () => {
    delete process.env.MFAKIT_REDIS_URL;
    process.env.MFAKIT_REDIS_SERVER = '/nonexistent/redis-server';
    const availability = redisAvailability();
    expect(availability.available).toBe(false);
    expect(!availability.available && availability.reason).toMatch(/redis-server/);
  });

  it('MFAKIT_REDIS_URL makes Redis available without the binary', () => {
    process.env.MFAKIT_REDIS_SERVER = '/nonexistent/redis-server';
    process.env.MFAKIT_REDIS_URL = 'redis://127.0.0.1:1';
    expect(redisAvailability()).toEqual({ available: true });
  });

  it('freePort gives a loopback port', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(1023);
    expect(port).toBeLessThan(65536);
  });
});
