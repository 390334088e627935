/**
 * Configuration from environment variables of the same names as the keys
 * (`JWT_ACCESS_TOKEN_EXPIRES=15m`, `JWT_TOKEN_LOCATION=headers,cookies`, …):
 * durations in seconds or with a unit (90s, 15m, 1h, 30d) or `false`, lists
 * comma-separated, booleans true/false.
 * The values are only parsed here; config.ts checks them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDuration } from '../../lib/index.js';
import { ConfigError } from './config.js';
import { CONFIG_KEYS, JWT_SETTINGS, type ConfigKey, type SettingKind } from './settings.js';

/** Reads every `JWT_*` key present in `env` (plus Flask's `SECRET_KEY` fallback) as typed overrides. */
export function configFromEnv(env: NodeJS.ProcessEnv): Partial<Record<ConfigKey, unknown>> {
  const overrides: Partial<Record<ConfigKey, unknown>> = {};
  for (const key of CONFIG_KEYS) {
    const text = env[key];
    if (text !== undefined) overrides[key] = parseEnv(key, JWT_SETTINGS[key].kind, text);
  }
  // flask_jwt_extended falls back to Flask's SECRET_KEY (config.py `_secret_key`).
  if (overrides.JWT_SECRET_KEY === undefined && env['SECRET_KEY'] !== undefined && env['SECRET_KEY'] !== '') {
    overrides.JWT_SECRET_KEY = env['SECRET_KEY'];
  }
  return overrides;
}

/** The value an environment variable's text stands for (checked afterwards by config.ts). */
export function parseEnv(key: string, kind: SettingKind, text: string): unknown {
  const value = text.trim();
  switch (kind) {
    case 'duration':
      if (value.toLowerCase() === 'false') return false;
      return parseSeconds(key, value, ' or false');
    case 'seconds':
      return parseSeconds(key, value, '');
    case 'boolean':
      if (/^(true|1|yes)$/i.test(value)) return true;
      if (/^(false|0|no)$/i.test(value)) return false;
      throw new ConfigError(key, `must be true or false, got ${JSON.stringify(text)}`);
    case 'nullable':
    case 'samesite':
      return value === '' ? null : text;
    case 'pem':
      return value === '' ? null : pemText(key, text);
    case 'keys':
      return value === '' ? null : keyFiles(key, value);
    case 'url':
      return value === '' ? null : value;
    case 'list':
    case 'locations':
    case 'algorithms':
      return splitList(value);
    case 'audience': {
      const list = splitList(value);
      return list.length === 0 ? null : list.length === 1 ? list[0] : list;
    }
    case 'port':
    case 'positive':
    case 'bytes':
    case 'count':
      return value === '' ? Number.NaN : Number(value);
    default:
      return text; // 'string' and 'algorithm' keep the text as given
  }
}

function parseSeconds(key: string, value: string, orFalse: string): number {
  // A plain number (even a negative one, which config.ts refuses by name) or a duration with a unit.
  const seconds = value !== '' && Number.isFinite(Number(value)) ? Number(value) : parseDuration(value);
  if (seconds === undefined) {
    throw new ConfigError(key, `must be a number of seconds${orFalse}, or a duration such as 90s, 15m, 1h or 30d, got ${JSON.stringify(value)}`);
  }
  return seconds;
}

/**
 * A key in PEM: the text itself, or `@path/to/key.pem` to read it from a file.
 * Environment files often hold a PEM on one line with literal "\n": those
 * become line breaks.
 */
function pemText(key: string, text: string): string {
  let pem = text.trim();
  if (pem.startsWith('@')) {
    try {
      pem = readFileSync(pem.slice(1), 'utf8');
    } catch (error) {
      throw new ConfigError(key, `cannot read ${pem.slice(1)}: ${(error as Error).message}`);
    }
  }
  if (!pem.includes('\n') && pem.includes('\\n')) pem = pem.replace(/\\n/g, '\n');
  if (!pem.includes('-----BEGIN')) throw new ConfigError(key, 'must be a PEM key ("-----BEGIN …") or @path/to/key.pem');
  return pem;
}

/**
 * JWT_DECODE_KEYS: a JWK Set as JSON text, `@keys.jwks.json`, or `@directory/`
 * holding one PEM public key per `.pem` file (the retired keys of a rotation).
 */
function keyFiles(key: string, value: string): unknown {
  let text = value;
  if (value.startsWith('@')) {
    const path = value.slice(1);
    try {
      if (statSync(path).isDirectory()) {
        return readdirSync(path).filter((name) => name.endsWith('.pem')).sort().map((name) => readFileSync(join(path, name), 'utf8'));
      }
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ConfigError(key, `cannot read ${path}: ${(error as Error).message}`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigError(key, `must be a JWK Set (JSON), @file.json or @directory of .pem files: ${(error as Error).message}`);
  }
}

function splitList(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
}
