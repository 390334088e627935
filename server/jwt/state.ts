/**
 * The JWT state of one request, and flask_jwt_extended's getters for it
 * (`get_jwt`, `get_jwt_header`, `get_jwt_identity`, `get_current_user`,
 * `get_jwt_request_location`). Where Flask keeps this in the request-global
 * `g`, the getters here take the request's Context explicitly.
 *
 * A guard writes the state only after every check has passed, as
 * flask_jwt_extended does, so a handler never sees a half-verified token.
 */
import type { JwtHeader, JwtPayload } from '../../lib/index.js';
import type { Context } from '../http/context.js';
import type { TokenLocation } from './settings.js';

export interface JwtState {
  readonly header: JwtHeader;
  /** The claims, with flask_jwt_extended's defaults filled in (type, fresh, jti). */
  readonly payload: JwtPayload;
  readonly identityClaim: string;
  readonly location: TokenLocation | null;
  /** What the user-lookup callback returned (null on an optional route without a token). */
  readonly user: unknown;
  /** False when no user-lookup callback is registered: then there is no current user to ask for. */
  readonly userLoaded: boolean;
}

/** The state an optional route sees when no token was sent. */
export function emptyState(identityClaim: string): JwtState {
  return { header: {} as JwtHeader, payload: {}, identityClaim, location: null, user: null, userLoaded: true };
}

function stateOf(ctx: Context): JwtState {
  const state = ctx.state as JwtState | undefined;
  if (state === undefined) {
    throw new Error('You must call `jwtRequired()` or `verifyJwtInRequest()` before using this method');
  }
  return state;
}

/** `get_jwt()`: the verified claims ({} on an optional route without a token). */
export function getJwt(ctx: Context): JwtPayload {
  return stateOf(ctx).payload;
}

/** `get_jwt_header()`. */
export function getJwtHeader(ctx: Context): JwtHeader {
  return stateOf(ctx).header;
}

/** `get_jwt_identity()`: the identity claim, or null on an optional route without a token. */
export function getJwtIdentity(ctx: Context): unknown {
  const state = stateOf(ctx);
  return state.payload[state.identityClaim] ?? null;
}

/** `get_current_user()`: what the user-lookup callback returned. As in the reference, asking without one is a programming error. */
export function getCurrentUser(ctx: Context): unknown {
  const state = stateOf(ctx);
  if (!state.userLoaded) throw new Error('You must provide a `userLookupLoader` callback to use this method');
  return state.user;
}

/** `get_jwt_request_location()`: where the token was found, or null. */
export function getJwtRequestLocation(ctx: Context): TokenLocation | null {
  return stateOf(ctx).location;
}
