// The conformance suite on bun:sqlite: run by sqlite-drivers.test.ts with `bun test`, whose runner
// serves the suite's `vitest` imports (describe/it/expect/hooks) from bun:test.
import { builtInDriverConformance, type SqliteConnectionClass } from '../../support/sqlite-conformance-runs.js';
import { runtimeName } from './runtime-name.js';

const sqliteModule = 'bun:sqlite';
const { Database } = (await import(sqliteModule)) as { Database: SqliteConnectionClass };
builtInDriverConformance('bun:sqlite', runtimeName(), Database);
