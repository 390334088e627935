/**
 * Login sessions ("families") for refresh-token rotation (beyond
 * flask_jwt_extended; RFC 9700 §4.14.2): each login starts a session whose
 * tokens carry its id (`sid`), and whose one live refresh token is `current`.
 *
 * `rotate` is the one atomic step that makes rotation safe: the presented
 * refresh token is swapped for its successor only if it is the current one.
 * Presenting the one just before it, within the grace period, is a concurrent
 * refresh (two tabs, a retry after a lost answer): it gets the same successor
 * again, so no second chain starts. Anything older is reuse: a stolen token or
 * a stale copy. The whole session is revoked then, since the store cannot tell
 * the thief from the user.
 */

/** One login session, as stored. Times are seconds since 1970. */
export interface Session {
  readonly id: string;
  readonly user: string;
  readonly created: number;
  /** When it was last rotated, or null. */
  readonly refreshed: number | null;
  /** The client at login. */
  readonly address: string;
  readonly userAgent: string;
  /** The `jti` of the live refresh token. */
  readonly current: string;
  /** The last rotation: which token it consumed, what it issued, and when. */
  readonly previous: { readonly jti: string; readonly next: string; readonly iat: number; readonly at: number } | null;
  /** Until when any of its tokens could be accepted (the latest refresh token's exp + leeway); null: for good. */
  readonly until: number | null;
}

export type Rotation =
  /** The presented token was the current one: `next` is current now. */
  | { readonly kind: 'rotated' }
  /** The one just before, within the grace period: issue the same successor again. */
  | { readonly kind: 'repeated'; readonly jti: string; readonly iat: number }
  /** Reuse: the session is revoked now. */
  | { readonly kind: 'reused' }
  /** No such session (expired, revoked, or never). */
  | { readonly kind: 'unknown' };

export interface RotationRequest {
  readonly id: string;
  readonly presented: string;
  readonly next: { readonly jti: string; readonly iat: number };
  readonly now: number;
  readonly grace: number;
  /** The session's new `until`: the successor's exp + leeway. */
  readonly until: number | null;
}

export interface SessionStore {
  /**
   * Records a new session. When the user then has more than `maxPerUser` live
   * sessions, the oldest are revoked (a flood of logins cannot grow the store
   * without bound, and a forgotten device's session is the one that goes).
   */
  start(session: Session, maxPerUser: number): Promise<void>;
  /** Atomic: see the file's comment. A reused token revokes the session (its `sid`, in the blocklist) before this resolves. */
  rotate(request: RotationRequest): Promise<Rotation>;
  get(id: string): Promise<Session | undefined>;
  /** The user's live sessions, oldest first. */
  list(user: string): Promise<Session[]>;
  /** Revokes one session: its tokens are refused from now on. False when there was none. */
  revoke(id: string): Promise<boolean>;
  /** Revokes every session of a user; the number revoked. */
  revokeAll(user: string): Promise<number>;
}

/** The decision `rotate` makes, on a session read in the same atomic step (memory and file stores; redis.ts has it in Lua). */
export function decide(session: Session | undefined, request: RotationRequest): { rotation: Rotation; updated?: Session } {
  if (session === undefined) return { rotation: { kind: 'unknown' } };
  if (session.current === request.presented) {
    const previous = { jti: request.presented, next: request.next.jti, iat: request.next.iat, at: request.now };
    return { rotation: { kind: 'rotated' }, updated: { ...session, current: request.next.jti, previous, refreshed: request.now, until: request.until } };
  }
  const previous = session.previous;
  if (previous !== null && previous.jti === request.presented && request.now - previous.at <= request.grace) {
    return { rotation: { kind: 'repeated', jti: previous.next, iat: previous.iat } };
  }
  return { rotation: { kind: 'reused' } };
}

/** Whether a session can still be used at `now`. */
export function live(session: Session, now: number): boolean {
  return session.until === null || session.until > now;
}

/** Sessions in memory; also the file store's in-memory state (it logs what the `…Now` methods change). */
export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #byUser = new Map<string, Set<string>>();
  readonly #revokeSession: (sid: string, until: number | undefined) => void;
  readonly #now: () => number;

  constructor(revokeSession: (sid: string, until: number | undefined) => void, now: () => number) {
    this.#revokeSession = revokeSession;
    this.#now = now;
  }

  put(session: Session): void {
    this.#sessions.set(session.id, session);
    let ids = this.#byUser.get(session.user);
    if (ids === undefined) this.#byUser.set(session.user, (ids = new Set()));
    ids.add(session.id);
  }

  /** Forgets a session (revoked or expired); returns it if it was there. */
  remove(id: string): Session | undefined {
    const session = this.#sessions.get(id);
    if (session === undefined) return undefined;
    this.#sessions.delete(id);
    const ids = this.#byUser.get(session.user);
    ids?.delete(id);
    if (ids?.size === 0) this.#byUser.delete(session.user);
    return session;
  }

  #find(id: string): Session | undefined {
    const session = this.#sessions.get(id);
    if (session !== undefined && !live(session, this.#now())) {
      this.remove(id);
      return undefined;
    }
    return session;
  }

  /** Decides and applies a rotation in one synchronous step; for reuse, also the revocation. */
  rotateNow(request: RotationRequest): { rotation: Rotation; changed?: Session; revoked?: Session } {
    const { rotation, updated } = decide(this.#find(request.id), request);
    if (updated !== undefined) {
      this.put(updated);
      return { rotation, changed: updated };
    }
    if (rotation.kind === 'reused') {
      const revoked = this.revokeNow(request.id);
      return revoked === undefined ? { rotation } : { rotation, revoked };
    }
    return { rotation };
  }

  /** Revokes a session in one synchronous step; returns it if it was there. */
  revokeNow(id: string): Session | undefined {
    const session = this.remove(id);
    if (session !== undefined) this.#revokeSession(id, session.until ?? undefined);
    return session;
  }

  ids(user: string): string[] {
    return [...(this.#byUser.get(user) ?? [])];
  }

  /** Every session still live, for a snapshot of the file store. */
  all(): Session[] {
    return [...this.#sessions.values()].filter((session) => live(session, this.#now()));
  }

  /** Records a session and revokes the user's oldest beyond `maxPerUser`, in one synchronous step; returns those revoked. */
  startNow(session: Session, maxPerUser: number): Session[] {
    this.put(session);
    const live = this.ids(session.user).map((id) => this.#find(id)).filter((found): found is Session => found !== undefined);
    if (live.length <= maxPerUser) return [];
    live.sort((a, b) => a.created - b.created);
    return live.slice(0, live.length - maxPerUser).map((old) => this.revokeNow(old.id)).filter((old): old is Session => old !== undefined);
  }

  start(session: Session, maxPerUser: number): Promise<void> {
    this.startNow(session, maxPerUser);
    return Promise.resolve();
  }

  rotate(request: RotationRequest): Promise<Rotation> {
    return Promise.resolve(this.rotateNow(request).rotation);
  }

  get(id: string): Promise<Session | undefined> {
    return Promise.resolve(this.#find(id));
  }

  list(user: string): Promise<Session[]> {
    const sessions = this.ids(user).map((id) => this.#find(id)).filter((session): session is Session => session !== undefined);
    return Promise.resolve(sessions.sort((a, b) => a.created - b.created));
  }

  revoke(id: string): Promise<boolean> {
    return Promise.resolve(this.revokeNow(id) !== undefined);
  }

  revokeAll(user: string): Promise<number> {
    return Promise.resolve(this.ids(user).filter((id) => this.revokeNow(id) !== undefined).length);
  }
}
