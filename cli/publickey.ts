/**
 * Keys for the public-key algorithms on the command line: PEM text, a JWK or a
 * JWK Set, from --key-file (or --key), and the algorithms such a key can serve.
 * Anything else is a shared secret and goes the HMAC way (input.ts).
 *
 * When --alg is not given, the allow-list comes from the key, never from the
 * token: an RSA key allows RS* and PS*, a P-256 key ES256, an Ed25519 key
 * EdDSA, a JWK its own "alg".
 */
import { readFileSync } from 'node:fs';
import { algorithmsForKey, SUPPORTED_ALGORITHMS, type AlgorithmName, type Jwk, type JwkSet } from '../lib/index.js';
import { UsageError, type KeyValues } from './input.js';

export type KeyMaterial = { readonly key: string | Jwk; readonly keys?: undefined } | { readonly keys: JwkSet; readonly key?: undefined };

/** The key as PEM text, a JWK or a JWK Set; undefined when it is a shared secret. */
export function keyMaterial(values: KeyValues): KeyMaterial | undefined {
  const encoding = values['key-encoding'] ?? 'text';
  if (encoding !== 'text' && encoding !== 'utf8') return undefined;
  let text = values.key;
  if (text === undefined && values['key-file'] !== undefined) {
    try {
      text = readFileSync(values['key-file'], 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read the key file: ${(error as Error).message}`);
    }
  }
  if (text === undefined) return undefined;
  if (text.includes('-----BEGIN')) return { key: text };
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (error) {
    throw new UsageError(`the key looks like JSON but is not: ${(error as Error).message}`);
  }
  if (typeof parsed === 'object' && parsed !== null && Array.isArray((parsed as { keys?: unknown }).keys)) return { keys: parsed as JwkSet };
  if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { kty?: unknown }).kty === 'string') return { key: parsed as Jwk };
  throw new UsageError('a JSON key must be a JWK (with "kty") or a JWK Set (with "keys")');
}

/** The allow-list: --alg when given, else what the key (or every key of the set) can verify. */
export function algorithmsFor(material: KeyMaterial, given: string | undefined): AlgorithmName[] {
  if (given !== undefined) return parseAlgorithms(given);
  const keys = material.keys === undefined ? [material.key] : material.keys.keys;
  const names = new Set<AlgorithmName>();
  for (const key of keys) for (const name of algorithmsForKey(key)) names.add(name);
  if (names.size === 0) throw new UsageError('cannot tell which algorithm this key is for: give --alg');
  return [...names];
}

/** --alg LIST: names the library knows. */
export function parseAlgorithms(text: string): AlgorithmName[] {
  const names = text.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!(SUPPORTED_ALGORITHMS as readonly string[]).includes(name)) throw new UsageError(`--alg: ${JSON.stringify(name)} is not one of ${SUPPORTED_ALGORITHMS.join(', ')}`);
  }
  return names as AlgorithmName[];
}
