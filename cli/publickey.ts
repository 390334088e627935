/**
 * Keys for the public-key algorithms on the command line: PEM text, a JWK or a
 * JWK Set, from --key-file (or --key), and the algorithms such a key can serve.
 * Anything else is a shared secret and goes the HMAC way (input.ts).
 *
 * When --alg is not given, the allow-list comes from the key, never from the
 * token: an RSA key allows RS* and PS*, a P-256 key ES256, an Ed25519 key
 * EdDSA, a JWK its own "alg".
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SUPPORTED_ALGORITHMS, type AlgorithmName, type Jwk, type JwkSet } from '../lib/index.js';
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

const FAMILIES: Readonly<Record<string, readonly AlgorithmName[]>> = {
  rsa: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
  'rsa-pss': ['PS256', 'PS384', 'PS512'],
  'ec:P-256': ['ES256'],
  'ec:P-384': ['ES384'],
  'ec:P-521': ['ES512'],
  ed25519: ['EdDSA'],
  ed448: ['EdDSA'],
  oct: ['HS256', 'HS384', 'HS512'],
};
const CURVES: Readonly<Record<string, string>> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** The allow-list: --alg when given, else what the key (or every key of the set) can verify. */
export function algorithmsFor(material: KeyMaterial, given: string | undefined): AlgorithmName[] {
  if (given !== undefined) return parseAlgorithms(given);
  const keys = material.keys === undefined ? [material.key] : material.keys.keys;
  const names = new Set<AlgorithmName>();
  for (const key of keys) for (const name of familyOf(key)) names.add(name);
  if (names.size === 0) throw new UsageError('cannot tell which algorithm this key is for: give --alg');
  return [...names];
}

function familyOf(key: string | Jwk): readonly AlgorithmName[] {
  if (typeof key !== 'string') {
    if (typeof key['alg'] === 'string' && (SUPPORTED_ALGORITHMS as readonly string[]).includes(key['alg'])) return [key['alg'] as AlgorithmName];
    const kind = key.kty === 'RSA' ? 'rsa' : key.kty === 'EC' ? `ec:${String(key['crv'])}` : key.kty === 'OKP' ? String(key['crv']).toLowerCase() : key.kty;
    return FAMILIES[kind] ?? [];
  }
  try {
    const object = /PRIVATE KEY-----/.test(key) ? createPrivateKey(key) : createPublicKey(key);
    const type = object.asymmetricKeyType ?? '';
    return FAMILIES[type === 'ec' ? `ec:${CURVES[object.asymmetricKeyDetails?.namedCurve ?? ''] ?? ''}` : type] ?? [];
  } catch {
    return []; // the library will say what is wrong with the key
  }
}

/** --alg LIST: names the library knows. */
export function parseAlgorithms(text: string): AlgorithmName[] {
  const names = text.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!(SUPPORTED_ALGORITHMS as readonly string[]).includes(name)) throw new UsageError(`--alg: ${JSON.stringify(name)} is not one of ${SUPPORTED_ALGORITHMS.join(', ')}`);
  }
  return names as AlgorithmName[];
}
