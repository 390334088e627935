/**
 * What a new token contains (flask_jwt_extended's tokens.py `_encode_jwt` and
 * jwt_manager.py `_encode_jwt_from_config`): the reference's claims in the
 * reference's order, the extra claims and headers from the callbacks and the
 * call, and the algorithm, which an "alg" header may override (as PyJWT allows).
 */
import { randomUUID } from 'node:crypto';
import type { AlgorithmName } from '../../lib/index.js';
import type { Callbacks, Claims } from './callbacks.js';
import type { JwtConfig } from './settings.js';

export type TokenType = 'access' | 'refresh';

export interface TokenOptions {
  /** Access tokens only: true, false, or a NumericDate until which the token counts as fresh. */
  readonly fresh?: boolean | number;
  /** Seconds until expiry, or false for none; default from the config. */
  readonly expiresDelta?: number | false;
  readonly additionalClaims?: Claims;
  readonly additionalHeaders?: Claims;
}

export interface TokenRequest {
  readonly identity: unknown;
  readonly type: TokenType;
  readonly fresh: boolean | number;
  readonly options: TokenOptions;
  /** Seconds since 1970. */
  readonly now: number;
}

export interface TokenContents {
  readonly payload: Claims;
  readonly algorithm: AlgorithmName;
  /** Header parameters besides alg (typ is the signer's). */
  readonly header: Claims;
}

export function tokenContents(config: JwtConfig, callbacks: Callbacks, request: TokenRequest): TokenContents {
  const { identity, type, fresh, options } = request;
  const headers = { ...callbacks.additionalHeaders(identity), ...options.additionalHeaders };
  const claims = { ...callbacks.additionalClaims(identity), ...options.additionalClaims };
  const configured = type === 'access' ? config.JWT_ACCESS_TOKEN_EXPIRES : config.JWT_REFRESH_TOKEN_EXPIRES;
  const expires = options.expiresDelta ?? configured;
  const now = Math.floor(request.now);
  // Insertion order as in flask_jwt_extended: fresh, iat, jti, type, identity, nbf, csrf, aud, iss, exp.
  const payload: Claims = { fresh, iat: now, jti: randomUUID(), type, [config.JWT_IDENTITY_CLAIM]: callbacks.userIdentity(identity) };
  if (config.JWT_ENCODE_NBF) payload['nbf'] = now;
  // The csrf claim goes into every token while JWT_COOKIE_CSRF_PROTECT is on, whatever the locations.
  if (config.JWT_COOKIE_CSRF_PROTECT) payload['csrf'] = randomUUID();
  if (config.JWT_ENCODE_AUDIENCE !== null && config.JWT_ENCODE_AUDIENCE.length > 0) payload['aud'] = config.JWT_ENCODE_AUDIENCE;
  if (config.JWT_ENCODE_ISSUER) payload['iss'] = config.JWT_ENCODE_ISSUER;
  if (expires !== false && expires > 0) payload['exp'] = now + expires;
  // Extra claims are merged last, so they may override the reserved ones (as in the reference).
  Object.assign(payload, claims);
  const { alg, ...header } = headers;
  return { payload, algorithm: typeof alg === 'string' ? (alg as AlgorithmName) : config.JWT_ALGORITHM, header };
}
