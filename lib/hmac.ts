/**
 * HMAC through node:crypto (RFC 2104, with SHA-2 as RFC 7518 §3.2 specifies).
 *
 * This file is the raw primitive: it computes and compares MACs and knows no JWT
 * rules. The key-length policy of JWS lives in keys.ts, so that RFC 4231's test
 * vectors, whose keys are shorter than JWS allows, can still be checked here.
 */
import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';

/** The SHA-2 hashes HS256/384/512 use. */
export type HmacHash = 'sha256' | 'sha384' | 'sha512';

/** HMAC(key, data). A string is hashed as its UTF-8 bytes. */
export function hmac(hash: HmacHash, key: KeyObject | Uint8Array, data: string | Uint8Array): Buffer {
  return createHmac(hash, key).update(data).digest();
}

/**
 * Compares two MACs in constant time (RFC 7515 §10.7 warns against timing leaks;
 * RFC 8725 §3.3 asks for side-channel safe comparison).
 * `timingSafeEqual` throws on different lengths; lengths are public, so checking
 * them first leaks nothing.
 */
export function macEquals(expected: Uint8Array, actual: Uint8Array): boolean {
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
