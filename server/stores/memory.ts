/**
 * The memory store (`STORE_URL=memory:`): today's state in plain Maps, for
 * tests and throwaway runs. Nothing survives a restart, and a second process
 * sees none of it. The file store keeps one of these in memory and logs every
 * change to disk.
 */
import { MemoryBlocklist } from './blocklist.js';
import { MemorySessionStore } from './sessions.js';
import type { Store, UserRecords } from './store.js';

export class MemoryUserRecords implements UserRecords {
  readonly #hashes = new Map<string, string>();

  /** Checked and set in one synchronous step: two racing registrations cannot both win. */
  create(username: string, hash: string): Promise<boolean> {
    return Promise.resolve(this.createNow(username, hash));
  }

  /** `create`, answered at once (the file store logs the change in the same step). */
  createNow(username: string, hash: string): boolean {
    if (this.#hashes.has(username)) return false;
    this.#hashes.set(username, hash);
    return true;
  }

  hash(username: string): string | undefined {
    return this.#hashes.get(username);
  }

  delete(username: string): Promise<boolean> {
    return Promise.resolve(this.#hashes.delete(username));
  }

  deleteNow(username: string): boolean {
    return this.#hashes.delete(username);
  }

  /** Every user and hash, for a snapshot of the file store. */
  entries(): IterableIterator<[string, string]> {
    return this.#hashes.entries();
  }

  get size(): number {
    return this.#hashes.size;
  }
}

export class MemoryStore implements Store {
  readonly kind = 'memory';
  readonly description = 'the memory store: nothing survives a restart, and no other process shares it (STORE_URL=memory:)';
  readonly shared = false;
  readonly users: MemoryUserRecords;
  readonly blocklist: MemoryBlocklist;
  readonly sessions: MemorySessionStore;

  constructor(now: () => number = () => Date.now() / 1000) {
    this.users = new MemoryUserRecords();
    this.blocklist = new MemoryBlocklist(now);
    this.sessions = new MemorySessionStore((sid, until) => void this.blocklist.revokeSession(sid, until), now);
  }

  async deleteAccount(username: string, issuedUpTo: number, until: number | undefined): Promise<boolean> {
    // Revoked first: anyone looking in between sees the tokens revoked and the account still there, never the reverse.
    await this.blocklist.revokeSubject(username, issuedUpTo, until);
    return this.users.delete(username);
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
