// Entry for the browser: bundled by esbuild from the packed app, loaded by a page served from
// 127.0.0.1 (a secure context, so WebCrypto is there), results POSTed back to the serving test.
import * as mfakit from 'mfakit';
import * as qr from 'mfakit/qr';
import { smoke } from './smoke.mjs';

const report = (body) => fetch('/results', { method: 'POST', body: JSON.stringify(body) });
smoke({ mfakit, qr }).then(
  (results) => report({ runtime: navigator.userAgent, results }),
  (err) => report({ error: String(err && err.stack ? err.stack : err) }),
);
