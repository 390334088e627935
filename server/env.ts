/**
 * Configuration from environment variables of the same names as the keys
 * (`JWT_ACCESS_TOKEN_EXPIRES=900`, `JWT_TOKEN_LOCATION=headers,cookies`, …):
 * durations in seconds or `false`, lists comma-separated, booleans true/false.
 * The values are only parsed here; config.ts checks them.
 */
import { CONFIG_KEYS, ConfigError, KINDS, type ConfigKey, type Kind } from './config.js';

/** Reads every `JWT_*` key present in `env` (plus Flask's `SECRET_KEY` fallback) as typed overrides. */
export function configFromEnv(env: NodeJS.ProcessEnv): Partial<Record<ConfigKey, unknown>> {
  const overrides: Partial<Record<ConfigKey, unknown>> = {};
  for (const key of CONFIG_KEYS) {
    const text = env[key];
    if (text !== undefined) overrides[key] = parseEnv(key, KINDS[key], text);
  }
  // flask_jwt_extended falls back to Flask's SECRET_KEY (config.py `_secret_key`).
  if (overrides.JWT_SECRET_KEY === undefined && env['SECRET_KEY'] !== undefined && env['SECRET_KEY'] !== '') {
    overrides.JWT_SECRET_KEY = env['SECRET_KEY'];
  }
  return overrides;
}

function parseEnv(key: ConfigKey, kind: Kind, text: string): unknown {
  const value = text.trim();
  switch (kind) {
    case 'duration':
      if (value.toLowerCase() === 'false') return false;
      return parseNumber(key, value);
    case 'seconds':
      return parseNumber(key, value);
    case 'boolean':
      if (/^(true|1|yes)$/i.test(value)) return true;
      if (/^(false|0|no)$/i.test(value)) return false;
      throw new ConfigError(key, `must be true or false, got ${JSON.stringify(text)}`);
    case 'nullable':
    case 'samesite':
      return value === '' ? null : text;
    case 'list':
    case 'locations':
    case 'algorithms':
      return splitList(value);
    case 'audience': {
      const list = splitList(value);
      return list.length === 0 ? null : list.length === 1 ? list[0] : list;
    }
    default:
      return text; // 'string' and 'algorithm' keep the text as given
  }
}

function parseNumber(key: ConfigKey, value: string): number {
  const number = Number(value);
  if (value === '' || !Number.isFinite(number)) {
    throw new ConfigError(key, `must be a number of seconds${KINDS[key] === 'duration' ? ' or false' : ''}, got ${JSON.stringify(value)}`);
  }
  return number;
}

function splitList(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
}
