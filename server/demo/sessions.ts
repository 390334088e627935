/**
 * Refresh-token rotation with reuse detection, and sessions a user can see and
 * end (beyond flask_jwt_extended, on with JWT_REFRESH_TOKEN_ROTATION; RFC 9700
 * §4.14.2). Each login starts a session; its tokens carry the session's id as
 * `sid` (the claim OpenID Connect registers for a session id).
 *
 *   login ──► R1 ──/refresh──► R2 ──/refresh──► R3 …   one live refresh token per session
 *              │
 *              └─ R1 again, later: reuse ──► the whole session revoked, every token of it
 *
 * Presenting the token just replaced again within JWT_REFRESH_REUSE_GRACE
 * seconds (two tabs refreshing at once, a retry after a lost answer) gets the
 * same successor (the same `jti`) again: the honest user stays logged in and
 * no second chain starts. Only the immediately preceding token gets this, as
 * Auth0's reuse interval and Supabase's do (django-oauth-toolkit #1617 is what
 * happens otherwise).
 */
import { randomUUID } from 'node:crypto';
import type { Handler } from '../http/app.js';
import type { Context } from '../http/context.js';
import { HttpError, json, type Reply } from '../http/reply.js';
import type { Router } from '../http/router.js';
import { getJwt, getJwtIdentity, getJwtRequestLocation, jwtRequired, setAccessCookies, setRefreshCookies, type JwtManager } from '../jwt/index.js';
import type { Session } from '../stores/sessions.js';
import type { Store } from '../stores/store.js';

export interface SessionOptions {
  readonly manager: JwtManager;
  readonly store: Store;
  /** Seconds during which the refresh token just replaced still gets the same successor. */
  readonly grace: number;
}

export interface Tokens {
  readonly access: string;
  readonly refresh: string;
}

export interface Sessions {
  /** Starts a session for a login; its first access (fresh) and refresh tokens. */
  login(ctx: Context, username: string): Promise<Tokens>;
  /** POST /refresh with rotation. */
  readonly refresh: Handler;
  /** Revokes the session of a token's claims, if it has one; true if it had. */
  revokeOf(claims: Readonly<Record<string, unknown>>): Promise<boolean>;
  /** GET /sessions, DELETE /sessions, DELETE /sessions/:id. */
  addRoutes(router: Router<Handler>): void;
}

export const REUSE_MESSAGE = 'Refresh token reuse detected: every token of this session has been revoked; log in again';

/** Live sessions a user may have; a login beyond that ends the oldest (README: sessions). */
export const MAX_SESSIONS_PER_USER = 100;

export function createSessions({ manager, store, grace }: SessionOptions): Sessions {
  const { config } = manager;
  const leeway = config.JWT_DECODE_LEEWAY;
  const lifetime = config.JWT_REFRESH_TOKEN_EXPIRES;

  /** A refresh token with a given jti and iat (so a repeated rotation issues the same token identity). */
  const refreshToken = (username: string, sid: string, jti: string, iat: number): string => {
    const claims: Record<string, unknown> = { sid, jti, iat, ...(config.JWT_ENCODE_NBF ? { nbf: iat } : {}) };
    if (lifetime !== false && lifetime > 0) claims['exp'] = iat + lifetime;
    return manager.createRefreshToken(username, { additionalClaims: claims });
  };
  const until = (iat: number): number | null => (lifetime === false || lifetime <= 0 ? null : iat + lifetime + leeway);

  async function login(ctx: Context, username: string): Promise<Tokens> {
    const sid = randomUUID();
    const jti = randomUUID();
    const now = Math.floor(manager.now());
    const session: Session = {
      id: sid,
      user: username,
      created: now,
      refreshed: null,
      address: ctx.clientAddress,
      userAgent: (ctx.header('user-agent') ?? '').slice(0, 200),
      current: jti,
      previous: null,
      until: until(now),
    };
    await store.sessions.start(session, MAX_SESSIONS_PER_USER);
    return { access: manager.createAccessToken(username, { fresh: true, additionalClaims: { sid } }), refresh: refreshToken(username, sid, jti, now) };
  }

  const refresh = jwtRequired(manager, { refresh: true })(async (ctx): Promise<Reply> => {
    const { sid, jti } = getJwt(ctx);
    const username = getJwtIdentity(ctx);
    if (typeof sid !== 'string' || typeof jti !== 'string' || typeof username !== 'string') {
      throw new HttpError(401, 'This refresh token belongs to no session (issued before rotation was turned on): log in again');
    }
    const next = { jti: randomUUID(), iat: Math.floor(manager.now()) };
    const rotation = await store.sessions.rotate({ id: sid, presented: jti, next, now: manager.now(), grace, until: until(next.iat) });
    if (rotation.kind === 'reused') throw new HttpError(401, REUSE_MESSAGE);
    if (rotation.kind === 'unknown') throw new HttpError(401, 'Token has been revoked');
    const successor = rotation.kind === 'repeated' ? { jti: rotation.jti, iat: rotation.iat } : next;
    const tokens = {
      access: manager.createAccessToken(username, { fresh: false, additionalClaims: { sid } }),
      refresh: refreshToken(username, sid, successor.jti, successor.iat),
    };
    if (getJwtRequestLocation(ctx) === 'cookies') {
      setAccessCookies(manager, ctx, tokens.access);
      setRefreshCookies(manager, ctx, tokens.refresh);
      return json(200, { msg: 'refresh successful' });
    }
    return json(200, { access_token: tokens.access, refresh_token: tokens.refresh });
  });

  const revokeOf = async (claims: Readonly<Record<string, unknown>>): Promise<boolean> => {
    const sid = claims['sid'];
    return typeof sid === 'string' && (await store.sessions.revoke(sid));
  };

  function addRoutes(router: Router<Handler>): void {
    const describe = (session: Session, current: unknown): Record<string, unknown> => ({
      id: session.id,
      created: session.created,
      last_refreshed: session.refreshed,
      address: session.address,
      user_agent: session.userAgent,
      current: session.id === current,
    });
    router
      .add('GET', '/sessions', jwtRequired(manager)(async (ctx) => {
        const sessions = await store.sessions.list(String(getJwtIdentity(ctx)));
        return json(200, { sessions: sessions.map((session) => describe(session, getJwt(ctx)['sid'])) });
      }))
      .add('DELETE', '/sessions', jwtRequired(manager, { fresh: true })(async (ctx) => {
        const count = await store.sessions.revokeAll(String(getJwtIdentity(ctx)));
        return json(200, { msg: `Logged out everywhere: ${count} session${count === 1 ? '' : 's'} revoked`, revoked: count });
      }))
      .add('DELETE', '/sessions/:id', jwtRequired(manager)(async (ctx) => {
        const id = ctx.params['id'] ?? '';
        const session = await store.sessions.get(id);
        // Another user's session is as good as none: its id is not confirmed.
        if (session === undefined || session.user !== getJwtIdentity(ctx)) return json(404, { msg: 'No such session' });
        await store.sessions.revoke(id);
        return json(200, { msg: 'Session revoked' });
      }));
  }

  return { login, refresh, revokeOf, addRoutes };
}
