/**
 * Time in JWTs: NumericDate is seconds since 1970-01-01T00:00:00Z, not
 * milliseconds, and may be non-integer (RFC 7519 §2).
 */
import { InvalidOptionsError } from './errors.js';
import type { Clock } from './types.js';

/** The real clock, in NumericDate seconds. */
export const systemClock: Clock = () => Date.now() / 1000;

/** Validates a duration option (seconds): a finite number, not negative. */
export function checkSeconds(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidOptionsError(`${option} must be a finite, non-negative number of seconds`);
  }
  return value;
}

const UNITS: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/**
 * A duration written for people: seconds ("900", "1.5"), or a number with a
 * unit s, m, h or d ("90s", "15m", "12h", "30d"). Returns seconds, or undefined
 * when the text is not such a duration (callers word their own error).
 */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([smhd]?)$/.exec(text.trim());
  if (match === null) return undefined;
  return Number(match[1]) * (UNITS[match[2] ?? ''] ?? 1);
}
