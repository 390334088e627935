/**
 * The demo application: register, log in, call protected routes, refresh, log
 * out, as a flask_jwt_extended tutorial app does, with the same answers.
 *
 * It registers a user-lookup callback and a blocklist callback on the manager,
 * so, as in the reference, every protected route loads the user and checks
 * revocation. Beyond the reference (README, deliberate differences): users and
 * revocations live in a store (memory, file or Redis; 503 when it does not
 * answer), deleting an account revokes every token issued to it, usernames are
 * normalised, logins are throttled and bounded (429 and 503 with Retry-After),
 * and, with `rotation`, refresh tokens rotate within login sessions (sessions.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp, type Handler } from '../http/app.js';
import type { Context } from '../http/context.js';
import { HttpError, json } from '../http/reply.js';
import { Router } from '../http/router.js';
import {
  getCurrentUser,
  getJwt,
  getJwtIdentity,
  jwtErrorHandler,
  JwtManager,
  jwtRequired,
  setAccessCookies,
  setRefreshCookies,
  unsetJwtCookies,
  type JwtConfig,
} from '../jwt/index.js';
import type { BlocklistStore } from '../stores/blocklist.js';
import { MemoryStore } from '../stores/memory.js';
import type { Store } from '../stores/store.js';
import { PasswordUserStore, type User, type UserStore, type UserStoreOptions } from '../stores/users.js';
import { credentials } from './credentials.js';
import { busyIsRetry, unavailable } from './busy.js';
import { jwksRoute } from './jwks.js';
import { createSessions } from './sessions.js';
import { addPageRoutes } from './static.js';
import { LoginThrottle } from './throttle.js';

export interface DemoOptions {
  readonly config: JwtConfig;
  /** Where users and revocations live (stores/open.ts); default: a fresh memory store. */
  readonly store?: Store;
  /** Password hashing: scrypt parameters and the hashing queue. */
  readonly passwords?: UserStoreOptions;
  /** Refresh-token rotation with reuse detection (sessions.ts); off when unset, as in flask_jwt_extended. */
  readonly rotation?: { readonly grace: number };
  readonly throttle?: LoginThrottle;
  readonly now?: () => number;
  /** Verified tokens to remember (0: no cache); revocation is still checked on every request. */
  readonly verifyCacheSize?: number;
  readonly maxBodyBytes?: number;
  readonly log?: (message: string) => void;
}

export interface Demo {
  readonly manager: JwtManager;
  readonly router: Router<Handler>;
  readonly store: Store;
  readonly users: UserStore;
  readonly blocklist: BlocklistStore;
  readonly listener: (req: IncomingMessage, res: ServerResponse) => void;
}

export function createDemo(options: DemoOptions): Demo {
  const manager = new JwtManager(options.config, {
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.verifyCacheSize === undefined ? {} : { verifyCacheSize: options.verifyCacheSize }),
  });
  const store = options.store ?? new MemoryStore(manager.now);
  const users = new PasswordUserStore(store.users, options.passwords);
  const { blocklist } = store;

  const throttle = options.throttle ?? new LoginThrottle({ now: manager.now });
  const { config } = manager;
  const leeway = config.JWT_DECODE_LEEWAY;

  // The user, or undefined when there is none (the guard answers that with the user-lookup error).
  manager.userLookupLoader((_header, payload) => {
    const identity = payload[config.JWT_IDENTITY_CLAIM];
    return typeof identity === 'string' ? users.get(identity) : null;
  });
  // Revoked by logout (its jti), or issued to an account deleted since (whose name may belong to someone else now).
  manager.tokenInBlocklistLoader((_header, payload) => blocklist.isRevoked(payload.jti, payload[config.JWT_IDENTITY_CLAIM], payload.iat, payload['sid']));
  const sessions = options.rotation === undefined ? undefined : createSessions({ manager, store, grace: options.rotation.grace });

  /** The moment after which a token can no longer be accepted: exp plus the leeway (undefined: never). */
  const acceptedUntil = (exp: unknown): number | undefined => (typeof exp === 'number' ? exp + leeway : undefined);
  /** Until when a token issued at `now` could be accepted: the longer lifetime plus the leeway (undefined: forever). */
  const lastAcceptance = (now: number): number | undefined => {
    const { JWT_ACCESS_TOKEN_EXPIRES: access, JWT_REFRESH_TOKEN_EXPIRES: refresh } = config;
    return access === false || refresh === false ? undefined : now + Math.max(access, refresh) + leeway;
  };

  const required = jwtRequired(manager);
  const router = new Router<Handler>()
    .add('POST', '/register', async (ctx) => {
      const { username, password } = credentials(ctx);
      // iat has a resolution of one second, and deleting an account revokes
      // every token of that name issued up to the second of deletion. So the name
      // becomes free again only in the next second: wait for it (at most 1 s).
      const revokedUpTo = await blocklist.subjectRevokedUpTo(username);
      const wait = revokedUpTo === undefined ? 0 : revokedUpTo + 1 - manager.now();
      if (wait > 0) await sleep(Math.ceil(wait * 1000));
      const created = await busyIsRetry(() => users.create(username, password));
      return created ? json(201, { msg: 'User created' }) : json(409, { msg: 'User already exists' });
    })
    .add('POST', '/login', async (ctx) => {
      const { access, refresh } = await tokensFor(ctx, await authenticate(ctx));
      return json(200, { access_token: access, refresh_token: refresh });
    })
    .add('POST', '/refresh', sessions?.refresh ?? jwtRequired(manager, { refresh: true })((ctx) => {
      return json(200, { access_token: manager.createAccessToken(getJwtIdentity(ctx), { fresh: false }) });
    }))
    .add('GET', '/protected', required((ctx) => json(200, { logged_in_as: getJwtIdentity(ctx) })))
    .add('GET', '/optional', jwtRequired(manager, { optional: true })((ctx) => json(200, { logged_in_as: getJwtIdentity(ctx) })))
    .add('POST', '/fresh', jwtRequired(manager, { fresh: true })((ctx) => json(200, { logged_in_as: getJwtIdentity(ctx) })))
    .add('GET', '/whoami', required((ctx) => json(200, { username: (getCurrentUser(ctx) as User).username })))
    .add('DELETE', '/account', jwtRequired(manager, { fresh: true })(async (ctx) => {
      const username = String(getJwtIdentity(ctx));
      // Every token issued to this account so far, access and refresh, is revoked
      // before the name is freed (README: deliberate differences).
      const now = Math.floor(manager.now());
      await store.deleteAccount(username, now, lastAcceptance(now));
      await store.sessions.revokeAll(username);
      return json(200, { msg: 'Account deleted' });
    }))
    .add('DELETE', '/logout', jwtRequired(manager, { verifyType: false })(async (ctx) => {
      // With rotation, logging out ends the session: its access and refresh tokens alike.
      if (sessions !== undefined && (await sessions.revokeOf(getJwt(ctx)))) return json(200, { msg: 'Logged out: every token of this session is revoked' });
      const { jti, exp, type } = getJwt(ctx);
      if (typeof jti !== 'string') throw new HttpError(422, 'Token has no jti claim to revoke');
      await blocklist.add(jti, acceptedUntil(exp));
      const kind = String(type);
      return json(200, { msg: `${kind.charAt(0).toUpperCase()}${kind.slice(1).toLowerCase()} token successfully revoked` });
    }))
    .add('POST', '/login/cookies', async (ctx) => {
      const { access, refresh } = await tokensFor(ctx, await authenticate(ctx));
      setAccessCookies(manager, ctx, access);
      setRefreshCookies(manager, ctx, refresh);
      return json(200, { msg: 'login successful' });
    })
    .add('POST', '/logout/cookies', async (ctx) => {
      // With rotation, the sessions of the tokens in the cookies end too; without, the cookies are only unset (as in the reference).
      if (sessions !== undefined) {
        for (const name of [config.JWT_ACCESS_COOKIE_NAME, config.JWT_REFRESH_COOKIE_NAME]) {
          const claims = claimsOf(ctx.cookies().get(name));
          if (claims !== undefined) await sessions.revokeOf(claims);
        }
      }
      unsetJwtCookies(manager, ctx);
      return json(200, { msg: 'logout successful' });
    });

  sessions?.addRoutes(router);
  router.add('GET', '/.well-known/jwks.json', jwksRoute(config));
  // Beyond flask_jwt_extended, for load balancers: 200 while the store answers, 503 otherwise.
  router.add('GET', '/health', async () => {
    await store.ping();
    return json(200, { status: 'ok', store: store.kind });
  });
  addPageRoutes(router, options.config, { rotation: sessions !== undefined });

  /** A login's tokens: a new session's with rotation, the reference's without. */
  async function tokensFor(ctx: Context, user: User): Promise<{ access: string; refresh: string }> {
    if (sessions !== undefined) return sessions.login(ctx, user.username);
    return { access: manager.createAccessToken(user.username, { fresh: true }), refresh: manager.createRefreshToken(user.username) };
  }

  /** The claims of a token of ours (expired ones too), or undefined for anything else. */
  function claimsOf(token: string | undefined): Readonly<Record<string, unknown>> | undefined {
    if (token === undefined) return undefined;
    try {
      return manager.decodeToken(token, undefined, true).payload;
    } catch {
      return undefined;
    }
  }

  /** Checks the password, behind the login throttle (429) and the hashing queue (503). */
  async function authenticate(ctx: Context): Promise<User> {
    const { username, password } = credentials(ctx);
    const attempt = throttle.begin(username, ctx.clientAddress);
    if (typeof attempt === 'number') {
      throw new HttpError(429, `Too many failed login attempts. Try again in ${attempt} seconds.`, { 'Retry-After': String(attempt) });
    }
    let user: User | undefined;
    try {
      user = await busyIsRetry(() => users.authenticate(username, password));
    } catch (error) {
      attempt.abandoned(); // a 503 says nothing about the password
      throw error;
    }
    if (user === undefined) throw new HttpError(401, 'Bad username or password');
    attempt.succeeded();
    return user;
  }

  const listener = createApp(router, {
    errorHandlers: [jwtErrorHandler(manager), unavailable(store, options.log ?? ((message) => process.stderr.write(`plainjwt: ${message}\n`)))],
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  return { manager, router, store, users, blocklist, listener };
}
