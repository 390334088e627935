/**
 * The blocklist: token ids (`jti`) that were revoked before they expired.
 *
 * Behind an interface so a shared store (Redis, a database) can replace the
 * in-memory one when the server runs as several processes. The in-memory store
 * forgets an entry once its token would have expired anyway: an expired token
 * is refused for that reason, so remembering it longer only costs memory.
 */

export interface BlocklistStore {
  /** Revokes `jti` until `expiresAt` (seconds since 1970), or forever when undefined. */
  add(jti: string, expiresAt: number | undefined): Promise<void>;
  has(jti: string): Promise<boolean>;
}

export class MemoryBlocklist implements BlocklistStore {
  readonly #entries = new Map<string, number>();
  readonly #now: () => number;
  /** Entries are swept when the map has doubled since the last sweep: amortised O(1) per add. */
  #sweepAt = 1024;

  constructor(now: () => number = () => Date.now() / 1000) {
    this.#now = now;
  }

  add(jti: string, expiresAt: number | undefined): Promise<void> {
    this.#entries.set(jti, expiresAt ?? Number.POSITIVE_INFINITY);
    if (this.#entries.size >= this.#sweepAt) {
      this.sweep();
      this.#sweepAt = Math.max(1024, this.#entries.size * 2);
    }
    return Promise.resolve();
  }

  has(jti: string): Promise<boolean> {
    const expiresAt = this.#entries.get(jti);
    if (expiresAt === undefined) return Promise.resolve(false);
    if (expiresAt <= this.#now()) {
      this.#entries.delete(jti);
      return Promise.resolve(false);
    }
    return Promise.resolve(true);
  }

  /** Drops every entry whose token has expired. */
  sweep(): void {
    const now = this.#now();
    for (const [jti, expiresAt] of this.#entries) if (expiresAt <= now) this.#entries.delete(jti);
  }

  get size(): number {
    return this.#entries.size;
  }
}
