/**
 * What can go wrong with a JWT in a request, named as flask_jwt_extended names
 * it (its exceptions.py). The token's own failures carry PyJWT's words
 * (pyjwt.ts), so that clients see the same `msg` strings as from a Flask app.
 *
 * These classes only say what went wrong. Turning them into HTTP responses
 * happens in one place, responses.ts, through the manager's callbacks.
 */
import type { JwtHeader, JwtPayload } from '../../lib/index.js';
import { pythonStr } from './pyjwt.js';

/** Which callback answers an error, as in flask_jwt_extended's `_set_error_handler_callbacks`. */
export type ErrorKind =
  | 'unauthorized' // 401
  | 'invalid' // 422
  | 'expired' // 401
  | 'needs_fresh' // 401
  | 'revoked' // 401
  | 'verification_failed' // 400
  | 'user_lookup'; // 401

/**
 * Base of every JWT failure in a request. These are answered, not debugged:
 * whoever sends the request triggers them, as often as they like, and a stack
 * trace would cost more than the rest of the answer (as lib's TokenError
 * explains), so they are created without one.
 */
export class JwtExtendedError extends Error {
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, message: string, options?: ErrorOptions) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message, options);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = new.target.name;
    this.kind = kind;
  }
}

/** No token where one was looked for (401, and the only error `optional` swallows). */
export class NoAuthorizationError extends JwtExtendedError {
  constructor(message: string) {
    super('unauthorized', message);
  }
}

/** The CSRF double submit is missing or does not match (401). */
export class CsrfError extends JwtExtendedError {
  constructor(message: string) {
    super('unauthorized', message);
  }
}

/** Anything that makes the token itself invalid: structure, signature, claims, header shape (422). */
export class InvalidTokenError extends JwtExtendedError {
  constructor(message: string, options?: ErrorOptions) {
    super('invalid', message, options);
  }
}

/** An error that carries the token's header and claims to its callback. */
export class TokenStateError extends JwtExtendedError {
  readonly header: JwtHeader;
  readonly payload: JwtPayload;

  constructor(kind: ErrorKind, message: string, header: JwtHeader, payload: JwtPayload) {
    super(kind, message);
    this.header = header;
    this.payload = payload;
  }
}

export class ExpiredSignatureError extends TokenStateError {
  constructor(header: JwtHeader, payload: JwtPayload) {
    super('expired', 'Token has expired', header, payload);
  }
}

export class FreshTokenRequired extends TokenStateError {
  constructor(header: JwtHeader, payload: JwtPayload) {
    super('needs_fresh', 'Fresh token required', header, payload);
  }
}

export class RevokedTokenError extends TokenStateError {
  constructor(header: JwtHeader, payload: JwtPayload) {
    super('revoked', 'Token has been revoked', header, payload);
  }
}

export class UserClaimsVerificationError extends TokenStateError {
  constructor(header: JwtHeader, payload: JwtPayload) {
    super('verification_failed', 'User claims verification failed', header, payload);
  }
}

export class UserLookupError extends TokenStateError {
  constructor(header: JwtHeader, payload: JwtPayload, identity: unknown) {
    super('user_lookup', `user_lookup returned None for ${pythonStr(identity)}`, header, payload);
  }
}
