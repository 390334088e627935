/**
 * The fifteen callbacks of flask_jwt_extended's JWTManager, with its defaults
 * (default_callbacks.py). The manager holds one set; each `...Loader` method
 * replaces one, as the reference's decorators do.
 */
import type { JwtHeader, JwtPayload, KeyInput } from '../../lib/index.js';
import { json, type Reply } from '../http/reply.js';
import { isAsymmetric } from './config.js';
import { pythonStr } from './pyjwt.js';
import type { JwtConfig } from './settings.js';

export type MaybePromise<T> = T | Promise<T>;
export type Claims = { [claim: string]: unknown };
export type TokenCallback<T> = (header: JwtHeader, payload: JwtPayload) => T;

/** The callbacks, named after flask_jwt_extended's loaders (default_callbacks.py). */
export interface Callbacks {
  additionalClaims: (identity: unknown) => Claims;
  additionalHeaders: (identity: unknown) => Claims;
  userIdentity: (identity: unknown) => unknown;
  encodeKey: (identity: unknown) => KeyInput;
  decodeKey: TokenCallback<KeyInput>;
  tokenInBlocklist: TokenCallback<MaybePromise<boolean>>;
  tokenVerification: TokenCallback<MaybePromise<boolean>>;
  /** Not set by default: then no user is loaded, and `getCurrentUser` is an error. */
  userLookup: TokenCallback<MaybePromise<unknown>> | null;
  expiredToken: TokenCallback<Reply>;
  invalidToken: (reason: string) => Reply;
  unauthorized: (reason: string) => Reply;
  needsFreshToken: TokenCallback<Reply>;
  revokedToken: TokenCallback<Reply>;
  tokenVerificationFailed: TokenCallback<Reply>;
  userLookupError: TokenCallback<Reply>;
}

/** flask_jwt_extended's default_callbacks.py. */
export function defaultCallbacks(config: JwtConfig): Callbacks {
  const key = config.JWT_ERROR_MESSAGE_KEY;
  const message = (status: number, text: string): Reply => json(status, { [key]: text });
  return {
    additionalClaims: () => ({}),
    additionalHeaders: () => ({}),
    userIdentity: (identity) => identity,
    // config.py `encode_key` / `decode_key`: the private / public key for a public-key algorithm, else the secret.
    encodeKey: () => (isAsymmetric(config.JWT_ALGORITHM) ? config.JWT_PRIVATE_KEY : config.JWT_SECRET_KEY) ?? '',
    decodeKey: () => (isAsymmetric(config.JWT_ALGORITHM) ? config.JWT_PUBLIC_KEY : config.JWT_SECRET_KEY) ?? '',
    tokenInBlocklist: () => false,
    tokenVerification: () => true,
    userLookup: null,
    expiredToken: () => message(401, 'Token has expired'),
    invalidToken: (reason) => message(422, reason),
    unauthorized: (reason) => message(401, reason),
    needsFreshToken: () => message(401, 'Fresh token required'),
    revokedToken: () => message(401, 'Token has been revoked'),
    tokenVerificationFailed: () => message(400, 'User claims verification failed'),
    userLookupError: (_header, payload) => message(401, `Error loading the user ${pythonStr(payload[config.JWT_IDENTITY_CLAIM])}`),
  };
}
