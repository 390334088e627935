/**
 * The demo's user store: usernames and password hashes (passwords.ts).
 *
 * Hashes are PHC strings with their own scrypt parameters and random salt,
 * compared in constant time; a login for an unknown user still runs scrypt
 * against a decoy hash, so the response time does not tell whether the username
 * exists. Every hash runs through a bounded WorkQueue: when it is full the call
 * fails at once with QueueFullError instead of piling work up.
 *
 * Usernames arrive here already in canonical form (usernames.ts).
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { DEFAULT_SCRYPT, hashPassword, verifyPassword, type ScryptParameters } from './passwords.js';
import { WorkQueue } from './workqueue.js';

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

export interface UserStoreOptions {
  readonly scrypt?: ScryptParameters;
  /** Shared by every hash this store computes. Default: one per core, 32 waiting. */
  readonly queue?: WorkQueue;
}

interface StoredUser {
  readonly user: User;
  /** `$scrypt$ln=…,r=…,p=…$salt$hash` */
  readonly hash: string;
}

export class MemoryUserStore implements UserStore {
  readonly #users = new Map<string, StoredUser>();
  readonly #scrypt: ScryptParameters;
  readonly #queue: WorkQueue;
  /** Compared against when the user does not exist, to keep timing uniform (made with the same parameters). */
  readonly #decoy: Promise<string>;

  constructor(options: UserStoreOptions = {}) {
    this.#scrypt = options.scrypt ?? DEFAULT_SCRYPT;
    this.#queue = options.queue ?? new WorkQueue(availableParallelism(), 32);
    this.#decoy = hashPassword(randomBytes(16).toString('hex'), this.#scrypt);
  }

  async create(username: string, password: string): Promise<boolean> {
    if (this.#users.has(username)) return false;
    const hash = await this.#queue.run(() => hashPassword(password, this.#scrypt));
    // Checked again: another registration may have finished while we hashed.
    if (this.#users.has(username)) return false;
    this.#users.set(username, { user: { username }, hash });
    return true;
  }

  async authenticate(username: string, password: string): Promise<User | undefined> {
    const record = this.#users.get(username);
    const target = record?.hash ?? (await this.#decoy);
    const matches = await this.#queue.run(() => verifyPassword(password, target));
    return record !== undefined && matches ? record.user : undefined;
  }

  get(username: string): Promise<User | undefined> {
    return Promise.resolve(this.#users.get(username)?.user);
  }

  delete(username: string): Promise<boolean> {
    return Promise.resolve(this.#users.delete(username));
  }
}
