// Entry for the server runtimes (Node, Bun, Deno): run from the packed app's directory, so 'mfakit'
// resolves to the installed tarball. Prints one line `SMOKE <json>` for the test to parse.
import * as mfakit from 'mfakit';
import * as qr from 'mfakit/qr';
import { smoke } from './smoke.mjs';

const results = await smoke({ mfakit, qr });
const resolved = typeof import.meta.resolve === 'function' ? import.meta.resolve('mfakit') : null;
const runtime = globalThis.Deno ? `deno ${globalThis.Deno.version.deno}` : globalThis.Bun ? `bun ${globalThis.Bun.version}` : `node ${process.versions.node}`;
console.log(`SMOKE ${JSON.stringify({ runtime, resolved, results })}`);
