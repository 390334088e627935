/**
 * Loading the configuration: flask_jwt_extended's defaults (settings.ts), the
 * user's values on top in `setdefault` style (what the user sets wins, the
 * default fills the rest), and every value checked.
 *
 * Unlike flask_jwt_extended, which checks each option lazily and answers 500 on
 * the first request that trips over a bad one, everything is checked here, at
 * start-up, with a message that names the key.
 */
import { SUPPORTED_ALGORITHMS, type AlgorithmName, type Jwk } from '../../lib/index.js';
import type { SameSite } from '../http/cookies.js';
import { CONFIG_KEYS, DEFAULT_CONFIG, JWT_SETTINGS, TOKEN_LOCATIONS, type ConfigKey, type JwtConfig, type SettingKind, type TokenLocation } from './settings.js';

/** A configuration problem, found at start-up. The message names the key. */
export class ConfigError extends Error {
  readonly key: string;

  constructor(key: string, message: string) {
    super(message.startsWith(key) ? message : `${key}: ${message}`);
    this.name = 'ConfigError';
    this.key = key;
  }
}

/**
 * Builds the configuration: defaults, then `overrides` on top (setdefault style),
 * then every value checked. Throws a ConfigError naming the first bad key.
 */
export function loadConfig(overrides: Partial<Record<ConfigKey, unknown>> = {}): JwtConfig {
  for (const key of Object.keys(overrides)) {
    if (!Object.hasOwn(JWT_SETTINGS, key)) throw new ConfigError(key, 'is not a flask_jwt_extended option');
  }
  const merged: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) merged[key] = value;
  for (const key of CONFIG_KEYS) merged[key] = checkSetting(key, JWT_SETTINGS[key].kind, merged[key]);
  const config = Object.freeze(merged) as unknown as JwtConfig;
  checkCombinations(config);
  return config;
}

/** Checks one value of a given kind; throws a ConfigError naming `key`. */
export function checkSetting(key: string, kind: SettingKind, value: unknown): unknown {
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
    case 'port':
      if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 65535) throw new ConfigError(key, `${key} must be a port number (0 to 65535)`);
      return value;
    case 'bytes':
      if (!Number.isSafeInteger(value) || (value as number) < 1) throw new ConfigError(key, `${key} must be a positive number of bytes`);
      return value;
    case 'positive':
      if (!Number.isSafeInteger(value) || (value as number) < 1) throw new ConfigError(key, `${key} must be a positive whole number`);
      return value;
    case 'count':
      if (!Number.isSafeInteger(value) || (value as number) < 0) throw new ConfigError(key, `${key} must be a whole number (0: none)`);
      return value;
  }
}

function nonNegative(key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigError(key, 'must be a non-negative number of seconds');
  }
  return value;
}

function stringList(key: string, value: unknown): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) {
    throw new ConfigError(key, 'must be a string or a list of strings');
  }
  return [...list];
}

function sameSite(key: string, value: unknown): SameSite | null {
  if (value === null) return null;
  const title = typeof value === 'string' ? value.charAt(0).toUpperCase() + value.slice(1).toLowerCase() : '';
  if (title === 'None' || title === 'Lax' || title === 'Strict') return title;
  throw new ConfigError(key, 'must be "None", "Lax", "Strict" or unset');
}

function locations(key: string, value: unknown): TokenLocation[] {
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

function algorithm(key: string, value: unknown): AlgorithmName {
  if (typeof value === 'string' && (SUPPORTED_ALGORITHMS as readonly string[]).includes(value)) return value as AlgorithmName;
  throw new ConfigError(key, `${JSON.stringify(value)} is not supported; this server signs with ${SUPPORTED_ALGORITHMS.join(', ')}`);
}

/** JWT_DECODE_KEYS: null, or a list of PEM texts and JWK objects (a JWK Set's `keys`). */
function retiredKeys(key: string, value: unknown): readonly (string | Jwk)[] | null {
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
