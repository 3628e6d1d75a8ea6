// The statements of the SQLite store and its validated, quoted table name.
import { MfaError } from '../errors.js';
import { quoteTableName } from '../_internal/table-name.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite-client.js';

/** @internal SQLite's current time as ISO 8601 text (the `updated_at` column). */
export const NOW_SQL = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

/** @internal The quoted table name; INVALID_OPTION for anything but a plain (schema-qualified) identifier. */
export function quoteTable(table: unknown): string {
  if (typeof table !== 'string') {
    throw new MfaError('INVALID_OPTION', 'sqliteStore: table must be a string');
  }
  const quoted = quoteTableName(table);
  // SQLite reserves the sqlite_ prefix for its own tables.
  if (quoted === null || table.slice(table.lastIndexOf('.') + 1).toLowerCase().startsWith('sqlite_')) {
    throw new MfaError(
      'INVALID_OPTION',
      'sqliteStore: table must be an identifier of letters, digits and _ (optionally schema.table), not starting with sqlite_',
    );
  }
  return quoted;
}

/** @internal The store's prepared statements. */
export interface Statements {
  get: SqliteStatement;
  insert: SqliteStatement;
  update: SqliteStatement;
  delete: SqliteStatement;
}

/** @internal Prepares the store's statements on `db` for the table `quoted`. */
export function prepareStatements(db: SqliteDatabase, quoted: string): Statements {
  const prepare = (sql: string): SqliteStatement => {
    const statement = db.prepare(sql);
    // Versions are safe integers; read them as numbers even if the user enabled BigInts.
    statement.safeIntegers?.(false);
    return statement;
  };
  return {
    get: prepare(`SELECT data FROM ${quoted} WHERE id = ?`),
    insert: prepare(`INSERT INTO ${quoted} (id, version, data) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING`),
    update: prepare(`UPDATE ${quoted} SET version = ?, data = ?, updated_at = ${NOW_SQL} WHERE id = ? AND version = ?`),
    delete: prepare(`DELETE FROM ${quoted} WHERE id = ?`),
  };
}
