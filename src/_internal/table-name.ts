// The table option of the SQL stores (postgres, sqlite): `name` or `schema.name`, each part an
// identifier, double-quoted for interpolation into SQL. Each store adds its own rules and message.

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * `table` double-quoted for SQL (`"schema"."name"`), or null unless it is one or two dot-separated
 * identifiers (letters, digits, _; not starting with a digit; at most 63 characters each).
 */
export function quoteTableName(table: string): string | null {
  const parts = table.split('.');
  if (parts.length > 2 || !parts.every((part) => IDENTIFIER.test(part))) return null;
  return parts.map((part) => `"${part}"`).join('.');
}
