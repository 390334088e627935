/**
 * The seam between the server and its state: users and revocations, behind
 * async interfaces, so the same server runs on memory (tests), a durable file
 * (one process) or Redis (any number of processes). Every operation that would
 * race as check-then-act is one atomic call here: create a user if absent,
 * merge a subject's revocation, delete an account and revoke its tokens.
 *
 * A store that cannot answer throws StoreUnavailableError, which the server
 * answers with 503: an unknown revocation status never becomes a 200.
 */
import type { BlocklistStore } from './blocklist.js';
import type { MaybePromise } from './maybe.js';
import type { SessionStore } from './sessions.js';

/** Password hashes (PHC strings, passwords.ts), by canonical username. */
export interface UserRecords {
  /** Stores `hash` for `username` unless the name is taken; false when it is. Atomic. */
  create(username: string, hash: string): Promise<boolean>;
  /** The stored hash, or undefined when there is no such user. */
  hash(username: string): MaybePromise<string | undefined>;
  /** Deletes a user; false when there was none. */
  delete(username: string): Promise<boolean>;
}

export type StoreKind = 'memory' | 'file' | 'redis';

export interface Store {
  readonly kind: StoreKind;
  /** For the start-up message: where the state lives and what survives what. */
  readonly description: string;
  /** Whether several server processes may use this store at once. */
  readonly shared: boolean;
  readonly users: UserRecords;
  readonly blocklist: BlocklistStore;
  /** Login sessions, for refresh-token rotation (JWT_REFRESH_TOKEN_ROTATION). */
  readonly sessions: SessionStore;
  /**
   * Deletes an account and revokes every token issued to it up to `issuedUpTo`
   * (kept until `until`), as one atomic step: no one can observe the account
   * gone but its tokens still valid. False when there was no such user (the
   * revocation is recorded anyway).
   */
  deleteAccount(username: string, issuedUpTo: number, until: number | undefined): Promise<boolean>;
  /** Resolves when the store answers (GET /health), throws StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The store did not answer (down, timed out, or broken by a failed write): the server answers 503. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** A store that cannot be opened: a malformed STORE_URL, a locked or corrupted file store. */
export class StoreSetupError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StoreSetupError';
  }
}
