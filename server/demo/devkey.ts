/**
 * The development key: when JWT_SECRET_KEY is not set, `npm start` still needs
 * an HMAC key. A random key that nobody can see makes the tutorial's steps that
 * need the secret impossible (checking a signature on the page, `jwt explain
 * --key`), and one that changes on every start logs everyone out. So it is
 * generated once, kept in the data directory with owner-only permissions (the
 * directory 0700, the file 0600), reused on the next start, and the start-up
 * message says where it is and how to use it.
 *
 * 64 random bytes, written as base64url text (86 characters): long enough for
 * HS512 (RFC 7518 §3.2), so any JWT_ALGORITHM / JWT_DECODE_ALGORITHMS works.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DevKey {
  readonly key: string;
  readonly path: string;
  readonly created: boolean;
}

export const DEV_KEY_FILE = 'jwt-secret.key';

/** Reads the key kept in `directory`, or makes and keeps a new one. */
export function loadOrCreateDevKey(directory: string): DevKey {
  const path = join(directory, DEV_KEY_FILE);
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (text !== undefined) {
    if (text.length < 64) throw new Error(`${path} holds ${text.length} characters; delete it to have a new 64-byte key made`);
    return { key: text, path, created: false };
  }
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const key = randomBytes(64).toString('base64url');
  // 'wx': never overwrite a key another process has just written.
  writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600); // in case the umask widened nothing, or the file system ignores mode
  return { key, path, created: true };
}
