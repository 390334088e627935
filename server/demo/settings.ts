/**
 * The demo server's own settings (not flask_jwt_extended's), in the same form
 * as jwt/settings.ts: default, kind, meaning. Read from the environment by
 * main.ts.
 */
import { checkSetting, ConfigError } from '../jwt/config.js';
import { parseEnv } from '../jwt/env.js';
import { setting, type ValueOf } from '../jwt/settings.js';

/** The demo server's own settings (not flask_jwt_extended's). */
export const SERVER_SETTINGS = {
  PORT: setting<number>(5000, 'port', 'the port to listen on'),
  HOST: setting<string>('127.0.0.1', 'string', 'the address to listen on'),
  MAX_CONTENT_LENGTH: setting<number>(65536, 'bytes', 'the largest request body, in bytes (413 above)'),
  DATA_DIR: setting<string>('data', 'string', 'the file store\'s directory when `STORE_URL` is unset, and where the development key is kept when `JWT_SECRET_KEY` is unset'),
  STORE_URL: setting<string | null>(null, 'nullable', 'where users and revocations live: `file:<directory>` (durable, one process), `memory:` (nothing survives a restart), or `redis://[user:password@]host:port[/db]` and `rediss://…` (TLS), shared by several processes. Unset: `file:` and `DATA_DIR`'),
  STORE_PREFIX: setting<string>('plainjwt:', 'string', 'Redis: the prefix of every key (`{plainjwt}:` for Redis Cluster)'),
  STORE_TIMEOUT_MS: setting<number>(2000, 'positive', 'Redis: the longest wait for one command, in milliseconds; then 503'),
  JWT_REFRESH_TOKEN_ROTATION: setting<boolean>(false, 'boolean', 'beyond flask_jwt_extended: each login a session; `/refresh` returns a new refresh token too, and a refresh token used twice revokes its whole session (`/sessions` lists and ends them)'),
  JWT_REFRESH_REUSE_GRACE: setting<number>(10, 'seconds', 'with rotation: seconds during which the refresh token just replaced gets the same successor again (two tabs, a retry), instead of counting as reuse'),
  WORKERS: setting<number>(1, 'positive', 'server processes on one port (`node:cluster`); more than 1 needs a Redis `STORE_URL`'),
  // On by default: a client sends the same token with every request, and a hit
  // still checks exp and nbf against the clock (lib/cache.ts); 0 turns it off.
  VERIFY_CACHE_SIZE: setting<number>(10_000, 'count', 'remember this many verified tokens (lib\'s cache; 0: off); a hit still checks exp and nbf, and revocation is checked on every request'),
} as const;

export type ServerConfig = { readonly [K in keyof typeof SERVER_SETTINGS]: ValueOf<(typeof SERVER_SETTINGS)[K]> };
export type ServerKey = keyof ServerConfig;
export const SERVER_KEYS = Object.keys(SERVER_SETTINGS) as ServerKey[];

/** The server's settings from the environment, defaults filled in; a bad value throws a ConfigError naming it. */
export function serverConfigFromEnv(env: NodeJS.ProcessEnv): ServerConfig {
  const config: Record<string, unknown> = {};
  for (const key of SERVER_KEYS) {
    const { kind, default: fallback } = SERVER_SETTINGS[key];
    const text = env[key];
    if (text === undefined) {
      config[key] = fallback;
      continue;
    }
    try {
      config[key] = checkSetting(key, kind, parseEnv(key, kind, text));
    } catch (error) {
      if (error instanceof ConfigError) throw new ConfigError(key, `${error.message}, got ${JSON.stringify(text)}`);
      throw error;
    }
  }
  return config as ServerConfig;
}
