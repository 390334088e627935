/**
 * The blocklist: what was revoked before it expired.
 *
 *   - a token, by its `jti` (logout);
 *   - every token issued to a subject up to a moment (account deletion): the
 *     name may be registered again, and the old tokens, whose `sub` is that name,
 *     must not open the new account.
 *
 * A revocation is kept until the token could no longer be accepted anyway: its
 * `exp` plus the verifier's leeway (the caller passes that moment). Dropping it
 * at `exp` would bring the token back during the leeway.
 *
 * Behind an interface so a shared store (Redis, redis.ts) can replace the
 * in-memory one when the server runs as several processes.
 */
import type { MaybePromise } from './maybe.js';

export interface BlocklistStore {
  /** Revokes `jti` until `until` (seconds since 1970), or forever when undefined. */
  add(jti: string, until: number | undefined): Promise<void>;
  has(jti: string): Promise<boolean>;
  /** Revokes every token of `subject` issued at or before `issuedUpTo` (whole seconds), kept until `until`. */
  revokeSubject(subject: string, issuedUpTo: number, until: number | undefined): Promise<void>;
  /** The latest `issuedUpTo` recorded for `subject`, if any. */
  subjectRevokedUpTo(subject: string): Promise<number | undefined>;
  /** Revokes every token of a login session (its `sid`, sessions.ts) until `until`, or for good. */
  revokeSession(sid: string, until: number | undefined): Promise<void>;
  /**
   * Whether a token is revoked: its `jti` on the list, its session revoked, or
   * its subject's tokens revoked up to a moment at or after its `iat`. One call
   * per request.
   */
  isRevoked(jti: unknown, subject: unknown, iat: unknown, sid?: unknown): MaybePromise<boolean>;
}

export interface SubjectRevocation {
  readonly issuedUpTo: number;
  readonly until: number;
}

export class MemoryBlocklist implements BlocklistStore {
  readonly #entries = new Map<string, number>();
  readonly #sessions = new Map<string, number>();
  readonly #subjects = new Map<string, SubjectRevocation>();
  readonly #now: () => number;
  /** Entries are swept when the map has doubled since the last sweep: amortised O(1) per add. */
  #sweepAt = 1024;

  constructor(now: () => number = () => Date.now() / 1000) {
    this.#now = now;
  }

  add(jti: string, until: number | undefined): Promise<void> {
    this.#entries.set(jti, until ?? Number.POSITIVE_INFINITY);
    if (this.#entries.size >= this.#sweepAt) {
      this.sweep();
      this.#sweepAt = Math.max(1024, this.#entries.size * 2);
    }
    return Promise.resolve();
  }

  has(jti: string): Promise<boolean> {
    const until = this.#entries.get(jti);
    if (until === undefined) return Promise.resolve(false);
    if (until <= this.#now()) {
      this.#entries.delete(jti);
      return Promise.resolve(false);
    }
    return Promise.resolve(true);
  }

  revokeSubject(subject: string, issuedUpTo: number, until: number | undefined): Promise<void> {
    const previous = this.#subjects.get(subject);
    this.#subjects.set(subject, {
      issuedUpTo: Math.max(issuedUpTo, previous?.issuedUpTo ?? issuedUpTo),
      until: Math.max(until ?? Number.POSITIVE_INFINITY, previous?.until ?? 0),
    });
    return Promise.resolve();
  }

  subjectRevokedUpTo(subject: string): Promise<number | undefined> {
    const entry = this.#subjects.get(subject);
    if (entry !== undefined && entry.until <= this.#now()) {
      this.#subjects.delete(subject);
      return Promise.resolve(undefined);
    }
    return Promise.resolve(entry?.issuedUpTo);
  }

  revokeSession(sid: string, until: number | undefined): Promise<void> {
    this.#sessions.set(sid, Math.max(until ?? Number.POSITIVE_INFINITY, this.#sessions.get(sid) ?? 0));
    return Promise.resolve();
  }

  isRevoked(jti: unknown, subject: unknown, iat: unknown, sid?: unknown): boolean {
    const now = this.#now();
    if (typeof jti === 'string') {
      const until = this.#entries.get(jti);
      if (until !== undefined && until > now) return true;
    }
    if (typeof sid === 'string' && this.#sessions.size > 0) {
      const until = this.#sessions.get(sid);
      if (until !== undefined && until > now) return true;
    }
    if (typeof subject !== 'string' || this.#subjects.size === 0) return false;
    const entry = this.#subjects.get(subject);
    if (entry === undefined || entry.until <= now) return false;
    // A token without a numeric iat cannot show it came after the revocation.
    return typeof iat !== 'number' || iat <= entry.issuedUpTo;
  }

  /** The revocations still in force (expired ones left out), for a snapshot of the file store. */
  snapshot(): { readonly tokens: [string, number][]; readonly sessions: [string, number][]; readonly subjects: [string, SubjectRevocation][] } {
    this.sweep();
    return { tokens: [...this.#entries], sessions: [...this.#sessions], subjects: [...this.#subjects] };
  }

  /** Drops every entry whose token can no longer be accepted anyway. */
  sweep(): void {
    const now = this.#now();
    for (const [jti, until] of this.#entries) if (until <= now) this.#entries.delete(jti);
    for (const [sid, until] of this.#sessions) if (until <= now) this.#sessions.delete(sid);
    for (const [subject, entry] of this.#subjects) if (entry.until <= now) this.#subjects.delete(subject);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Revoked tokens and subjects held (expired ones included until the next sweep). */
  get count(): number {
    return this.#entries.size + this.#sessions.size + this.#subjects.size;
  }
}
