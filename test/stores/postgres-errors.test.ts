// What postgresStore makes of a driver error, without a server: a lost race (serialization failure,
// deadlock), a batch the server refused (any SQLSTATE with a severity, except the classes that end
// the session), or an unknown outcome; and the hints of STORE_UNAVAILABLE.
import { describe, expect, it } from 'vitest';
import { batchOutcome, failure, lostRace } from '../../src/stores/postgres-errors.js';

describe('lostRace and batchOutcome', () => {
  it.each<[string, unknown, boolean, string]>([
    ['serialization failure', { code: '40001', severity: 'ERROR' }, true, 'lost-race'],
    ['deadlock', { code: '40P01', severity: 'ERROR' }, true, 'lost-race'],
    ['unique violation', { code: '23505', severity: 'ERROR' }, false, 'refused'],
    ['a class-08 code in the middle is not class 08', { code: 'P0857', severity: 'ERROR' }, false, 'refused'],
    ['connection failure (class 08)', { code: '08006', severity: 'FATAL' }, false, 'unknown'],
    ['operator intervention (57)', { code: '57P01', severity: 'FATAL' }, false, 'unknown'],
    ['system error (58)', { code: '58030', severity: 'ERROR' }, false, 'unknown'],
    ['internal error (XX)', { code: 'XX000', severity: 'ERROR' }, false, 'unknown'],
    ['no severity', { code: '23505' }, false, 'unknown'],
    ['a numeric severity', { code: '23505', severity: 1 }, false, 'unknown'],
    ['a numeric code', { code: 23505, severity: 'ERROR' }, false, 'unknown'],
    ['a lower-case code', { code: 'abcde', severity: 'ERROR' }, false, 'unknown'],
    ['a code of 6 characters', { code: '235050', severity: 'ERROR' }, false, 'unknown'],
    ['a code of 4 characters', { code: '2350', severity: 'ERROR' }, false, 'unknown'],
    ['a code with a prefix', { code: 'x23505', severity: 'ERROR' }, false, 'unknown'],
    ['a socket error (no SQLSTATE)', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), false, 'unknown'],
    ['null', null, false, 'unknown'],
    ['undefined', undefined, false, 'unknown'],
  ])('%s', (_, cause, lost, outcome) => {
    expect(lostRace(cause)).toBe(lost);
    expect(batchOutcome(cause)).toBe(outcome);
  });
});

describe('failure', () => {
  it('STORE_UNAVAILABLE naming the call, with a hint for a missing table or a read-only server, the cause kept', () => {
    const missing = { code: '42P01' };
    expect(failure('get', '"t"', missing)).toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: 'postgresStore.get: store unavailable (table "t" does not exist: call store.migrate() or pass migrate: true)',
      cause: missing,
    });
    expect(failure('delete', '"t"', { code: '25006' }).message).toBe(
      'postgresStore.delete: store unavailable (the server is read-only, e.g. a hot standby: give postgresStore a pool to the primary)',
    );
    expect(failure('compareAndSet', '"t"', { code: '08006' }).message).toBe('postgresStore.compareAndSet: store unavailable');
    expect(failure('get', '"t"', null).message).toBe('postgresStore.get: store unavailable');
  });
});
