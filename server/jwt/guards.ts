/**
 * Guards: `jwtRequired(manager, options)(handler)` and
 * `verifyJwtInRequest(manager, ctx, options)`,
 * flask_jwt_extended's `@jwt_required()` and `verify_jwt_in_request()`.
 *
 * The checks run in the reference's order, so that when several things are
 * wrong the same error wins (view_decorators.py):
 *   1. OPTIONS requests pass without a token (CORS preflight);
 *   2. each location in order: find a token and decode it; only "no token here"
 *      moves on to the next location, any other error stops the search;
 *   3. nothing found: one combined "Missing JWT in …" error (optional: no error);
 *   4. token type, 5. freshness, 6. blocklist, 7. claims verification callback,
 *   8. user lookup. Only then is the request's JWT state written.
 */
import type { VerifiedJwt } from '../../lib/index.js';
import type { Handler } from '../http/app.js';
import type { Context } from '../http/context.js';
import { TOKEN_LOCATIONS, type TokenLocation } from './settings.js';
import { emptyState, type JwtState } from './state.js';
import {
  FreshTokenRequired,
  InvalidTokenError,
  NoAuthorizationError,
  RevokedTokenError,
  UserClaimsVerificationError,
  UserLookupError,
} from './exceptions.js';
import { tokenFrom } from './locations.js';
import type { JwtManager } from './manager.js';

export interface GuardOptions {
  /** Let requests without a token through (identity null). Invalid tokens still fail. */
  readonly optional?: boolean;
  /** Require a fresh access token. */
  readonly fresh?: boolean;
  /** Require a refresh token (and read it from the refresh cookie / JSON key). */
  readonly refresh?: boolean;
  /** Where to look, in order; default JWT_TOKEN_LOCATION. */
  readonly locations?: TokenLocation | readonly TokenLocation[];
  /** Check the token type (default true); false accepts access and refresh tokens. */
  readonly verifyType?: boolean;
  readonly skipRevocationCheck?: boolean;
}

const OPTION_NAMES = new Set(['optional', 'fresh', 'refresh', 'locations', 'verifyType', 'skipRevocationCheck']);

/** Options objects that passed checkGuardOptions (their locations are a non-empty list or absent). */
const CHECKED = new WeakSet<GuardOptions>();

/**
 * Checks guard options, as a bad one is a programming error: an unknown option
 * or location, or a flag that is not a boolean, throws a TypeError naming it
 * (the reference's RuntimeError `'<location>' is not a valid location`). An
 * empty list of locations means "the configured ones", as in the reference
 * (`locations or config.token_location`).
 */
export function checkGuardOptions(options: GuardOptions): GuardOptions {
  if (CHECKED.has(options)) return options;
  if (typeof options !== 'object' || options === null) throw new TypeError('guard options must be an object');
  for (const [name, value] of Object.entries(options)) {
    if (!OPTION_NAMES.has(name)) throw new TypeError(`unknown guard option "${name}"`);
    if (name !== 'locations' && value !== undefined && typeof value !== 'boolean') throw new TypeError(`guard option "${name}" must be true or false`);
  }
  const { locations: given, ...flags } = options;
  let locations: readonly TokenLocation[] | undefined;
  if (given !== undefined) {
    const list: readonly unknown[] = typeof given === 'string' ? [given] : given;
    if (!Array.isArray(list)) throw new TypeError('guard option "locations" must be a location or a list of them');
    for (const location of list) {
      if (!TOKEN_LOCATIONS.includes(location as TokenLocation)) throw new TypeError(`'${String(location)}' is not a valid location`);
    }
    locations = list.length === 0 ? undefined : (list as readonly TokenLocation[]);
  }
  const checked: GuardOptions = locations === undefined ? flags : { ...flags, locations };
  CHECKED.add(checked);
  return checked;
}

/**
 * Wraps a handler so it runs only for requests that pass `verifyJwtInRequest`.
 * A failure is thrown, as the reference's decorator raises it, and answered by
 * the app's JWT error handler (responses.ts).
 */
export function jwtRequired(manager: JwtManager, options: GuardOptions = {}): (handler: Handler) => Handler {
  // Checked once, here, when the route is defined: no request checks them again.
  const prepared = checkGuardOptions(options);
  return (handler) => async (ctx) => {
    await verifyJwtInRequest(manager, ctx, prepared);
    return handler(ctx);
  };
}

/** Verifies the request's JWT; returns it, or null for OPTIONS and for an optional route without a token. */
export async function verifyJwtInRequest(manager: JwtManager, ctx: Context, options: GuardOptions = {}): Promise<VerifiedJwt | null> {
  const { config, callbacks } = manager;
  const checked = checkGuardOptions(options);
  if (ctx.method === 'OPTIONS') return null;
  const locations = (checked.locations as readonly TokenLocation[] | undefined) ?? config.JWT_TOKEN_LOCATION;
  const refresh = options.refresh === true;

  let found: { jwt: VerifiedJwt; location: TokenLocation } | undefined;
  const missing: string[] = [];
  for (const location of locations) {
    try {
      const { token, csrf } = tokenFrom(location, ctx, config, refresh);
      // A resource server may first have to fetch the issuer's keys (only then is there anything to await).
      const preparing = manager.prepareKeys(token);
      if (preparing !== undefined) await preparing;
      found = { jwt: manager.decodeToken(token, csrf), location };
      break;
    } catch (error) {
      if (!(error instanceof NoAuthorizationError)) throw error;
      missing.push(error.message);
    }
  }
  if (found === undefined) {
    if (options.optional === true) {
      ctx.state = emptyState(config.JWT_IDENTITY_CLAIM);
      return null;
    }
    if (locations.length === 1) throw new NoAuthorizationError(missing[0] ?? '');
    const names = `${locations.slice(0, -1).join(', ')} or ${locations[locations.length - 1] ?? ''}`;
    throw new NoAuthorizationError(`Missing JWT in ${names} (${missing.join('; ')})`);
  }

  const { header, payload } = found.jwt;
  if (options.verifyType !== false) {
    if (!refresh && payload['type'] === 'refresh') throw new InvalidTokenError('Only non-refresh tokens are allowed');
    if (refresh && payload['type'] !== 'refresh') throw new InvalidTokenError('Only refresh tokens are allowed');
  }
  if (options.fresh === true && !isFresh(payload['fresh'], manager.now())) throw new FreshTokenRequired(header, payload);
  // Callbacks may answer at once or with a promise (a shared store is async).
  // Only promises are awaited: awaiting a plain value still costs a trip
  // through the microtask queue, on every request.
  if (options.skipRevocationCheck !== true) {
    const revoked = callbacks.tokenInBlocklist(header, payload);
    if (revoked instanceof Promise ? await revoked : revoked) throw new RevokedTokenError(header, payload);
  }
  const verified = callbacks.tokenVerification(header, payload);
  if (!(verified instanceof Promise ? await verified : verified)) throw new UserClaimsVerificationError(header, payload);
  let user: unknown = null;
  if (callbacks.userLookup !== null) {
    const found = callbacks.userLookup(header, payload);
    user = found instanceof Promise ? await found : found;
    if (user === null || user === undefined) {
      throw new UserLookupError(header, payload, payload[config.JWT_IDENTITY_CLAIM]);
    }
  }
  const state: JwtState = { header, payload, identityClaim: config.JWT_IDENTITY_CLAIM, location: found.location, user, userLoaded: callbacks.userLookup !== null };
  ctx.state = state;
  return found.jwt;
}

/**
 * `fresh` is true/false, or a NumericDate until which the token is fresh
 * (view_decorators.py `_verify_token_is_fresh`). Anything else is a malformed
 * claim: the reference crashes with a 500 on it, we answer 422.
 */
function isFresh(fresh: unknown, now: number): boolean {
  if (typeof fresh === 'boolean') return fresh;
  if (typeof fresh === 'number' && Number.isFinite(fresh)) return fresh >= now;
  throw new InvalidTokenError('Invalid claim: fresh must be a boolean or a number');
}
