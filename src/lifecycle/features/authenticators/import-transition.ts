import { redact } from '../../../_internal/redact.js';
import type { MfaEvent } from '../../events.js';
import type { MfaRecord } from '../../record.js';
import type { Transition, TransitionContext } from '../../transition-types.js';
import { issueRecoveryCodes } from '../enrollment/enrollment.js';
import { withAuthenticators } from './slice.js';
import type { PreparedImport } from './import.js';
import type { ResolvedAuthenticatorsOptions } from './options.js';
import { sliceOf, type StoredAuthenticator } from './slice.js';
import { countOf, newId } from './transitions.js';

/**
 * Result of `importAuthenticator`: the new ids, and the recovery codes when the import turned MFA on
 * (shown once). `limit_reached`: the user would hold more than `max`; nothing was imported.
 */
export type ImportAuthenticatorResult =
  | { readonly ok: true; readonly ids: readonly string[]; readonly recoveryCodes: readonly string[] }
  | { readonly ok: false; readonly reason: 'limit_reached' };

/**
 * `importAuthenticators`: authenticators the user already has, active at once, all or none. For a
 * user without active MFA the first becomes the primary factor (MFA turns on, recovery codes are
 * issued, a pending enrolment is replaced); the others join the active ones.
 */
export function importAuthenticators(
  record: MfaRecord,
  command: { readonly items: readonly PreparedImport[] },
  ctx: TransitionContext,
  o: ResolvedAuthenticatorsOptions,
): Transition<ImportAuthenticatorResult> {
  const items = command.items;
  const active = record.status === 'active';
  if ((active ? countOf(record) : 0) + items.length > o.max || items.length === 0) {
    return { record, result: { ok: false, reason: 'limit_reached' }, events: [] };
  }
  const now = ctx.now;
  const events: MfaEvent[] = [];
  const stored = items.map((i): StoredAuthenticator => ({
    id: newId(ctx),
    name: i.name,
    lastUsedAt: null,
    status: 'active',
    createdAt: now,
    method: { ...i.method, createdAt: now },
  }));
  stored.forEach((a, n) => {
    const event: MfaEvent = { type: 'authenticator_imported', userId: record.userId, at: now, id: a.id, authenticator: items[n]!.method.type };
    events.push(items[n]!.short ? { ...event, shortSecret: true } : event);
  });
  let next: MfaRecord;
  let codes: string[] = [];
  if (active) {
    const { primary, extra } = sliceOf(record);
    next = withAuthenticators(record, primary, [...extra, ...stored]);
  } else {
    const [first, ...rest] = stored;
    const { status: _s, createdAt: _c, method, ...meta } = first!;
    const issued = issueRecoveryCodes(ctx);
    codes = issued.codes;
    next = withAuthenticators(
      { ...record, status: 'active', method, recoveryCodes: issued.set, activatedAt: now, resetAt: null },
      meta,
      rest,
    );
    events.push({ type: 'confirmed', userId: record.userId, at: now, method: method.type, recoveryCodes: codes.length });
  }
  const result: ImportAuthenticatorResult = redact({ ok: true as const, ids: stored.map((a) => a.id), recoveryCodes: codes }, ['recoveryCodes']);
  return { record: { ...next, updatedAt: now }, result, events };
}
