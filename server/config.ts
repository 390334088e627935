/**
 * The configuration map: flask_jwt_extended's `JWT_*` keys with its defaults
 * (`_set_default_configuration_options` in its jwt_manager.py), applied in
 * `setdefault` style: what the user sets wins, the default fills the rest.
 *
 * Unlike flask_jwt_extended, which checks each option lazily and answers 500 on
 * the first request that trips over a bad one, everything is checked here, at
 * start-up, with a message that names the key.
 */
import { SUPPORTED_ALGORITHMS, type AlgorithmName, type Jwk } from '../lib/index.js';

export type TokenLocation = 'headers' | 'cookies' | 'query_string' | 'json';
export type SameSite = 'None' | 'Lax' | 'Strict';

export const TOKEN_LOCATIONS: readonly TokenLocation[] = ['headers', 'cookies', 'query_string', 'json'];

/** The configuration, with the reference's names. Durations are seconds; `false` means "no expiry". */
export interface JwtConfig {
  readonly JWT_ACCESS_TOKEN_EXPIRES: number | false;
  readonly JWT_REFRESH_TOKEN_EXPIRES: number | false;
  readonly JWT_ALGORITHM: AlgorithmName;
  readonly JWT_DECODE_ALGORITHMS: readonly AlgorithmName[] | null;
  readonly JWT_SECRET_KEY: string | null;
  readonly JWT_PRIVATE_KEY: string | null;
  readonly JWT_PUBLIC_KEY: string | null;
  /** Beyond flask_jwt_extended: the issuer's JWKS URL, for a verify-only resource server. */
  readonly JWT_JWKS_URL: string | null;
  /** Beyond flask_jwt_extended: retired public keys (PEM texts or JWKs) that still verify, for key rotation. */
  readonly JWT_DECODE_KEYS: readonly (string | Jwk)[] | null;
  readonly JWT_DECODE_AUDIENCE: string | readonly string[] | null;
  readonly JWT_DECODE_ISSUER: string | null;
  readonly JWT_DECODE_LEEWAY: number;
  readonly JWT_ENCODE_AUDIENCE: string | readonly string[] | null;
  readonly JWT_ENCODE_ISSUER: string | null;
  readonly JWT_ENCODE_NBF: boolean;
  readonly JWT_VERIFY_SUB: boolean;
  readonly JWT_ERROR_MESSAGE_KEY: string;
  readonly JWT_IDENTITY_CLAIM: string;
  readonly JWT_TOKEN_LOCATION: readonly TokenLocation[];
  readonly JWT_HEADER_NAME: string;
  readonly JWT_HEADER_TYPE: string;
  readonly JWT_QUERY_STRING_NAME: string;
  readonly JWT_QUERY_STRING_VALUE_PREFIX: string;
  readonly JWT_JSON_KEY: string;
  readonly JWT_REFRESH_JSON_KEY: string;
  readonly JWT_ACCESS_COOKIE_NAME: string;
  readonly JWT_REFRESH_COOKIE_NAME: string;
  readonly JWT_ACCESS_COOKIE_PATH: string;
  readonly JWT_REFRESH_COOKIE_PATH: string;
  readonly JWT_COOKIE_DOMAIN: string | null;
  readonly JWT_COOKIE_SECURE: boolean;
  readonly JWT_COOKIE_SAMESITE: SameSite | null;
  readonly JWT_SESSION_COOKIE: boolean;
  readonly JWT_COOKIE_CSRF_PROTECT: boolean;
  readonly JWT_CSRF_METHODS: readonly string[];
  readonly JWT_CSRF_IN_COOKIES: boolean;
  readonly JWT_ACCESS_CSRF_COOKIE_NAME: string;
  readonly JWT_REFRESH_CSRF_COOKIE_NAME: string;
  readonly JWT_ACCESS_CSRF_COOKIE_PATH: string;
  readonly JWT_REFRESH_CSRF_COOKIE_PATH: string;
  readonly JWT_ACCESS_CSRF_HEADER_NAME: string;
  readonly JWT_REFRESH_CSRF_HEADER_NAME: string;
  readonly JWT_CSRF_CHECK_FORM: boolean;
  readonly JWT_ACCESS_CSRF_FIELD_NAME: string;
  readonly JWT_REFRESH_CSRF_FIELD_NAME: string;
}

export type ConfigKey = keyof JwtConfig;

/** flask_jwt_extended 4.7.1's defaults (jwt_manager.py `setdefault` calls). */
export const DEFAULT_CONFIG: JwtConfig = Object.freeze<JwtConfig>({
  JWT_ACCESS_TOKEN_EXPIRES: 15 * 60,
  JWT_REFRESH_TOKEN_EXPIRES: 30 * 24 * 60 * 60,
  JWT_ALGORITHM: 'HS256',
  JWT_DECODE_ALGORITHMS: null,
  JWT_SECRET_KEY: null,
  JWT_PRIVATE_KEY: null,
  JWT_PUBLIC_KEY: null,
  JWT_DECODE_KEYS: null,
  JWT_JWKS_URL: null,
  JWT_DECODE_AUDIENCE: null,
  JWT_DECODE_ISSUER: null,
  JWT_DECODE_LEEWAY: 0,
  JWT_ENCODE_AUDIENCE: null,
  JWT_ENCODE_ISSUER: null,
  JWT_ENCODE_NBF: true,
  JWT_VERIFY_SUB: true,
  JWT_ERROR_MESSAGE_KEY: 'msg',
  JWT_IDENTITY_CLAIM: 'sub',
  JWT_TOKEN_LOCATION: ['headers'],
  JWT_HEADER_NAME: 'Authorization',
  JWT_HEADER_TYPE: 'Bearer',
  JWT_QUERY_STRING_NAME: 'jwt',
  JWT_QUERY_STRING_VALUE_PREFIX: '',
  JWT_JSON_KEY: 'access_token',
  JWT_REFRESH_JSON_KEY: 'refresh_token',
  JWT_ACCESS_COOKIE_NAME: 'access_token_cookie',
  JWT_REFRESH_COOKIE_NAME: 'refresh_token_cookie',
  JWT_ACCESS_COOKIE_PATH: '/',
  JWT_REFRESH_COOKIE_PATH: '/',
  JWT_COOKIE_DOMAIN: null,
  JWT_COOKIE_SECURE: false,
  JWT_COOKIE_SAMESITE: null,
  JWT_SESSION_COOKIE: true,
  JWT_COOKIE_CSRF_PROTECT: true,
  JWT_CSRF_METHODS: ['POST', 'PUT', 'PATCH', 'DELETE'],
  JWT_CSRF_IN_COOKIES: true,
  JWT_ACCESS_CSRF_COOKIE_NAME: 'csrf_access_token',
  JWT_REFRESH_CSRF_COOKIE_NAME: 'csrf_refresh_token',
  JWT_ACCESS_CSRF_COOKIE_PATH: '/',
  JWT_REFRESH_CSRF_COOKIE_PATH: '/',
  JWT_ACCESS_CSRF_HEADER_NAME: 'X-CSRF-TOKEN',
  JWT_REFRESH_CSRF_HEADER_NAME: 'X-CSRF-TOKEN',
  JWT_CSRF_CHECK_FORM: false,
  JWT_ACCESS_CSRF_FIELD_NAME: 'csrf_token',
  JWT_REFRESH_CSRF_FIELD_NAME: 'csrf_token',
});

/** A configuration problem, found at start-up. The message names the key. */
export class ConfigError extends Error {
  readonly key: string;

  constructor(key: string, message: string) {
    super(message.startsWith(key) ? message : `${key}: ${message}`);
    this.name = 'ConfigError';
    this.key = key;
  }
}

/** What type of value each key takes (and so how it is written in an environment variable, see env.ts). */
export type Kind = 'duration' | 'string' | 'nullable' | 'pem' | 'keys' | 'url' | 'boolean' | 'list' | 'audience' | 'seconds' | 'samesite' | 'locations' | 'algorithm' | 'algorithms';

export const KINDS: { readonly [K in ConfigKey]: Kind } = {
  JWT_ACCESS_TOKEN_EXPIRES: 'duration',
  JWT_REFRESH_TOKEN_EXPIRES: 'duration',
  JWT_ALGORITHM: 'algorithm',
  JWT_DECODE_ALGORITHMS: 'algorithms',
  JWT_SECRET_KEY: 'nullable',
  JWT_PRIVATE_KEY: 'pem',
  JWT_PUBLIC_KEY: 'pem',
  JWT_DECODE_KEYS: 'keys',
  JWT_JWKS_URL: 'url',
  JWT_DECODE_AUDIENCE: 'audience',
  JWT_DECODE_ISSUER: 'nullable',
  JWT_DECODE_LEEWAY: 'seconds',
  JWT_ENCODE_AUDIENCE: 'audience',
  JWT_ENCODE_ISSUER: 'nullable',
  JWT_ENCODE_NBF: 'boolean',
  JWT_VERIFY_SUB: 'boolean',
  JWT_ERROR_MESSAGE_KEY: 'string',
  JWT_IDENTITY_CLAIM: 'string',
  JWT_TOKEN_LOCATION: 'locations',
  JWT_HEADER_NAME: 'string',
  JWT_HEADER_TYPE: 'string',
  JWT_QUERY_STRING_NAME: 'string',
  JWT_QUERY_STRING_VALUE_PREFIX: 'string',
  JWT_JSON_KEY: 'string',
  JWT_REFRESH_JSON_KEY: 'string',
  JWT_ACCESS_COOKIE_NAME: 'string',
  JWT_REFRESH_COOKIE_NAME: 'string',
  JWT_ACCESS_COOKIE_PATH: 'string',
  JWT_REFRESH_COOKIE_PATH: 'string',
  JWT_COOKIE_DOMAIN: 'nullable',
  JWT_COOKIE_SECURE: 'boolean',
  JWT_COOKIE_SAMESITE: 'samesite',
  JWT_SESSION_COOKIE: 'boolean',
  JWT_COOKIE_CSRF_PROTECT: 'boolean',
  JWT_CSRF_METHODS: 'list',
  JWT_CSRF_IN_COOKIES: 'boolean',
  JWT_ACCESS_CSRF_COOKIE_NAME: 'string',
  JWT_REFRESH_CSRF_COOKIE_NAME: 'string',
  JWT_ACCESS_CSRF_COOKIE_PATH: 'string',
  JWT_REFRESH_CSRF_COOKIE_PATH: 'string',
  JWT_ACCESS_CSRF_HEADER_NAME: 'string',
  JWT_REFRESH_CSRF_HEADER_NAME: 'string',
  JWT_CSRF_CHECK_FORM: 'boolean',
  JWT_ACCESS_CSRF_FIELD_NAME: 'string',
  JWT_REFRESH_CSRF_FIELD_NAME: 'string',
};

export const CONFIG_KEYS = Object.keys(KINDS) as ConfigKey[];

/**
 * Builds the configuration: defaults, then `overrides` on top (setdefault style),
 * then every value checked. Throws a ConfigError naming the first bad key.
 */
export function loadConfig(overrides: Partial<Record<ConfigKey, unknown>> = {}): JwtConfig {
  for (const key of Object.keys(overrides)) {
    if (!(key in KINDS)) throw new ConfigError(key, 'is not a flask_jwt_extended option');
  }
  const merged: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) merged[key] = value;
  for (const key of CONFIG_KEYS) merged[key] = check(key, KINDS[key], merged[key]);
  const config = Object.freeze(merged) as unknown as JwtConfig;
  checkCombinations(config);
  return config;
}

function check(key: ConfigKey, kind: Kind, value: unknown): unknown {
  switch (kind) {
    case 'duration':
      if (value === false || value === null) return false;
      // timedelta(0) is falsy in flask_jwt_extended: a zero duration means "no exp claim".
      if (value === 0) return false;
      return nonNegative(key, value);
    case 'seconds':
      return nonNegative(key, value);
    case 'boolean':
      if (typeof value !== 'boolean') throw new ConfigError(key, 'must be true or false');
      return value;
    case 'string':
      if (typeof value !== 'string') throw new ConfigError(key, 'must be a string');
      return value;
    case 'nullable':
    case 'pem':
      if (value !== null && typeof value !== 'string') throw new ConfigError(key, 'must be a string or null');
      return value;
    case 'audience':
      if (value === null || typeof value === 'string') return value;
      return stringList(key, value);
    case 'keys':
      return retiredKeys(key, value);
    case 'url':
      if (value === null) return null;
      if (typeof value !== 'string' || !/^https?:\/\/[^\s]+$/.test(value)) throw new ConfigError(key, 'must be an http:// or https:// URL');
      return value;
    case 'list':
      return stringList(key, value).map((method) => method.toUpperCase());
    case 'samesite':
      return sameSite(key, value);
    case 'locations':
      return locations(key, value);
    case 'algorithm':
      return algorithm(key, value);
    case 'algorithms':
      return value === null ? null : stringList(key, value).map((name) => algorithm(key, name));
  }
}

function nonNegative(key: ConfigKey, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigError(key, 'must be a non-negative number of seconds');
  }
  return value;
}

function stringList(key: ConfigKey, value: unknown): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) {
    throw new ConfigError(key, 'must be a string or a list of strings');
  }
  return [...list];
}

function sameSite(key: ConfigKey, value: unknown): SameSite | null {
  if (value === null) return null;
  const title = typeof value === 'string' ? value.charAt(0).toUpperCase() + value.slice(1).toLowerCase() : '';
  if (title === 'None' || title === 'Lax' || title === 'Strict') return title;
  throw new ConfigError(key, 'must be "None", "Lax", "Strict" or unset');
}

function locations(key: ConfigKey, value: unknown): TokenLocation[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) throw new ConfigError(key, 'JWT_TOKEN_LOCATION must be a sequence or a set');
  if (list.length === 0) {
    throw new ConfigError(key, 'JWT_TOKEN_LOCATION must contain at least one of "headers", "cookies", "query_string", or "json"');
  }
  for (const item of list) {
    if (!TOKEN_LOCATIONS.includes(item as TokenLocation)) {
      throw new ConfigError(key, `JWT_TOKEN_LOCATION can only contain "headers", "cookies", "query_string", or "json" (got ${JSON.stringify(item)})`);
    }
  }
  return list as TokenLocation[];
}

function algorithm(key: ConfigKey, value: unknown): AlgorithmName {
  if (typeof value === 'string' && (SUPPORTED_ALGORITHMS as readonly string[]).includes(value)) return value as AlgorithmName;
  throw new ConfigError(key, `${JSON.stringify(value)} is not supported; this server signs with ${SUPPORTED_ALGORITHMS.join(', ')}`);
}

/** JWT_DECODE_KEYS: null, or a list of PEM texts and JWK objects (a JWK Set's `keys`). */
function retiredKeys(key: ConfigKey, value: unknown): readonly (string | Jwk)[] | null {
  if (value === null) return null;
  const list = typeof value === 'object' && value !== null && Array.isArray((value as { keys?: unknown }).keys) ? (value as { keys: unknown[] }).keys : value;
  if (!Array.isArray(list) || !list.every((item) => (typeof item === 'string' && item.includes('-----BEGIN')) || (typeof item === 'object' && item !== null && typeof (item as { kty?: unknown }).kty === 'string'))) {
    throw new ConfigError(key, 'must be a JWK Set, or a list of PEM public keys and JWKs');
  }
  return list as (string | Jwk)[];
}

/** HS256/384/512 use a shared secret; every other algorithm a key pair (flask_jwt_extended's `is_asymmetric`). */
export function isAsymmetric(name: AlgorithmName): boolean {
  return !name.startsWith('HS');
}

/** config.py `decode_algorithms`: the configured list, with JWT_ALGORITHM added if missing. */
export function decodeAlgorithms(config: JwtConfig): readonly AlgorithmName[] {
  const decode = config.JWT_DECODE_ALGORITHMS ?? [];
  return decode.includes(config.JWT_ALGORITHM) ? decode : [...decode, config.JWT_ALGORITHM];
}

function checkCombinations(config: JwtConfig): void {
  if (config.JWT_HEADER_NAME === '') throw new ConfigError('JWT_HEADER_NAME', 'JWT_HEADER_NAME cannot be empty');
  if (config.JWT_ERROR_MESSAGE_KEY === '') throw new ConfigError('JWT_ERROR_MESSAGE_KEY', 'cannot be empty');
  if (config.JWT_IDENTITY_CLAIM === '') throw new ConfigError('JWT_IDENTITY_CLAIM', 'cannot be empty');
  const algorithms = decodeAlgorithms(config);
  const asymmetric = algorithms.filter(isAsymmetric);
  const symmetric = algorithms.filter((name) => !isAsymmetric(name));
  // flask_jwt_extended verifies every token with one decode key (config.py `decode_key`): with a
  // public-key JWT_ALGORITHM an HS256 token would be MACed with the public key's PEM, the
  // key-confusion setup of RFC 8725 §2.1 (PyJWT then fails with a 500). One family only.
  if (asymmetric.length > 0 && symmetric.length > 0) {
    throw new ConfigError(
      'JWT_DECODE_ALGORITHMS',
      `mixes HMAC (${symmetric.join(', ')}) and public-key (${asymmetric.join(', ')}) algorithms: one key cannot serve both, and using the public key as an HMAC secret is the key-confusion attack (RFC 8725 §2.1); use one family`,
    );
  }
  if (config.JWT_DECODE_KEYS !== null && !isAsymmetric(config.JWT_ALGORITHM)) {
    throw new ConfigError('JWT_DECODE_KEYS', 'holds retired public keys: it needs a public-key JWT_ALGORITHM (RS*, PS*, ES*, EdDSA)');
  }
  if (config.JWT_JWKS_URL !== null) {
    // A verify-only resource server: the issuer's keys come from its JWKS; no key of its own.
    if (!isAsymmetric(config.JWT_ALGORITHM)) throw new ConfigError('JWT_JWKS_URL', 'verifies with the issuer\'s public keys: it needs a public-key JWT_ALGORITHM (RS*, PS*, ES*, EdDSA)');
    return;
  }
  if (isAsymmetric(config.JWT_ALGORITHM)) {
    // config.py:246 and :257, the reference's words.
    if (!config.JWT_PRIVATE_KEY) throw new ConfigError('JWT_PRIVATE_KEY', `JWT_PRIVATE_KEY must be set to use asymmetric cryptography algorithm "${config.JWT_ALGORITHM}"`);
    if (!config.JWT_PUBLIC_KEY) throw new ConfigError('JWT_PUBLIC_KEY', `JWT_PUBLIC_KEY must be set to use asymmetric cryptography algorithm "${config.JWT_ALGORITHM}"`);
    return;
  }
  if (config.JWT_SECRET_KEY === null || config.JWT_SECRET_KEY === '') {
    throw new ConfigError(
      'JWT_SECRET_KEY',
      `JWT_SECRET_KEY or SECRET_KEY must be set when using symmetric algorithm "${config.JWT_ALGORITHM}"`,
    );
  }
}
