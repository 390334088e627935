/**
 * A verify-only resource server (beyond flask_jwt_extended): started with
 * JWT_JWKS_URL, it signs nothing and verifies tokens with the issuer's public
 * keys, fetched from the issuer's JWKS (jwt/jwks.ts). This is how the demo scales
 * out: any number of API servers verify, only the issuer holds the private key.
 *
 * It has no users and no blocklist of its own: it trusts a valid signature and
 * the claims. A logout on the issuer is not seen here until the token expires
 * (sharing revocations needs a shared store). Routes that issue or revoke
 * tokens answer 404 with a msg that points to the issuer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createApp, type Handler } from '../http/app.js';
import { json } from '../http/reply.js';
import { Router } from '../http/router.js';
import { getJwtIdentity, jwtErrorHandler, JwtManager, jwtRequired, RemoteJwks, type JwtConfig } from '../jwt/index.js';
import { addPageRoutes } from './static.js';

export interface ResourceServer {
  readonly manager: JwtManager;
  readonly router: Router<Handler>;
  readonly jwks: RemoteJwks;
  readonly listener: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface ResourceOptions {
  readonly now?: () => number;
  readonly log?: (message: string) => void;
  readonly maxBodyBytes?: number;
  /** Least time between two JWKS fetches, in milliseconds (default 10 s). */
  readonly cooldownMs?: number;
  /** Age (ms) after which the keys are fetched again in the background (default 5 min). */
  readonly maxAgeMs?: number;
}

export function createResourceServer(config: JwtConfig, options: ResourceOptions = {}): ResourceServer {
  const jwks = new RemoteJwks({
    url: config.JWT_JWKS_URL ?? '',
    ...(options.cooldownMs === undefined ? {} : { cooldownMs: options.cooldownMs }),
    ...(options.maxAgeMs === undefined ? {} : { maxAgeMs: options.maxAgeMs }),
  });
  void jwks.refresh(); // fetched once at start; again when an unknown kid arrives
  const manager = new JwtManager(config, { remoteKeys: jwks, ...(options.now === undefined ? {} : { now: options.now }) });
  const identity: Handler = (ctx) => json(200, { logged_in_as: getJwtIdentity(ctx) });
  const issuerOnly: Handler = () => json(404, { msg: `This is a verify-only resource server: it issues no tokens. Log in at the issuer (its keys: ${config.JWT_JWKS_URL ?? ''})` });
  const router = new Router<Handler>()
    .add('GET', '/protected', jwtRequired(manager)(identity))
    .add('GET', '/optional', jwtRequired(manager, { optional: true })(identity))
    .add('POST', '/fresh', jwtRequired(manager, { fresh: true })(identity));
  for (const [method, path] of [['POST', '/register'], ['POST', '/login'], ['POST', '/refresh'], ['DELETE', '/logout'], ['DELETE', '/account'], ['POST', '/login/cookies']] as const) {
    router.add(method, path, issuerOnly);
  }
  addPageRoutes(router, config);
  const listener = createApp(router, {
    errorHandlers: [jwtErrorHandler(manager)],
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  return { manager, router, jwks, listener };
}
