/**
 * flask_jwt_extended's cookie helpers (utils.py `set_access_cookies` …
 * `unset_jwt_cookies`) and the CSRF double-submit policy.
 *
 * The CSRF double submit (flask_jwt_extended's default for cookie tokens): the
 * JWT travels in an HttpOnly cookie that page scripts cannot read; a second,
 * readable cookie holds the token's `csrf` claim. A state-changing request must
 * copy that value into a header (`X-CSRF-TOKEN`). Another site can make the
 * browser send the cookies, but cannot read them to fill in the header.
 */
import { serializeCookie } from '../http/cookies.js';
import type { JwtConfig } from './settings.js';
import type { TokenType } from './tokens.js';

/**
 * Whether the CSRF double submit is in force: JWT_COOKIE_CSRF_PROTECT alone
 * (flask_jwt_extended 4.7.1 `config.cookie_csrf_protect`, read by
 * `_decode_jwt_from_cookies` and by `set_access_cookies`). It used to depend on
 * JWT_TOKEN_LOCATION including cookies too; 4.6.0 dropped that condition,
 * because one route that reads cookies (`locations: ['cookies']`) in an app
 * whose global locations are headers only then escaped the check.
 */
export function csrfProtect(config: JwtConfig): boolean {
  return config.JWT_COOKIE_CSRF_PROTECT;
}

/** Max-Age of the JWT cookies: none (a session cookie) unless JWT_SESSION_COOKIE is false. */
function cookieMaxAge(config: JwtConfig, maxAge: number | undefined): number | undefined {
  if (maxAge !== undefined) return maxAge;
  return config.JWT_SESSION_COOKIE ? undefined : 31540000; // flask_jwt_extended config.py: one year
}


function names(config: JwtConfig, kind: TokenType): { cookie: string; path: string; csrfCookie: string; csrfPath: string } {
  return kind === 'access'
    ? {
        cookie: config.JWT_ACCESS_COOKIE_NAME,
        path: config.JWT_ACCESS_COOKIE_PATH,
        csrfCookie: config.JWT_ACCESS_CSRF_COOKIE_NAME,
        csrfPath: config.JWT_ACCESS_CSRF_COOKIE_PATH,
      }
    : {
        cookie: config.JWT_REFRESH_COOKIE_NAME,
        path: config.JWT_REFRESH_COOKIE_PATH,
        csrfCookie: config.JWT_REFRESH_CSRF_COOKIE_NAME,
        csrfPath: config.JWT_REFRESH_CSRF_COOKIE_PATH,
      };
}

/**
 * The Set-Cookie values for a token: the HttpOnly JWT cookie and, when CSRF
 * protection uses cookies, the readable CSRF cookie holding `csrf`
 * (flask_jwt_extended `set_access_cookies` / `set_refresh_cookies`).
 */
export function tokenCookies(
  config: JwtConfig,
  kind: TokenType,
  token: string,
  csrf: string | undefined,
  options: { maxAge?: number; domain?: string } = {},
): string[] {
  const n = names(config, kind);
  const common = {
    maxAge: cookieMaxAge(config, options.maxAge),
    secure: config.JWT_COOKIE_SECURE,
    domain: options.domain ?? config.JWT_COOKIE_DOMAIN,
    sameSite: config.JWT_COOKIE_SAMESITE,
  };
  const cookies = [serializeCookie(n.cookie, token, { ...common, httpOnly: true, path: n.path })];
  if (csrfProtect(config) && config.JWT_CSRF_IN_COOKIES && csrf !== undefined) {
    cookies.push(serializeCookie(n.csrfCookie, csrf, { ...common, httpOnly: false, path: n.csrfPath }));
  }
  return cookies;
}

/** The Set-Cookie values that delete a token's cookies (`unset_access_cookies` / `unset_refresh_cookies`). */
export function unsetTokenCookies(config: JwtConfig, kind: TokenType, domain?: string): string[] {
  const n = names(config, kind);
  const common = {
    expires: new Date(0),
    secure: config.JWT_COOKIE_SECURE,
    domain: domain ?? config.JWT_COOKIE_DOMAIN,
    sameSite: config.JWT_COOKIE_SAMESITE,
  };
  const cookies = [serializeCookie(n.cookie, '', { ...common, httpOnly: true, path: n.path })];
  if (csrfProtect(config) && config.JWT_CSRF_IN_COOKIES) {
    cookies.push(serializeCookie(n.csrfCookie, '', { ...common, httpOnly: false, path: n.csrfPath }));
  }
  return cookies;
}

/** What the cookie helpers need from the manager: the config, and a way to read a token's csrf claim. */
interface CookieManager {
  readonly config: JwtConfig;
  decodeToken(token: string): { readonly payload: { readonly [claim: string]: unknown } };
}

interface CookieTarget {
  readonly setCookies: string[];
}

/** The `csrf` claim of a token we just made (`get_csrf_token`), if CSRF protection put one there. */
function csrfOf(manager: CookieManager, token: string): string | undefined {
  const csrf = manager.decodeToken(token).payload['csrf'];
  return typeof csrf === 'string' ? csrf : undefined;
}

/** `set_access_cookies(response, token, max_age=None, domain=None)`. */
export function setAccessCookies(manager: CookieManager, ctx: CookieTarget, token: string, options: { maxAge?: number; domain?: string } = {}): void {
  ctx.setCookies.push(...tokenCookies(manager.config, 'access', token, csrfOf(manager, token), options));
}

/** `set_refresh_cookies(response, token, max_age=None, domain=None)`. */
export function setRefreshCookies(manager: CookieManager, ctx: CookieTarget, token: string, options: { maxAge?: number; domain?: string } = {}): void {
  ctx.setCookies.push(...tokenCookies(manager.config, 'refresh', token, csrfOf(manager, token), options));
}

/** `unset_access_cookies(response, domain=None)`. */
export function unsetAccessCookies(manager: CookieManager, ctx: CookieTarget, domain?: string): void {
  ctx.setCookies.push(...unsetTokenCookies(manager.config, 'access', domain));
}

/** `unset_refresh_cookies(response, domain=None)`. */
export function unsetRefreshCookies(manager: CookieManager, ctx: CookieTarget, domain?: string): void {
  ctx.setCookies.push(...unsetTokenCookies(manager.config, 'refresh', domain));
}

/** `unset_jwt_cookies(response, domain=None)`: both. */
export function unsetJwtCookies(manager: CookieManager, ctx: CookieTarget, domain?: string): void {
  unsetAccessCookies(manager, ctx, domain);
  unsetRefreshCookies(manager, ctx, domain);
}
