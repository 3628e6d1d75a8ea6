// The conformance suite on node:sqlite's DatabaseSync: run by sqlite-drivers.test.ts under Node 22,
// Node 24 (vitest) and Deno (vitest under Deno). Not a *.test.ts file: Node 20 has no node:sqlite.
import { builtInDriverConformance, type SqliteConnectionClass } from '../../support/sqlite-conformance-runs.js';
import { runtimeName } from './runtime-name.js';

// A computed specifier: the project's @types/node (20) does not know node:sqlite.
const sqliteModule = 'node:sqlite';
const { DatabaseSync } = (await import(sqliteModule)) as { DatabaseSync: SqliteConnectionClass };
builtInDriverConformance('node:sqlite', runtimeName(), DatabaseSync);
