/**
 * Public helpers for the public-key algorithms: a key pair for an algorithm,
 * and a public key written as a JWK ready for a JWK Set (with its RFC 7638
 * thumbprint as `kid`, its `alg` and `use: "sig"`).
 */
import type { KeyObject } from 'node:crypto';
import { keyRuleOf, type AlgorithmName } from './algorithms.js';
import { InvalidOptionsError } from './errors.js';
import { importJwk, isJwk, jwkThumbprint, publicJwk, type Jwk } from './jwk.js';
import { generateKeyPairFor } from './keypairs.js';

/** A new key pair for `algorithm` (RSA 2048 bits, the algorithm's EC curve, or Ed25519). */
export function generateKeyPair(algorithm: AlgorithmName): { privateKey: KeyObject; publicKey: KeyObject } {
  const rule = keyRuleOf(algorithm);
  if (rule === undefined) throw new InvalidOptionsError(`${algorithm} uses a shared secret, not a key pair: make 32+ random bytes instead`);
  return generateKeyPairFor(rule);
}

/**
 * The public half of `key` as a JWK for publishing: only public members, and
 * `kid` (the thumbprint), `use: "sig"` and, when given, `alg` (RFC 7517 §4).
 */
export function exportPublicJwk(key: KeyObject | Jwk, options: { readonly alg?: AlgorithmName } = {}): Jwk {
  const object = isJwk(key) ? importJwk(key) : key;
  const jwk = publicJwk(object);
  return { ...jwk, kid: jwkThumbprint(jwk), use: 'sig', ...(options.alg === undefined ? {} : { alg: options.alg }) };
}
