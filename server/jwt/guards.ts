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
import { tokenFrom, type FoundToken } from './locations.js';
import type { MaybePromise } from './callbacks.js';
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
  return (handler) => (ctx) => then(verifyJwtInRequest(manager, ctx, prepared), () => handler(ctx));
}

/**
 * Verifies the request's JWT; returns it, or null for OPTIONS and for an
 * optional route without a token. The answer is a promise only when something
 * had to be waited for (a callback that asked a shared store, or a resource
 * server fetching keys); `await` takes either.
 */
export function verifyJwtInRequest(manager: JwtManager, ctx: Context, options: GuardOptions = {}): MaybePromise<VerifiedJwt | null> {
  const checked = checkGuardOptions(options);
  // 1. A CORS preflight carries no token.
  if (ctx.method === 'OPTIONS') return null;
  const locations = (checked.locations as readonly TokenLocation[] | undefined) ?? manager.config.JWT_TOKEN_LOCATION;
  return then(search(manager, ctx, locations, checked.refresh === true), (found) => {
    if ('jwt' in found) return checkToken(manager, ctx, checked, found.jwt, found.location);
    // 3. No token anywhere.
    if (checked.optional === true) {
      ctx.state = emptyState(manager.config.JWT_IDENTITY_CLAIM);
      return null;
    }
    const { missing } = found;
    if (locations.length === 1) throw new NoAuthorizationError(missing[0] ?? '');
    const names = `${locations.slice(0, -1).join(', ')} or ${locations[locations.length - 1] ?? ''}`;
    throw new NoAuthorizationError(`Missing JWT in ${names} (${missing.join('; ')})`);
  });
}

type Search = { readonly jwt: VerifiedJwt; readonly location: TokenLocation } | { readonly missing: readonly string[] };

/** 2. Each location in order: only "no token here" moves on to the next; the first token found is decoded, and its errors stop the search. */
function search(manager: JwtManager, ctx: Context, locations: readonly TokenLocation[], refresh: boolean): MaybePromise<Search> {
  const missing: string[] = [];
  for (const location of locations) {
    let found: FoundToken;
    try {
      found = tokenFrom(location, ctx, manager.config, refresh);
    } catch (error) {
      if (!(error instanceof NoAuthorizationError)) throw error;
      missing.push(error.message);
      continue;
    }
    const decode = (): Search => ({ jwt: manager.decodeToken(found.token, found.csrf), location });
    // A resource server may first have to fetch the issuer's keys (only then is there anything to wait for).
    const preparing = manager.prepareKeys(found.token);
    return preparing === undefined ? decode() : preparing.then(decode);
  }
  return { missing };
}

/** Steps 4 to 8 on a decoded token; the request's JWT state is written only when all pass. */
function checkToken(manager: JwtManager, ctx: Context, options: GuardOptions, jwt: VerifiedJwt, location: TokenLocation): MaybePromise<VerifiedJwt> {
  const { config, callbacks } = manager;
  const { header, payload } = jwt;
  // 4. The token type.
  if (options.verifyType !== false) {
    const refresh = options.refresh === true;
    if (!refresh && payload['type'] === 'refresh') throw new InvalidTokenError('Only non-refresh tokens are allowed');
    if (refresh && payload['type'] !== 'refresh') throw new InvalidTokenError('Only refresh tokens are allowed');
  }
  // 5. Freshness.
  if (options.fresh === true && !isFresh(payload['fresh'], manager.now())) throw new FreshTokenRequired(header, payload);
  // 6. The blocklist.
  const revoked = options.skipRevocationCheck === true ? false : callbacks.tokenInBlocklist(header, payload);
  return then(revoked, (revoked) => {
    if (revoked) throw new RevokedTokenError(header, payload);
    // 7. The claims verification callback.
    return then(callbacks.tokenVerification(header, payload), (verified) => {
      if (!verified) throw new UserClaimsVerificationError(header, payload);
      // 8. The user lookup.
      const { userLookup } = callbacks;
      return then(userLookup === null ? null : userLookup(header, payload), (user) => {
        if (userLookup !== null && (user === null || user === undefined)) {
          throw new UserLookupError(header, payload, payload[config.JWT_IDENTITY_CLAIM]);
        }
        const state: JwtState = { header, payload, identityClaim: config.JWT_IDENTITY_CLAIM, location, user, userLoaded: userLookup !== null };
        ctx.state = state;
        return jwt;
      });
    });
  });
}

/**
 * `next(value)` now, or when the promise settles. Callbacks may answer at once
 * or with a promise (a shared store is async); awaiting a plain value would
 * still cost a trip through the microtask queue on every request, so only
 * promises are waited for.
 */
function then<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
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
