/**
 * Every setting, once: its default, its kind (how it is written and checked)
 * and what it means. The `JWT_*` settings are flask_jwt_extended 4.7.1's, with
 * its defaults (`_set_default_configuration_options` in jwt_manager.py, one
 * `setdefault` per key), plus two beyond it (JWT_DECODE_KEYS, JWT_JWKS_URL);
 * the demo server's own settings are in demo/settings.ts, in the same form. The
 * configuration's type is derived from this table, and the README's settings
 * table is checked against both tables by a test.
 */
import type { AlgorithmName, Jwk } from '../../lib/index.js';
import type { SameSite } from '../http/cookies.js';

export type TokenLocation = 'headers' | 'cookies' | 'query_string' | 'json';
export const TOKEN_LOCATIONS: readonly TokenLocation[] = ['headers', 'cookies', 'query_string', 'json'];

/** How a setting is written in an environment variable (env.ts) and checked (config.ts). */
export type SettingKind =
  | 'duration' // seconds, a duration with a unit (15m), or false
  | 'seconds' // a non-negative number of seconds
  | 'boolean'
  | 'string'
  | 'nullable' // a string, or unset
  | 'pem' // a PEM key, or @file
  | 'keys' // a JWK Set, @file or @directory of PEM files
  | 'url' // an http(s) URL
  | 'list' // comma-separated words
  | 'audience' // one string or several
  | 'samesite'
  | 'locations'
  | 'algorithm'
  | 'algorithms'
  | 'port'
  | 'bytes' // a positive whole number of bytes
  | 'positive' // a positive whole number
  | 'count'; // a whole number, 0 included

export interface Setting<T> {
  readonly default: T;
  readonly kind: SettingKind;
  readonly meaning: string;
}

export function setting<T>(value: T, kind: SettingKind, meaning: string): Setting<T> {
  return { default: value, kind, meaning };
}

/** flask_jwt_extended's settings (and two beyond it), in the reference's order. */
export const JWT_SETTINGS = {
  JWT_ACCESS_TOKEN_EXPIRES: setting<number | false>(15 * 60, 'duration', 'access-token lifetime: seconds, a duration (`15m`, `1h`, `30d`) or `false` for no `exp` claim'),
  JWT_REFRESH_TOKEN_EXPIRES: setting<number | false>(30 * 24 * 60 * 60, 'duration', 'refresh-token lifetime, written the same way'),
  JWT_ALGORITHM: setting<AlgorithmName>('HS256', 'algorithm', 'the algorithm new tokens are signed with: HS256/384/512 with `JWT_SECRET_KEY`, or RS*, PS*, ES256/384/512, EdDSA with the key pair below'),
  JWT_DECODE_ALGORITHMS: setting<readonly AlgorithmName[] | null>(null, 'algorithms', 'algorithms accepted when verifying, comma-separated; `JWT_ALGORITHM` is always added'),
  JWT_SECRET_KEY: setting<string | null>(null, 'nullable', 'the HMAC key, as text; at least 32/48/64 bytes for HS256/384/512. Unset: the development key in `DATA_DIR` (also read from Flask\'s `SECRET_KEY`)'),
  JWT_PRIVATE_KEY: setting<string | null>(null, 'pem', 'the private key that signs, with a public-key `JWT_ALGORITHM`: PEM text, or `@path/to/key.pem`'),
  JWT_PUBLIC_KEY: setting<string | null>(null, 'pem', 'the public key that verifies (must match the private key; published at `/.well-known/jwks.json`): PEM text or `@path`'),
  JWT_DECODE_KEYS: setting<readonly (string | Jwk)[] | null>(null, 'keys', 'beyond flask_jwt_extended: retired public keys that still verify (key rotation): a JWK Set as JSON, `@keys.jwks.json` or `@directory/` of `.pem` files; each token\'s `kid` picks its key'),
  JWT_JWKS_URL: setting<string | null>(null, 'url', 'beyond flask_jwt_extended: a verify-only resource server that checks tokens with the issuer\'s JWKS (fetched at start and on an unknown `kid`, at most every 10 s; 3 s timeout, 64 KiB limit)'),
  JWT_DECODE_AUDIENCE: setting<string | readonly string[] | null>(null, 'audience', 'expected `aud` (comma-separated for several); unset: `aud` is not checked'),
  JWT_DECODE_ISSUER: setting<string | null>(null, 'nullable', 'expected `iss`; unset: `iss` is not checked'),
  JWT_DECODE_LEEWAY: setting<number>(0, 'seconds', 'seconds of clock skew allowed for `exp`, `nbf` and `iat`'),
  JWT_ENCODE_AUDIENCE: setting<string | readonly string[] | null>(null, 'audience', '`aud` put into new tokens'),
  JWT_ENCODE_ISSUER: setting<string | null>(null, 'nullable', '`iss` put into new tokens'),
  JWT_ENCODE_NBF: setting<boolean>(true, 'boolean', 'put `nbf` (= `iat`) into new tokens'),
  JWT_VERIFY_SUB: setting<boolean>(true, 'boolean', 'PyJWT\'s `verify_sub` (a `sub` of the wrong type is refused either way here: RFC 7519 §4.1.2)'),
  JWT_ERROR_MESSAGE_KEY: setting<string>('msg', 'string', 'the key of the error message in JSON error bodies'),
  JWT_IDENTITY_CLAIM: setting<string>('sub', 'string', 'the claim that holds the identity'),
  JWT_TOKEN_LOCATION: setting<readonly TokenLocation[]>(['headers'], 'locations', 'where to look for a token, in order: `headers`, `cookies`, `query_string`, `json`'),
  JWT_HEADER_NAME: setting<string>('Authorization', 'string', 'the header that carries the token'),
  JWT_HEADER_TYPE: setting<string>('Bearer', 'string', 'the scheme word before the token; empty: the header holds only the token'),
  JWT_QUERY_STRING_NAME: setting<string>('jwt', 'string', 'the query parameter that carries the token'),
  JWT_QUERY_STRING_VALUE_PREFIX: setting<string>('', 'string', 'a prefix the query value must start with'),
  JWT_JSON_KEY: setting<string>('access_token', 'string', 'the JSON body key of an access token'),
  JWT_REFRESH_JSON_KEY: setting<string>('refresh_token', 'string', 'the JSON body key of a refresh token'),
  JWT_ACCESS_COOKIE_NAME: setting<string>('access_token_cookie', 'string', 'the cookie holding the access token'),
  JWT_REFRESH_COOKIE_NAME: setting<string>('refresh_token_cookie', 'string', 'the cookie holding the refresh token'),
  JWT_ACCESS_COOKIE_PATH: setting<string>('/', 'string', '`Path` of the access-token cookie'),
  JWT_REFRESH_COOKIE_PATH: setting<string>('/', 'string', '`Path` of the refresh-token cookie'),
  JWT_COOKIE_DOMAIN: setting<string | null>(null, 'nullable', '`Domain` of the cookies'),
  JWT_COOKIE_SECURE: setting<boolean>(false, 'boolean', 'send the cookies over HTTPS only (`Secure`)'),
  JWT_COOKIE_SAMESITE: setting<SameSite | null>(null, 'samesite', '`SameSite` of the cookies: `None`, `Lax` or `Strict`'),
  JWT_SESSION_COOKIE: setting<boolean>(true, 'boolean', '`true`: session cookies; `false`: cookies that last a year (`Max-Age=31540000`)'),
  JWT_COOKIE_CSRF_PROTECT: setting<boolean>(true, 'boolean', 'put a `csrf` claim in every token, set the CSRF cookies, and check the double submit on cookie requests'),
  JWT_CSRF_METHODS: setting<readonly string[]>(['POST', 'PUT', 'PATCH', 'DELETE'], 'list', 'methods that need the CSRF value'),
  JWT_CSRF_IN_COOKIES: setting<boolean>(true, 'boolean', 'also set the readable CSRF cookies'),
  JWT_ACCESS_CSRF_COOKIE_NAME: setting<string>('csrf_access_token', 'string', 'the CSRF cookie of the access token'),
  JWT_REFRESH_CSRF_COOKIE_NAME: setting<string>('csrf_refresh_token', 'string', 'the CSRF cookie of the refresh token'),
  JWT_ACCESS_CSRF_COOKIE_PATH: setting<string>('/', 'string', '`Path` of the access CSRF cookie'),
  JWT_REFRESH_CSRF_COOKIE_PATH: setting<string>('/', 'string', '`Path` of the refresh CSRF cookie'),
  JWT_ACCESS_CSRF_HEADER_NAME: setting<string>('X-CSRF-TOKEN', 'string', 'the header that must repeat the access token\'s CSRF value'),
  JWT_REFRESH_CSRF_HEADER_NAME: setting<string>('X-CSRF-TOKEN', 'string', 'the header that must repeat the refresh token\'s CSRF value'),
  JWT_CSRF_CHECK_FORM: setting<boolean>(false, 'boolean', 'also accept the CSRF value from a form field'),
  JWT_ACCESS_CSRF_FIELD_NAME: setting<string>('csrf_token', 'string', 'that form field, for access tokens'),
  JWT_REFRESH_CSRF_FIELD_NAME: setting<string>('csrf_token', 'string', 'that form field, for refresh tokens'),
} as const;


/** The type of a setting's value. */
export type ValueOf<S> = S extends Setting<infer T> ? T : never;

/** The configuration, with the reference's names. Durations are seconds; `false` means "no expiry". */
export type JwtConfig = { readonly [K in keyof typeof JWT_SETTINGS]: ValueOf<(typeof JWT_SETTINGS)[K]> };
export type ConfigKey = keyof JwtConfig;

export const CONFIG_KEYS = Object.keys(JWT_SETTINGS) as ConfigKey[];

/** The defaults, as one frozen configuration object. */
export const DEFAULT_CONFIG = Object.freeze(Object.fromEntries(CONFIG_KEYS.map((key) => [key, JWT_SETTINGS[key].default]))) as JwtConfig;
