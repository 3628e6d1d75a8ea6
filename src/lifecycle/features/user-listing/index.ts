// Admin listing as an opt-in feature: `createMfa({ features: [userListing()] })` adds `listUsers`,
// a page of users with what `getStatus` answers for each, from one `store.list` call per page (the
// records come with the ids: no read per user). Scope-policy records share the store under
// reserved ids and are never listed as users.
import { MfaError } from '../../../errors.js';
import { checkInteger } from '../../../_internal/check.js';
import type { MfaFeature } from '../../feature.js';
import type { MfaStatusView } from '../../mfa.js';
import { RESERVED_ID_PREFIX } from '../policy/policy.js';
import type { CoreHost } from '../../core-host.js';
import type { StoredRecord } from '../../store.js';
import { withoutExpiredPending } from '../enrollment/pending-expiry.js';
import { statusOf } from '../management/methods.js';

/** One user of a {@link UserListingMfa.listUsers} page. */
export interface ListedUser {
  readonly userId: string;
  /** What `getStatus(userId)` answers now; null when the stored record is invalid (`getStatus` would throw `INVALID_RECORD`). */
  readonly status: MfaStatusView | null;
}

/** A page of {@link UserListingMfa.listUsers}. */
export interface UserPage {
  /** Users in code point order of their ids; at most `limit`. */
  readonly users: readonly ListedUser[];
  /** Pass as `after` for the next page; null when there is none. */
  readonly next: string | null;
}

/** Service methods the user-listing feature adds to `Mfa`. */
export interface UserListingMfa {
  /**
   * A page of every user with an MFA record, in code point order of their ids, with their status.
   * Keyset pagination: a user whose record exists for the whole scan appears exactly once, whatever
   * is written meanwhile. `limit` 1–1000 (default 50). Needs a store with `list` (every built-in one).
   */
  listUsers(options?: { after?: string | null; limit?: number }): Promise<UserPage>;
}

/**
 * Admin listing: `listUsers({ after, limit })` pages through every user with an MFA record and
 * their status (the same view as `getStatus`, no secret in it), for admin screens (a column "MFA"
 * per user, a filter on `required` without MFA). One store round trip per page on PostgreSQL and
 * SQLite, two on Redis; scope policies are read once per page.
 *
 * @throws {@link MfaError} `INVALID_OPTION` (from `listUsers`) when the store has no `list` capability
 * @example
 * ```ts
 * import { createMfa, MemoryStore, userListing } from 'mfakit';
 * const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', features: [userListing()] });
 * let after: string | null = null;
 * do {
 *   const page = await mfa.listUsers({ after, limit: 100 });
 *   for (const { userId, status } of page.users) console.log(userId, status?.status);
 *   after = page.next;
 * } while (after !== null);
 * ```
 */
export function userListing(): MfaFeature<UserListingMfa> {
  return {
    name: 'userListing',
    methods(host) {
      return {
        async listUsers(options = {}) {
          // The service lends its core host (codec, policies) to every feature; a listed record is
          // decoded through the codec and given to getStatus's own code in place of a read.
          const core = host as CoreHost;
          const { store, users: codec, clock, options: resolved } = core;
          if (store?.list === undefined) throw new MfaError('INVALID_OPTION', 'listUsers needs a store with the list capability');
          /** What getStatus answers for a record as listed (validated, never opened). */
          const statusFor = async (userId: string, data: StoredRecord): Promise<MfaStatusView> => {
            const record = withoutExpiredPending(codec.parse(data, userId), clock.now(), resolved).record;
            return statusOf({ ...core, readAt: async () => record }, userId);
          };
          const limit = checkInteger('limit', options.limit ?? 50, 1, 1000);
          const users: ListedUser[] = [];
          let after = options.after ?? null;
          // Reserved records (scope policies) are skipped, so a page may take several store pages.
          for (;;) {
            const page = await store.list({ after, limit: limit - users.length });
            const listed = page.entries.filter(({ id }) => !id.startsWith(RESERVED_ID_PREFIX));
            const statuses = await Promise.all(
              listed.map(({ id, record }) =>
                statusFor(id, record).catch((err: unknown) => {
                  if (err instanceof MfaError && err.code === 'INVALID_RECORD') return null;
                  throw err;
                }),
              ),
            );
            listed.forEach(({ id }, i) => users.push({ userId: id, status: statuses[i]! }));
            if (page.next === null) return { users, next: null };
            after = page.next;
            if (users.length >= limit) return { users, next: after };
          }
        },
      };
    },
  };
}
