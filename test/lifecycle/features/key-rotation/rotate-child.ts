// Child process of reencrypt-crash.test.ts: runs reencryptAll over a SQLite file with the cipher it
// is given and prints one JSON line of progress per page. The parent SIGKILLs it mid-run.
// Env: DB (file), KEYS (JSON { id: base64 }), CURRENT (key id), BATCH (page size), PAUSE (ms between pages).
import Database from 'better-sqlite3';
import { aesGcmCipher } from '../../../../src/aes-gcm-cipher.js';
import { reencryptAll } from '../../../../src/lifecycle/features/key-rotation/reencrypt.js';
import { sqliteStore } from '../../../../src/stores/sqlite.js';

const db = new Database(process.env.DB!, { timeout: 10_000 });
db.pragma('journal_mode = WAL');
const keys = Object.fromEntries(Object.entries(JSON.parse(process.env.KEYS!) as Record<string, string>).map(([id, b64]) => [id, new Uint8Array(Buffer.from(b64, 'base64'))]));
const cipher = aesGcmCipher({ keys, current: process.env.CURRENT! });
const store = sqliteStore({ client: db });
const pause = Number(process.env.PAUSE ?? 0);
for await (const progress of reencryptAll(store, cipher, { batchSize: Number(process.env.BATCH ?? 20) })) {
  process.stdout.write(`${JSON.stringify(progress)}\n`);
  if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
}
db.close();
