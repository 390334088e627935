/**
 * Where a request carries its token: the four locations of flask_jwt_extended
 * (view_decorators.py `_decode_jwt_from_headers`, `_from_cookies`,
 * `_from_query_string`, `_from_json`), with the same messages.
 *
 * Each returns the encoded token and, for cookies on a CSRF-checked method, the
 * submitted CSRF value. "Nothing here" is a NoAuthorizationError, which lets the
 * guard try the next location; anything else stops the search at once.
 */
import type { Context } from '../http/context.js';
import { csrfProtect } from './cookies.js';
import { CsrfError, InvalidTokenError, NoAuthorizationError } from './exceptions.js';
import type { JwtConfig, TokenLocation } from './settings.js';

export interface FoundToken {
  readonly token: unknown;
  readonly csrf: string | undefined;
}

export function tokenFrom(location: TokenLocation, ctx: Context, config: JwtConfig, refresh: boolean): FoundToken {
  switch (location) {
    case 'headers':
      return fromHeaders(ctx, config);
    case 'cookies':
      return fromCookies(ctx, config, refresh);
    case 'query_string':
      return fromQueryString(ctx, config);
    case 'json':
      return fromJson(ctx, config, refresh);
  }
}

/**
 * `Authorization: Bearer <JWT>`. The header may hold several comma-separated
 * credentials (RFC 9110 §11.6.2); exactly one must use our scheme word, which is
 * compared case-sensitively as the reference does. Empty items are skipped (the
 * upstream fix for a crash in 4.7.1 on "Basic x,, Bearer <jwt>").
 */
function fromHeaders(ctx: Context, config: JwtConfig): FoundToken {
  const name = config.JWT_HEADER_NAME;
  const type = config.JWT_HEADER_TYPE;
  const value = trimCommas((ctx.header(name) ?? '').trim());
  if (value === '') throw new NoAuthorizationError(`Missing ${name} Header`);
  if (type === '') {
    const parts = words(value);
    if (parts.length !== 1) throw new InvalidTokenError(`Bad ${name} header. Expected '${name}: <JWT>'`);
    return { token: parts[0], csrf: undefined };
  }
  // The usual case, "Bearer <token>" and nothing else, needs none of the splitting below.
  if (value.charCodeAt(type.length) === 0x20 && value.startsWith(type)) {
    const simple = value.slice(type.length + 1);
    if (!hasSeparator(simple)) return { token: simple, csrf: undefined };
  }
  const candidates = value.split(/,\s*/).filter((item) => item !== '' && words(item)[0] === type);
  if (candidates.length !== 1) {
    throw new NoAuthorizationError(`Missing '${type}' type in '${name}' header. Expected '${name}: ${type} <JWT>'`);
  }
  const parts = words(candidates[0] ?? '');
  if (parts.length !== 2) throw new InvalidTokenError(`Bad ${name} header. Expected '${name}: ${type} <JWT>'`);
  return { token: parts[1], csrf: undefined };
}

/**
 * Whether a header value holds a comma or whitespace, which only the general
 * path takes apart. Node hands header values over as latin1 text and refuses
 * control characters other than the tab (400), so the whitespace that can
 * arrive is the space, the tab, NEL (0x85) and the no-break space (0xA0): five
 * native `includes` scans cost less than half of one regular expression's scan
 * of a ~350-character token.
 */
const SEPARATORS = [',', ' ', '\t', '\u0085', '\u00a0'];

function hasSeparator(text: string): boolean {
  return SEPARATORS.some((separator) => text.includes(separator));
}

/**
 * Python's `str.split()`: runs of whitespace separate, leading and trailing ones
 * are dropped. Python's whitespace is JavaScript's `\s` and also 0x1C–0x1F and
 * NEL (0x85).
 */
function words(text: string): string[] {
  return text.split(/[\s\x1c-\x1f\x85]+/).filter((word) => word !== '');
}

/** Python's `str.strip(",")`. */
function trimCommas(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 0x2c) start++;
  while (end > start && text.charCodeAt(end - 1) === 0x2c) end--;
  return text.slice(start, end);
}

/** The JWT cookie, and for state-changing methods the CSRF double submit. */
function fromCookies(ctx: Context, config: JwtConfig, refresh: boolean): FoundToken {
  const cookieName = refresh ? config.JWT_REFRESH_COOKIE_NAME : config.JWT_ACCESS_COOKIE_NAME;
  const token = ctx.cookies().get(cookieName);
  if (!token) throw new NoAuthorizationError(`Missing cookie "${cookieName}"`);
  // Whatever JWT_TOKEN_LOCATION says: a route that reads cookies itself is checked too (4.6.0+).
  if (!csrfProtect(config) || !config.JWT_CSRF_METHODS.includes(ctx.method)) return { token, csrf: undefined };
  const headerName = refresh ? config.JWT_REFRESH_CSRF_HEADER_NAME : config.JWT_ACCESS_CSRF_HEADER_NAME;
  let csrf = ctx.header(headerName);
  if (!csrf && config.JWT_CSRF_CHECK_FORM) {
    csrf = ctx.form().get(refresh ? config.JWT_REFRESH_CSRF_FIELD_NAME : config.JWT_ACCESS_CSRF_FIELD_NAME) ?? undefined;
  }
  if (!csrf) throw new CsrfError('Missing CSRF token');
  return { token, csrf };
}

function fromQueryString(ctx: Context, config: JwtConfig): FoundToken {
  const name = config.JWT_QUERY_STRING_NAME;
  const prefix = config.JWT_QUERY_STRING_VALUE_PREFIX;
  const value = ctx.query.get(name);
  // "paramater" (sic) is the reference's spelling; clients may match on it.
  if (!value) throw new NoAuthorizationError(`Missing '${name}' query paramater`);
  if (!value.startsWith(prefix)) {
    throw new InvalidTokenError(`Invalid value for query parameter '${name}'. Expected the value to start with '${prefix}'`);
  }
  return { token: value.slice(prefix.length), csrf: undefined };
}

function fromJson(ctx: Context, config: JwtConfig, refresh: boolean): FoundToken {
  // The reference tests the raw Content-Type with startswith("application/json").
  if (!(ctx.header('content-type') ?? '').startsWith('application/json')) {
    throw new NoAuthorizationError('Invalid content-type. Must be application/json.');
  }
  const key = refresh ? config.JWT_REFRESH_JSON_KEY : config.JWT_JSON_KEY;
  const body = ctx.json();
  // Bad JSON, a body that is not an object (the reference crashes with a 500 on
  // an array), a missing key or a falsy value all mean "no token here".
  const value = body.kind === 'ok' && isObject(body.value) ? body.value[key] : undefined;
  if (isFalsyInPython(value)) throw new NoAuthorizationError(`Missing "${key}" key in json data.`);
  return { token: value, csrf: undefined };
}

/** Python's truthiness of a JSON value: empty lists and dicts are false too. */
function isFalsyInPython(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (isObject(value)) return Object.keys(value).length === 0;
  return !value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
