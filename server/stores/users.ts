/**
 * The demo's users: password hashing (passwords.ts) over a store's records
 * (store.ts), wherever they live.
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
import { MemoryUserRecords } from './memory.js';
import { DEFAULT_SCRYPT, hashPassword, verifyPassword, type ScryptParameters } from './passwords.js';
import type { MaybePromise } from './maybe.js';
import type { UserRecords } from './store.js';
import { WorkQueue } from './workqueue.js';

export interface User {
  readonly username: string;
}

export interface UserStore {
  /** Creates a user; false when the name is taken. */
  create(username: string, password: string): Promise<boolean>;
  /** The user when the password is right, otherwise undefined. */
  authenticate(username: string, password: string): Promise<User | undefined>;
  /** Answered at once by a store that holds its users in memory (see MaybePromise). */
  get(username: string): MaybePromise<User | undefined>;
  /** Deletes a user; false when there was none. */
  delete(username: string): Promise<boolean>;
}

export interface UserStoreOptions {
  readonly scrypt?: ScryptParameters;
  /** Shared by every hash this store computes. Default: one per core, 32 waiting. */
  readonly queue?: WorkQueue;
}

export class PasswordUserStore implements UserStore {
  readonly #records: UserRecords;
  readonly #scrypt: ScryptParameters;
  readonly #queue: WorkQueue;
  /** Compared against when the user does not exist, to keep timing uniform (made with the same parameters). */
  readonly #decoy: Promise<string>;

  constructor(records: UserRecords, options: UserStoreOptions = {}) {
    this.#records = records;
    this.#scrypt = options.scrypt ?? DEFAULT_SCRYPT;
    this.#queue = options.queue ?? new WorkQueue(availableParallelism(), 32);
    this.#decoy = hashPassword(randomBytes(16).toString('hex'), this.#scrypt);
  }

  async create(username: string, password: string): Promise<boolean> {
    // Spare the hash when the name is taken; the store's create decides atomically (another registration may finish while we hash).
    if ((await this.#records.hash(username)) !== undefined) return false;
    const hash = await this.#queue.run(() => hashPassword(password, this.#scrypt));
    return this.#records.create(username, hash);
  }

  async authenticate(username: string, password: string): Promise<User | undefined> {
    const stored = await this.#records.hash(username);
    const target = stored ?? (await this.#decoy);
    const matches = await this.#queue.run(() => verifyPassword(password, target));
    return stored !== undefined && matches ? { username } : undefined;
  }

  get(username: string): MaybePromise<User | undefined> {
    const hash = this.#records.hash(username);
    const user = (stored: string | undefined): User | undefined => (stored === undefined ? undefined : { username });
    return hash instanceof Promise ? hash.then(user) : user(hash);
  }

  delete(username: string): Promise<boolean> {
    return this.#records.delete(username);
  }
}

/** Users in memory (the memory store's records), for tests. */
export class MemoryUserStore extends PasswordUserStore {
  constructor(options: UserStoreOptions = {}) {
    super(new MemoryUserRecords(), options);
  }
}
