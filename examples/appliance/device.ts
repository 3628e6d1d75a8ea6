// What the appliance takes from its platform: the built-in SQLite of the runtime (node:sqlite on
// Node ≥ 22.16 and Deno, bun:sqlite on Bun; no native add-on to cross-compile) and the key that seals
// the TOTP secrets, read from a file (on real hardware: a secure element or a read-protected partition).
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { aesGcmCipher, MfaError, type SecretCipher } from 'mfakit';
import type { SqliteDatabase } from 'mfakit/sqlite';

export async function openDatabase(file: string): Promise<SqliteDatabase & { close(): void }> {
  if ('Bun' in globalThis) {
    const { Database } = await import('bun:sqlite' as string);
    const db = new Database(file);
    db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;');
    return db;
  }
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;');
  return db;
}

/**
 * The sealing key: 32 bytes in `file`. First boot (no file) provisions one from the platform RNG,
 * readable by the service only. A file of another size is a configuration error, never a new key:
 * replacing the key would make every enrolled secret unreadable.
 */
export function cipherFromKeyFile(file: string): SecretCipher {
  if (!existsSync(file)) {
    writeFileSync(file, crypto.getRandomValues(new Uint8Array(32)), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  const key = new Uint8Array(readFileSync(file));
  if (key.length !== 32) throw new MfaError('INVALID_OPTION', `the key file must hold 32 bytes, it holds ${key.length}`);
  return aesGcmCipher({ keys: { device: key }, current: 'device' });
}
