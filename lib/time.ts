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
