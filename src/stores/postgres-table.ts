// The table of the PostgreSQL store: its validated, quoted name and the migration that creates it.
import { MfaError } from '../errors.js';
import { quoteTableName } from '../_internal/table-name.js';
import type { RunQuery } from './postgres-client.js';
import { failure } from './postgres-errors.js';

/** @internal The quoted table name; INVALID_OPTION for anything but a (schema-qualified) identifier. */
export function quoteTable(table: unknown): string {
  const quoted = typeof table === 'string' ? quoteTableName(table) : null;
  if (quoted === null) {
    throw new MfaError(
      'INVALID_OPTION',
      'postgresStore: table must be an identifier (letters, digits, _; at most 63 characters), optionally schema-qualified',
    );
  }
  return quoted;
}

/** @internal Runs each statement of `sqls` (the idempotent DDL of `table`), one per query. */
export async function migrateTable(run: RunQuery, sqls: readonly string[], table: string): Promise<void> {
  // One statement at a time: PGlite and prepared clients take one per query.
  for (const sql of sqls) {
    // Two sessions migrating at once can both pass IF NOT EXISTS; the loser then hits a
    // duplicate in the catalog (23505, 42P07, 42710, 42723). It exists by then: run it again.
    for (let attempt = 1; ; attempt++) {
      try {
        await run(sql);
        break;
      } catch (err) {
        const code = (err as { code?: unknown } | null)?.code;
        const raced = code === '23505' || code === '42P07' || code === '42710' || code === '42723';
        if (!raced || attempt === 3) throw failure('migrate', table, err);
      }
    }
  }
}
