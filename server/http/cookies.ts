/**
 * Cookies (RFC 6265): reading the `Cookie` request header, and writing
 * `Set-Cookie` with the attributes, and in the attribute order, that Werkzeug's
 * `dump_cookie` uses (so the headers match a Flask app's byte for byte).
 */

export type SameSite = 'None' | 'Lax' | 'Strict';

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
