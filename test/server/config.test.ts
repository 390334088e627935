import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../server/jwt/config.js';
import { configFromEnv } from '../../server/jwt/env.js';
import { JwtManager } from '../../server/jwt/manager.js';
import { CONFIG_KEYS, DEFAULT_CONFIG } from '../../server/jwt/settings.js';
import { SECRET } from './harness.js';

describe('config defaults (flask_jwt_extended 4.7.1 setdefault calls)', () => {
  it('has every key of the reference with its default', () => {
    // The reference's 43 keys, and two of ours, beyond the reference: JWT_DECODE_KEYS (key
    // rotation) and JWT_JWKS_URL (a verify-only resource server).
    const ours = ['JWT_DECODE_KEYS', 'JWT_JWKS_URL'];
    assert.equal(CONFIG_KEYS.filter((key) => !ours.includes(key)).length, 43);
    for (const key of ours) assert.ok((CONFIG_KEYS as readonly string[]).includes(key), key);
    assert.equal(DEFAULT_CONFIG.JWT_ACCESS_TOKEN_EXPIRES, 900);
    assert.equal(DEFAULT_CONFIG.JWT_REFRESH_TOKEN_EXPIRES, 2592000);
    assert.deepEqual(DEFAULT_CONFIG.JWT_TOKEN_LOCATION, ['headers']);
    assert.deepEqual(DEFAULT_CONFIG.JWT_CSRF_METHODS, ['POST', 'PUT', 'PATCH', 'DELETE']);
    assert.equal(DEFAULT_CONFIG.JWT_HEADER_TYPE, 'Bearer');
    assert.equal(DEFAULT_CONFIG.JWT_REFRESH_JSON_KEY, 'refresh_token');
    assert.equal(DEFAULT_CONFIG.JWT_COOKIE_CSRF_PROTECT, true);
    assert.equal(DEFAULT_CONFIG.JWT_SESSION_COOKIE, true);
    assert.equal(DEFAULT_CONFIG.JWT_ENCODE_NBF, true);
    assert.equal(DEFAULT_CONFIG.JWT_ERROR_MESSAGE_KEY, 'msg');
  });

  it('fills defaults under what the user sets (setdefault)', () => {
    const config = loadConfig({ JWT_SECRET_KEY: SECRET, JWT_HEADER_TYPE: 'JWT' });
    assert.equal(config.JWT_HEADER_TYPE, 'JWT');
    assert.equal(config.JWT_HEADER_NAME, 'Authorization');
    assert.ok(Object.isFrozen(config));
  });
});

describe('config from the environment', () => {
  it('parses durations, false, lists, booleans and audiences', () => {
    const overrides = configFromEnv({
      JWT_SECRET_KEY: SECRET,
      JWT_ACCESS_TOKEN_EXPIRES: '60',
      JWT_REFRESH_TOKEN_EXPIRES: 'false',
      JWT_TOKEN_LOCATION: 'headers, cookies',
      JWT_COOKIE_SECURE: 'true',
      JWT_ENCODE_NBF: 'False',
      JWT_CSRF_METHODS: 'post,put',
      JWT_DECODE_AUDIENCE: 'api,web',
      JWT_ENCODE_AUDIENCE: 'api',
      JWT_DECODE_LEEWAY: '10',
      JWT_COOKIE_DOMAIN: '',
      JWT_COOKIE_SAMESITE: 'lax',
      JWT_DECODE_ALGORITHMS: 'HS256,HS384',
    });
    const config = loadConfig(overrides);
    assert.equal(config.JWT_ACCESS_TOKEN_EXPIRES, 60);
    assert.equal(config.JWT_REFRESH_TOKEN_EXPIRES, false);
    assert.deepEqual(config.JWT_TOKEN_LOCATION, ['headers', 'cookies']);
    assert.equal(config.JWT_COOKIE_SECURE, true);
    assert.equal(config.JWT_ENCODE_NBF, false);
    assert.deepEqual(config.JWT_CSRF_METHODS, ['POST', 'PUT']);
    assert.deepEqual(config.JWT_DECODE_AUDIENCE, ['api', 'web']);
    assert.equal(config.JWT_ENCODE_AUDIENCE, 'api');
    assert.equal(config.JWT_DECODE_LEEWAY, 10);
    assert.equal(config.JWT_COOKIE_DOMAIN, null);
    assert.equal(config.JWT_COOKIE_SAMESITE, 'Lax');
    assert.deepEqual(config.JWT_DECODE_ALGORITHMS, ['HS256', 'HS384']);
  });

  it('falls back to SECRET_KEY, as Flask does', () => {
    assert.equal(configFromEnv({ SECRET_KEY: SECRET }).JWT_SECRET_KEY, SECRET);
    assert.equal(configFromEnv({ SECRET_KEY: 'x', JWT_SECRET_KEY: SECRET }).JWT_SECRET_KEY, SECRET);
    assert.equal(configFromEnv({}).JWT_SECRET_KEY, undefined);
  });

  it('treats a zero duration as no expiry, like timedelta(0)', () => {
    assert.equal(loadConfig({ JWT_SECRET_KEY: SECRET, ...configFromEnv({ JWT_ACCESS_TOKEN_EXPIRES: '0' }) }).JWT_ACCESS_TOKEN_EXPIRES, false);
  });

  const refused: Array<[Record<string, string>, string, RegExp]> = [
    [{ JWT_ACCESS_TOKEN_EXPIRES: 'soon' }, 'JWT_ACCESS_TOKEN_EXPIRES', /number of seconds or false/],
    [{ JWT_ACCESS_TOKEN_EXPIRES: '-5' }, 'JWT_ACCESS_TOKEN_EXPIRES', /non-negative/],
    [{ JWT_DECODE_LEEWAY: 'x' }, 'JWT_DECODE_LEEWAY', /number of seconds/],
    [{ JWT_COOKIE_SECURE: 'maybe' }, 'JWT_COOKIE_SECURE', /true or false/],
    [{ JWT_TOKEN_LOCATION: 'headers,body' }, 'JWT_TOKEN_LOCATION', /can only contain "headers", "cookies", "query_string", or "json"/],
    [{ JWT_TOKEN_LOCATION: '' }, 'JWT_TOKEN_LOCATION', /must contain at least one/],
    [{ JWT_HEADER_NAME: '' }, 'JWT_HEADER_NAME', /JWT_HEADER_NAME cannot be empty/],
    [{ JWT_ALGORITHM: 'ES256K' }, 'JWT_ALGORITHM', /not supported/],
    [{ JWT_ALGORITHM: 'RS256' }, 'JWT_PRIVATE_KEY', /JWT_PRIVATE_KEY must be set to use asymmetric cryptography algorithm "RS256"/],
    [{ JWT_DECODE_ALGORITHMS: 'HS256,none' }, 'JWT_DECODE_ALGORITHMS', /not supported/],
    [{ JWT_COOKIE_SAMESITE: 'sometimes' }, 'JWT_COOKIE_SAMESITE', /"None", "Lax", "Strict"/],
    [{ JWT_ERROR_MESSAGE_KEY: '' }, 'JWT_ERROR_MESSAGE_KEY', /cannot be empty/],
    [{ JWT_IDENTITY_CLAIM: '' }, 'JWT_IDENTITY_CLAIM', /cannot be empty/],
  ];
  for (const [env, key, message] of refused) {
    it(`refuses ${JSON.stringify(env)} naming ${key}`, () => {
      assert.throws(() => loadConfig({ JWT_SECRET_KEY: SECRET, ...configFromEnv(env) }), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.key, key);
        assert.match(error.message, message);
        assert.ok(error.message.startsWith(key), error.message);
        return true;
      });
    });
  }

  it('refuses to start without a secret, with the reference message', () => {
    assert.throws(() => loadConfig({}), { key: 'JWT_SECRET_KEY', message: /JWT_SECRET_KEY or SECRET_KEY must be set when using symmetric algorithm "HS256"/ });
  });

  it('refuses a secret shorter than the hash output (RFC 7518 §3.2)', () => {
    assert.throws(() => new JwtManager(loadConfig({ JWT_SECRET_KEY: 'short' })), { name: 'ConfigError', key: 'JWT_SECRET_KEY', message: /at least 32 bytes/ });
    assert.throws(() => new JwtManager(loadConfig({ JWT_SECRET_KEY: SECRET, JWT_ALGORITHM: 'HS512' })), { key: 'JWT_SECRET_KEY', message: /at least 64 bytes/ });
  });

  it('refuses unknown keys and values of the wrong type', () => {
    assert.throws(() => loadConfig({ JWT_SECRET_KEY: SECRET, JWT_NOT_A_KEY: 1 } as Record<string, unknown>), { key: 'JWT_NOT_A_KEY' });
    assert.throws(() => loadConfig({ JWT_SECRET_KEY: SECRET, JWT_COOKIE_SECURE: 'yes' }), { key: 'JWT_COOKIE_SECURE' });
    assert.throws(() => loadConfig({ JWT_SECRET_KEY: SECRET, JWT_HEADER_TYPE: 5 }), { key: 'JWT_HEADER_TYPE' });
    assert.throws(() => loadConfig({ JWT_SECRET_KEY: 5 }), { key: 'JWT_SECRET_KEY' });
    assert.throws(() => loadConfig({ JWT_SECRET_KEY: SECRET, JWT_CSRF_METHODS: [1] }), { key: 'JWT_CSRF_METHODS' });
    assert.throws(() => loadConfig({ JWT_SECRET_KEY: SECRET, JWT_TOKEN_LOCATION: 5 }), { key: 'JWT_TOKEN_LOCATION', message: /sequence or a set/ });
    assert.throws(() => loadConfig({ JWT_SECRET_KEY: SECRET, JWT_DECODE_AUDIENCE: 5 }), { key: 'JWT_DECODE_AUDIENCE' });
    assert.equal(loadConfig({ JWT_SECRET_KEY: SECRET, JWT_TOKEN_LOCATION: 'cookies' }).JWT_TOKEN_LOCATION[0], 'cookies');
    assert.equal(loadConfig({ JWT_SECRET_KEY: SECRET, JWT_ACCESS_TOKEN_EXPIRES: null }).JWT_ACCESS_TOKEN_EXPIRES, false);
  });
});
