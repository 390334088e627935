/**
 * The demo's user store: usernames and scrypt password hashes (RFC 7914).
 *
 * Each password gets its own random 16-byte salt; hashes are compared in
 * constant time; and a login for an unknown user still runs scrypt, so the
 * response time does not tell whether the username exists.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface User {
  readonly username: string;
}

export interface UserStore {
  /** Creates a user; false when the name is taken. */
  create(username: string, password: string): Promise<boolean>;
  /** The user when the password is right, otherwise undefined. */
  authenticate(username: string, password: string): Promise<User | undefined>;
  get(username: string): Promise<User | undefined>;
  /** Deletes a user; false when there was none. */
  delete(username: string): Promise<boolean>;
}

interface StoredUser {
  readonly user: User;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

const KEY_LENGTH = 64;

function hashPassword(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // Node's defaults: N = 2^14, r = 8, p = 1 (about 16 MiB and tens of ms per hash).
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export class MemoryUserStore implements UserStore {
  readonly #users = new Map<string, StoredUser>();
  /** Compared against when the user does not exist, to keep timing uniform. */
  readonly #decoy: Promise<StoredUser>;

  constructor() {
    const salt = randomBytes(16);
    this.#decoy = hashPassword(randomBytes(16).toString('hex'), salt).then((hash) => ({ user: { username: '' }, salt, hash }));
  }

  async create(username: string, password: string): Promise<boolean> {
    if (this.#users.has(username)) return false;
    const salt = randomBytes(16);
    const hash = await hashPassword(password, salt);
    // Checked again: another registration may have finished while we hashed.
    if (this.#users.has(username)) return false;
    this.#users.set(username, { user: { username }, salt, hash });
    return true;
  }

  async authenticate(username: string, password: string): Promise<User | undefined> {
    const record = this.#users.get(username);
    const target = record ?? (await this.#decoy);
    const hash = await hashPassword(password, target.salt);
    const matches = timingSafeEqual(hash, target.hash);
    return record !== undefined && matches ? record.user : undefined;
  }

  get(username: string): Promise<User | undefined> {
    return Promise.resolve(this.#users.get(username)?.user);
  }

  delete(username: string): Promise<boolean> {
    return Promise.resolve(this.#users.delete(username));
  }
}
