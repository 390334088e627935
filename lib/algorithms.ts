/**
 * The algorithm table (RFC 7518 §3.1): the one place that knows which `alg`
 * names exist and how each signs, verifies and imports its key.
 *
 * Today it holds the HMAC family, HS256/384/512 (RFC 7518 §3.2). Adding a family
 * (RS*, PS*, ES*, EdDSA) means adding entries whose `importKey`, `sign` and
 * `verify` use the right primitive; nothing else in the library changes.
 *
 * "none" (RFC 7518 §3.6) is deliberately absent: an unsecured JWS can never be
 * produced or accepted here (RFC 8725 §3.1).
 */
import { UnsupportedAlgorithmError } from './errors.js';
import { hmac, macEquals, type HmacHash } from './hmac.js';
import { importHmacSecret, type KeyInput, type KeyPolicy } from './keys.js';

export type AlgorithmName = 'HS256' | 'HS384' | 'HS512';

export interface Algorithm {
  readonly name: AlgorithmName;
  /** Length in bytes of a signature this algorithm produces. */
  readonly signatureLength: number;
  /** Turns the caller's key into the form `sign` and `verify` take, applying the family's key rules, once. */
  importKey(key: KeyInput, policy: KeyPolicy): Uint8Array;
  /** Signs the JWS Signing Input (RFC 7515 §5.1 step 5). */
  sign(key: Uint8Array, signingInput: string | Uint8Array): Uint8Array;
  /** Checks a signature over the JWS Signing Input (RFC 7515 §5.2 step 8). */
  verify(key: Uint8Array, signingInput: string | Uint8Array, signature: Uint8Array): boolean;
}

/** One HMAC entry: the hash fixes both the MAC length and the minimum key length (RFC 7518 §3.2). */
function hmacAlgorithm(name: AlgorithmName, hash: HmacHash, bytes: number): Algorithm {
  return {
    name,
    signatureLength: bytes,
    importKey: (key, policy) => importHmacSecret(key, name, bytes, policy),
    sign: (key, signingInput) => hmac(hash, key, signingInput),
    // An HMAC is verified by recomputing it and comparing in constant time.
    verify: (key, signingInput, signature) => macEquals(hmac(hash, key, signingInput), signature),
  };
}

// A Map, not an object literal: a header `alg` of "constructor" or "__proto__"
// must not find anything on Object.prototype.
const TABLE: ReadonlyMap<string, Algorithm> = new Map([
  ['HS256', hmacAlgorithm('HS256', 'sha256', 32)],
  ['HS384', hmacAlgorithm('HS384', 'sha384', 48)],
  ['HS512', hmacAlgorithm('HS512', 'sha512', 64)],
]);

/** Names of every algorithm this library implements. */
export const SUPPORTED_ALGORITHMS: readonly AlgorithmName[] = ['HS256', 'HS384', 'HS512'];

/** Looks an algorithm up by its exact, case-sensitive name (RFC 7515 §4.1.1). */
export function getAlgorithm(name: string): Algorithm {
  const algorithm = TABLE.get(name);
  if (algorithm === undefined) throw new UnsupportedAlgorithmError(name);
  return algorithm;
}
