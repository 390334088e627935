/**
 * Shared test fixtures. Node runs every .js file under dist/test/ as a test file,
 * so this module only declares things: it does nothing on import.
 */
import { readFileSync } from 'node:fs';

/** The repository root, from dist/test/helpers.js. */
const ROOT = new URL('../../', import.meta.url);

/** Reads one of the vector files copied from shared/vectors into test/vectors (see its README). */
export function readVectors<T>(name: 'base64url' | 'hmac' | 'rfc' | 'asym'): T {
  return JSON.parse(readFileSync(new URL(`test/vectors/${name}.json`, ROOT), 'utf8')) as T;
}

/** A fixed 32-byte HS256 key (not secret: tests only). */
export const KEY32 = Buffer.alloc(32, 0x6b);
/** A fixed 64-byte key, long enough for HS512. */
export const KEY64 = Buffer.alloc(64, 0x4b);

/** A fixed clock: 2024-01-01T00:00:00Z. */
export const NOW = 1704067200;
export const clockAt = (seconds: number) => (): number => seconds;

/** A small deterministic PRNG (mulberry32), so random tests repeat exactly. */
export function seededBytes(seed: number): (length: number) => Uint8Array {
  let state = seed >>> 0;
  return (length) => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
    }
    return out;
  };
}

/** Base64url of a JSON value, for hand-made tokens. */
export function segment(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}
