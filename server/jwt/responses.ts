/**
 * Errors to responses, in one place (flask_jwt_extended's jwt_manager.py
 * `_set_error_handler_callbacks`): each exception of exceptions.ts is answered
 * by its callback, so replacing a callback changes every route's answer.
 * The app installs `jwtErrorHandler(manager)`; guards and handlers just throw.
 */
import type { ErrorHandler } from '../http/app.js';
import type { Reply } from '../http/reply.js';
import type { Callbacks } from './callbacks.js';
import { JwtExtendedError, TokenStateError } from './exceptions.js';

/** The callback's response for a JwtExtendedError, or undefined for anything else. */
export function errorResponse(callbacks: Readonly<Callbacks>, error: unknown): Reply | undefined {
  if (!(error instanceof JwtExtendedError)) return undefined;
  if (error instanceof TokenStateError) {
    const { header, payload } = error;
    switch (error.kind) {
      case 'expired':
        return callbacks.expiredToken(header, payload);
      case 'needs_fresh':
        return callbacks.needsFreshToken(header, payload);
      case 'revoked':
        return callbacks.revokedToken(header, payload);
      case 'verification_failed':
        return callbacks.tokenVerificationFailed(header, payload);
      default:
        return callbacks.userLookupError(header, payload);
    }
  }
  return error.kind === 'unauthorized' ? callbacks.unauthorized(error.message) : callbacks.invalidToken(error.message);
}

/** The app-level error handler for a manager: its callbacks answer its exceptions. */
export function jwtErrorHandler(manager: { readonly callbacks: Readonly<Callbacks> }): ErrorHandler {
  return (error) => errorResponse(manager.callbacks, error);
}
