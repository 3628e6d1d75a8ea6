// CommonJS entry for Node and Bun: the same suite over the package's `require` build (dist/*.cjs),
// which CommonJS backends load. Prints one line `SMOKE <json>`, like entry-server.mjs.
const mfakit = require('mfakit');
const qr = require('mfakit/qr');

const runtime = globalThis.Bun ? `bun ${globalThis.Bun.version}` : `node ${process.versions.node}`;
import('./smoke.mjs')
  .then(({ smoke }) => smoke({ mfakit, qr }))
  .then((results) => {
    console.log(`SMOKE ${JSON.stringify({ runtime, resolved: require.resolve('mfakit'), results })}`);
  });
