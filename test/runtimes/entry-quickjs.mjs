// Entry for QuickJS, the stand-in for appliance firmware: bundled by esbuild (ES2020, one script)
// from the packed app and evaluated in an engine with no TextEncoder, crypto, Buffer, process or
// timers. The only capability mfakit gets is the rng below, written here as an embedder would
// wire its hardware RNG (a seeded xorshift32 for the test: deterministic, NOT secure).
import * as mfakit from 'mfakit';
import { smoke } from './smoke.mjs';

let state = 0x2545f491;
function rng(byteLength) {
  const out = new Uint8Array(byteLength);
  for (let i = 0; i < byteLength; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = state & 0xff;
  }
  return out;
}

smoke({ mfakit, qr: null, rng }).then(
  (results) => { globalThis.__smoke = JSON.stringify({ results }); },
  (err) => { globalThis.__smoke = JSON.stringify({ error: String(err && err.stack ? err.stack : err) }); },
);
