// The MFA epoch: a counter in the record that every security-relevant change bumps (a reset, turning
// MFA off, an administrator's reset, a finished break-glass recovery, revoking every trusted
// device). An app stores the epoch it saw at login with the session and asks `isSessionCurrent`, so
// one bump ends every session and every trusted device bound to the old value.
import type { MfaEvent } from './events.js';
import type { MfaRecord } from './record.js';
import type { TransitionContext } from './transition-types.js';

/** @internal The record's epoch; records written before the field existed are at 0. */
export function epochOf(record: MfaRecord): number {
  return record.epoch ?? 0;
}

/**
 * @internal `record` with the next epoch, and what the features drop with it (their `epochBumped`
 * hooks: trusted devices bound to the old epoch), their events pushed to `events`.
 */
export function bumpEpoch(record: MfaRecord, ctx: TransitionContext, events: MfaEvent[]): MfaRecord {
  let next: MfaRecord = { ...record, epoch: epochOf(record) + 1 };
  for (const f of ctx.features?.list ?? []) {
    const dropped = f.epochBumped?.(next, ctx);
    if (dropped != null) {
      next = { ...next, ...dropped.patch };
      events.push(...dropped.events);
    }
  }
  return next;
}
