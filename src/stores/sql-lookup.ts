// The lookup index of the SQL stores (see MfaLookupStore): a table `<table>_lookup (key, id)` kept
// by triggers on the records table. A trigger runs inside the statement that writes the record, so
// the index changes in the same transaction as the record on every path (single statements,
// batches, a write from another process): there is no window in which a revoked key still
// resolves. The triggers fire only when the record's `lookupKeys` changed, so other writes (logins)
// pay nothing but the WHEN test.

/** `"schema"."name"` → its parts. */
function parts(quoted: string): { schema: string; name: string } {
  const names = quoted.slice(1, -1).split('"."');
  return names.length === 2 ? { schema: `"${names[0]}".`, name: names[1]! } : { schema: '', name: names[0]! };
}

/** A name derived from the table's, kept within PostgreSQL's 63 characters. */
function derived(name: string, suffix: string): string {
  return `"${name.slice(0, 63 - suffix.length)}${suffix}"`;
}

/** The quoted lookup table of a quoted records table: `"mfa_records"` → `"mfa_records_lookup"`. */
export function lookupTable(quoted: string): string {
  const { schema, name } = parts(quoted);
  return schema + derived(name, '_lookup');
}

/** PostgreSQL statements (each on its own: PGlite and prepared clients take one at a time). */
export function postgresLookupSchema(table: string): string[] {
  const { schema, name } = parts(table);
  const idx = lookupTable(table);
  const fn = schema + derived(name, '_lookup_sync');
  const trigger = (suffix: string, event: string, when: string): string => `DO $mfakit$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'mfakit_lookup_${suffix}' AND tgrelid = '${table}'::regclass) THEN
    CREATE TRIGGER mfakit_lookup_${suffix} AFTER ${event} ON ${table} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION ${fn}();
  END IF;
END $mfakit$`;
  return [
    `CREATE TABLE IF NOT EXISTS ${idx} (
  key text PRIMARY KEY,
  id text NOT NULL
)`,
    `CREATE INDEX IF NOT EXISTS ${derived(name, '_lookup_id')} ON ${idx} (id)`,
    `DO $mfakit$ BEGIN
  IF to_regprocedure('${fn}()') IS NULL THEN
    CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        DELETE FROM ${idx} WHERE id = OLD.id;
      END IF;
      IF TG_OP <> 'DELETE' AND jsonb_typeof(NEW.record -> 'lookupKeys') = 'array' THEN
        INSERT INTO ${idx} (key, id)
          SELECT e.v #>> '{}', NEW.id FROM jsonb_array_elements(NEW.record -> 'lookupKeys') AS e(v) WHERE jsonb_typeof(e.v) = 'string';
      END IF;
      RETURN NULL;
    END $body$;
  END IF;
END $mfakit$`,
    trigger('ins', 'INSERT', `NEW.record ? 'lookupKeys'`),
    trigger('upd', 'UPDATE', `OLD.record -> 'lookupKeys' IS DISTINCT FROM NEW.record -> 'lookupKeys'`),
    trigger('del', 'DELETE', `OLD.record ? 'lookupKeys'`),
  ];
}

/** SQLite DDL (one `exec`); statements inside a trigger name tables without their schema. */
export function sqliteLookupSchema(table: string): string {
  const { schema, name } = parts(table);
  const idx = derived(name, '_lookup');
  // A row whose data is not JSON (written by hand) indexes nothing, and must not fail its write.
  const keys = (row: string): string => `CASE WHEN json_valid(${row}.data) THEN json_extract(${row}.data, '$.lookupKeys') END`;
  const data = `CASE WHEN json_valid(NEW.data) THEN NEW.data ELSE '{}' END`;
  const insert = `INSERT INTO ${idx} (key, id) SELECT value, NEW.id FROM json_each(${data}, '$.lookupKeys')
    WHERE type = 'text' AND json_type(${data}, '$.lookupKeys') = 'array';`;
  return `
CREATE TABLE IF NOT EXISTS ${schema}${idx} (
  key TEXT NOT NULL PRIMARY KEY,
  id  TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS ${schema}${derived(name, '_lookup_id')} ON ${idx} (id);
CREATE TRIGGER IF NOT EXISTS ${schema}${derived(name, '_lookup_ins')} AFTER INSERT ON "${name}"
WHEN ${keys('NEW')} IS NOT NULL
BEGIN
  ${insert}
END;
CREATE TRIGGER IF NOT EXISTS ${schema}${derived(name, '_lookup_upd')} AFTER UPDATE OF data ON "${name}"
WHEN ${keys('OLD')} IS NOT ${keys('NEW')}
BEGIN
  DELETE FROM ${idx} WHERE id = OLD.id;
  ${insert}
END;
CREATE TRIGGER IF NOT EXISTS ${schema}${derived(name, '_lookup_del')} AFTER DELETE ON "${name}"
WHEN ${keys('OLD')} IS NOT NULL
BEGIN
  DELETE FROM ${idx} WHERE id = OLD.id;
END;`;
}
