// How transition() picks a handler and what it adds around it (src/lifecycle/transitions.ts):
// only a string naming a known command dispatches; an expired enrolment is dropped first and its
// event comes before the command's. Written against mutants StrykerJS found surviving.
import { describe, expect, it } from 'vitest';
import { emptyRecord, resolveLifecycleOptions, transition, type MfaCommand, type TransitionContext } from '../../src/lifecycle/public.js';
import { seededRandom } from '../../src/testing/index.js';

const T0 = Date.UTC(2026, 0, 1, 12);
const options = resolveLifecycleOptions({ issuer: 'Acme', pendingTtl: 60_000 });
const ctxAt = (now: number): TransitionContext => ({ now, rng: seededRandom(`ctx-${now}`), options, scopeRequired: false });
const UNKNOWN = 'unknown lifecycle command (or its feature is not in createMfa({ features }))';

describe('transition: dispatch', () => {
  it.each([
    ['a name nobody registered', 'frobnicate'],
    ['an object whose text is a command name', { toString: (): string => 'beginEnrollment' }],
    ['a missing type', undefined],
    ["an inherited key ('toString')", 'toString'],
  ])('refuses %s with INVALID_OPTION', (_, type) => {
    const command = { type, account: 'alice' } as unknown as MfaCommand;
    expect(() => transition(emptyRecord('alice', T0), command, ctxAt(T0))).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: UNKNOWN }));
  });
});

describe('transition: an expired enrolment', () => {
  it('is dropped before the command, and its event comes first', () => {
    const begun = transition(emptyRecord('alice', T0), { type: 'beginEnrollment', account: 'alice' }, ctxAt(T0));
    expect(begun.events.map((e) => e.type)).toEqual(['enrolled']);
    const later = T0 + 120_000;
    const again = transition({ ...begun.record, version: 1 }, { type: 'beginEnrollment', account: 'alice' }, ctxAt(later));
    expect(again.result.ok).toBe(true);
    expect(again.events.map((e) => e.type)).toEqual(['enrollment_expired', 'enrolled']);
    expect(again.record?.status).toBe('pending');
  });
});
