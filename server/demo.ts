/**
 * The demo application: register, log in, call protected routes, refresh, log
 * out, as a flask_jwt_extended tutorial app does, with the same answers.
 *
 * It registers a user-lookup callback and a blocklist callback on the manager,
 * so, as in the reference, every protected route loads the user and checks
 * revocation: a deleted user's tokens stop working everywhere.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createApp, HttpError, json, type Context, type Handler } from './app.js';
import { MemoryBlocklist, type BlocklistStore } from './blocklist.js';
import type { JwtConfig } from './config.js';
import { getCurrentUser, getJwt, getJwtIdentity } from './context.js';
import { setAccessCookies, setRefreshCookies, unsetJwtCookies } from './cookies.js';
import { JwtManager } from './manager.js';
import { Router } from './router.js';
import { addPageRoutes } from './static.js';
import { MemoryUserStore, type User, type UserStore } from './users.js';

export interface DemoOptions {
  readonly config: JwtConfig;
  readonly users?: UserStore;
  readonly blocklist?: BlocklistStore;
  readonly now?: () => number;
  readonly maxBodyBytes?: number;
  readonly log?: (message: string) => void;
}

export interface Demo {
  readonly manager: JwtManager;
  readonly router: Router<Handler>;
  readonly users: UserStore;
  readonly blocklist: BlocklistStore;
  readonly listener: (req: IncomingMessage, res: ServerResponse) => void;
}

export function createDemo(options: DemoOptions): Demo {
  const manager = new JwtManager(options.config, options.now === undefined ? {} : { now: options.now });
  const users = options.users ?? new MemoryUserStore();
  const blocklist = options.blocklist ?? new MemoryBlocklist(manager.now);

  manager.userLookupLoader(async (_header, payload) => {
    const identity = payload[options.config.JWT_IDENTITY_CLAIM];
    return typeof identity === 'string' ? ((await users.get(identity)) ?? null) : null;
  });
  manager.tokenInBlocklistLoader((_header, payload) => (typeof payload.jti === 'string' ? blocklist.has(payload.jti) : false));

  const required = manager.jwtRequired();
  const router = new Router<Handler>()
    .add('POST', '/register', async (ctx) => {
      const { username, password } = credentials(ctx);
      return (await users.create(username, password)) ? json(201, { msg: 'User created' }) : json(409, { msg: 'User already exists' });
    })
    .add('POST', '/login', async (ctx) => {
      const user = await authenticate(ctx);
      return json(200, {
        access_token: manager.createAccessToken(user.username, { fresh: true }),
        refresh_token: manager.createRefreshToken(user.username),
      });
    })
    .add('POST', '/refresh', manager.jwtRequired({ refresh: true })((ctx) => {
      return json(200, { access_token: manager.createAccessToken(getJwtIdentity(ctx), { fresh: false }) });
    }))
    .add('GET', '/protected', required((ctx) => json(200, { logged_in_as: getJwtIdentity(ctx) })))
    .add('GET', '/optional', manager.jwtRequired({ optional: true })((ctx) => json(200, { logged_in_as: getJwtIdentity(ctx) })))
    .add('POST', '/fresh', manager.jwtRequired({ fresh: true })((ctx) => json(200, { logged_in_as: getJwtIdentity(ctx) })))
    .add('GET', '/whoami', required((ctx) => json(200, { username: (getCurrentUser(ctx) as User).username })))
    .add('DELETE', '/account', manager.jwtRequired({ fresh: true })(async (ctx) => {
      await users.delete(String(getJwtIdentity(ctx)));
      return json(200, { msg: 'Account deleted' });
    }))
    .add('DELETE', '/logout', manager.jwtRequired({ verifyType: false })(async (ctx) => {
      const { jti, exp, type } = getJwt(ctx);
      if (typeof jti !== 'string') throw new HttpError(422, 'Token has no jti claim to revoke');
      await blocklist.add(jti, typeof exp === 'number' ? exp : undefined);
      const kind = String(type);
      return json(200, { msg: `${kind.charAt(0).toUpperCase()}${kind.slice(1).toLowerCase()} token successfully revoked` });
    }))
    .add('POST', '/login/cookies', async (ctx) => {
      const user = await authenticate(ctx);
      const reply = json(200, { msg: 'login successful' });
      setAccessCookies(manager, ctx, manager.createAccessToken(user.username, { fresh: true }));
      setRefreshCookies(manager, ctx, manager.createRefreshToken(user.username));
      return reply;
    })
    .add('POST', '/logout/cookies', (ctx) => {
      unsetJwtCookies(manager, ctx);
      return json(200, { msg: 'logout successful' });
    });

  addPageRoutes(router, options.config);

  async function authenticate(ctx: Context): Promise<User> {
    const { username, password } = credentials(ctx);
    const user = await users.authenticate(username, password);
    if (user === undefined) throw new HttpError(401, 'Bad username or password');
    return user;
  }

  const listener = createApp(router, {
    errorHandlers: [(error) => manager.errorResponse(error)],
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  return { manager, router, users, blocklist, listener };
}

/** The JSON body `{"username", "password"}` of the login routes, or the reference's 4xx answers. */
function credentials(ctx: Context): { username: string; password: string } {
  const body = ctx.json();
  if (body.kind === 'not-json') throw new HttpError(415, 'Content-Type must be application/json');
  if (body.kind === 'invalid') throw new HttpError(400, `Invalid JSON in request body: ${body.message}`);
  const value = body.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(400, 'Missing JSON in request');
  const { username, password } = value as { username?: unknown; password?: unknown };
  if (typeof username !== 'string' || username === '' || typeof password !== 'string' || password === '') {
    throw new HttpError(400, 'Missing username or password');
  }
  return { username, password };
}
