/**
 * Cookies (RFC 6265): reading the `Cookie` request header, writing `Set-Cookie`
 * with the attributes and attribute order Werkzeug's `dump_cookie` uses, and
 * flask_jwt_extended's helpers to set and unset the JWT and CSRF cookies.
 *
 * The CSRF double submit (flask_jwt_extended's default for cookie tokens): the
 * JWT travels in an HttpOnly cookie that page scripts cannot read; a second,
 * readable cookie holds the token's `csrf` claim. A state-changing request must
 * copy that value into a header (`X-CSRF-TOKEN`). Another site can make the
 * browser send the cookies, but cannot read them to fill in the header.
 */
import type { JwtConfig, SameSite } from './config.js';

/** Parses a Cookie header. The first occurrence of a name wins, as in Werkzeug. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (header === undefined) return cookies;
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    if (equals === -1) continue;
    const name = pair.slice(0, equals).trim();
    if (name === '' || cookies.has(name)) continue;
    let value = pair.slice(equals + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    cookies.set(name, safeDecode(value));
  }
  return cookies;
}

function safeDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value; // not percent-encoding after all: keep it as sent
  }
}

export interface CookieOptions {
  readonly maxAge?: number | undefined;
  /** `Expires` as a Date; `new Date(0)` deletes the cookie. */
  readonly expires?: Date;
  readonly domain?: string | null;
  readonly path?: string;
  readonly secure?: boolean;
  readonly httpOnly?: boolean;
  readonly sameSite?: SameSite | null;
}

/** Characters a cookie value may hold without quoting (RFC 6265 §4.1.1 cookie-octet). */
const COOKIE_OCTETS = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;
/** A cookie name is an RFC 7230 token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Serialises one Set-Cookie value, attributes in Werkzeug's order:
 * Domain, Expires, Max-Age, Secure, HttpOnly, Path, SameSite. As Werkzeug does,
 * a Max-Age also gets the matching Expires, for old clients.
 */
export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  if (!TOKEN.test(name)) throw new TypeError(`invalid cookie name ${JSON.stringify(name)}`);
  if (!COOKIE_OCTETS.test(value)) throw new TypeError(`cookie ${name} has a value that needs quoting`);
  const parts = [`${name}=${value}`];
  if (options.domain) parts.push(`Domain=${options.domain}`);
  const maxAge = options.maxAge;
  const expires = options.expires ?? (maxAge === undefined ? undefined : new Date(Date.now() + maxAge * 1000));
  if (expires !== undefined) parts.push(`Expires=${expires.toUTCString()}`);
  if (maxAge !== undefined) parts.push(`Max-Age=${Math.floor(maxAge)}`);
  if (options.secure === true) parts.push('Secure');
  if (options.httpOnly === true) parts.push('HttpOnly');
  if (options.path !== undefined) parts.push(`Path=${options.path}`);
  if (options.sameSite) parts.push(`SameSite=${options.sameSite}`);
  return parts.join('; ');
}

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

type Kind = 'access' | 'refresh';

function names(config: JwtConfig, kind: Kind): { cookie: string; path: string; csrfCookie: string; csrfPath: string } {
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
  kind: Kind,
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
export function unsetTokenCookies(config: JwtConfig, kind: Kind, domain?: string): string[] {
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
