// The example's user directory: in memory, seeded at start-up. Your application has its own users
// table and password hashing; mfakit only needs a stable user id (here the `uid`).
import { randomUUID, scrypt, scryptSync, timingSafeEqual, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

// scrypt costs tens of milliseconds on purpose: run it on libuv's thread pool, never on the event
// loop, or every request waits behind every password check.
const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

export interface User {
  readonly uid: string;
  readonly userName: string;
  readonly admin: boolean;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

export interface UserSeed {
  readonly userName: string;
  readonly password: string;
  readonly admin?: boolean;
  readonly uid?: string;
}

export function userDirectory(seeds: readonly UserSeed[]) {
  const byUid = new Map<string, User>();
  const byName = new Map<string, User>();
  for (const seed of seeds) {
    const salt = randomBytes(16);
    const user: User = {
      uid: seed.uid ?? randomUUID(),
      userName: seed.userName,
      admin: seed.admin === true,
      salt,
      // Once at start-up, before the server listens.
      hash: scryptSync(seed.password, salt, 32),
    };
    byUid.set(user.uid, user);
    byName.set(user.userName, user);
  }
  return {
    byUid: (uid: string) => byUid.get(uid) ?? null,
    byName: (userName: string) => byName.get(userName) ?? null,
    /** The account password (first factor): scrypt off the event loop, constant-time compare. */
    async checkPassword(user: User, password: string): Promise<boolean> {
      return timingSafeEqual(await scryptAsync(password, user.salt, 32), user.hash);
    },
  };
}

export type UserDirectory = ReturnType<typeof userDirectory>;
