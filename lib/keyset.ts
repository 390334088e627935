/**
 * Key sets: a verifier that holds several keys, as a JWK Set (RFC 7517 §5) or a
 * list, picks the one for each token by the token's `kid` and `alg`. This is
 * how a service checks tokens from an issuer that rotates its keys: old and new
 * keys sit in one set, each token names its own.
 *
 * The choice is made only among the keys the caller gave. The header parameters
 * that carry or point to a key (`jwk`, `jku`, `x5u`, `x5c`) are never consulted
 * (RFC 8725 §3.10): a token that could supply its own key could sign itself.
 * A `kid` is an opaque string compared for equality, never a path or a URL.
 */
import { KeyObject as KeyObjectClass, type KeyObject } from 'node:crypto';
import type { Algorithm, AlgorithmName, ImportedKey } from './algorithms.js';
import { InvalidOptionsError, KeyNotFoundError } from './errors.js';
import { isJwk, isJwkSet, thumbprintIfAny, type Jwk, type JwkSet } from './jwk.js';
import { readPem } from './keypairs.js';
import type { KeyInput, KeyPolicy } from './keys.js';

/** What a verifier may be given as several keys. */
export type KeySetInput = JwkSet | readonly KeyInput[];

/** One key, imported for one algorithm, with the `kid` it answers to. */
export interface KeyEntry {
  readonly kid: string | undefined;
  readonly key: ImportedKey;
}

/**
 * The keys of a set that can verify `algorithm`: those of its family (and curve),
 * whose JWK `alg`, `use` and `key_ops`, when present, allow it. A key of the
 * right family that breaks a rule (too short, a private key) is an error, not
 * skipped: it was meant for this algorithm and would fail silently otherwise.
 */
export function keysFor(set: KeySetInput, algorithm: Algorithm, policy: KeyPolicy): KeyEntry[] {
  const items: readonly KeyInput[] = isJwkSet(set) ? set.keys : set;
  const entries: KeyEntry[] = [];
  for (const item of items) {
    if (isJwk(item) && !jwkAllows(item, algorithm.name)) continue;
    if (!sameFamily(item, algorithm)) continue;
    const key = algorithm.importKey(item, 'verify', policy);
    entries.push({ kid: kidOf(item, key), key });
  }
  return entries;
}

/** A JWK in a set restricts itself with `alg`, `use` and `key_ops` (RFC 7517 §4.2–§4.4); a key for something else is skipped. */
function jwkAllows(jwk: Jwk, alg: string): boolean {
  if (jwk['alg'] !== undefined && jwk['alg'] !== alg) return false;
  if (jwk['use'] !== undefined && jwk['use'] !== 'sig') return false;
  const ops = jwk['key_ops'];
  return ops === undefined || (Array.isArray(ops) && ops.includes('verify'));
}

/** Whether an item is the kind of key `algorithm` takes: a secret for HMAC, the right key type (and curve) otherwise. */
function sameFamily(item: KeyInput, algorithm: Algorithm): boolean {
  const type = keyType(item);
  switch (algorithm.family) {
    case 'HMAC':
      return type === 'secret';
    case 'RSA':
      return type === 'rsa';
    case 'PSS':
      return type === 'rsa' || type === 'rsa-pss';
    case 'EdDSA':
      return type === 'ed25519' || type === 'ed448';
    case 'ECDSA':
      return type === `ec:${{ ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }[algorithm.name as 'ES256' | 'ES384' | 'ES512']}`;
  }
}

const NODE_CURVES: Readonly<Record<string, string>> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** The algorithms each kind of key can serve. */
const FAMILY_ALGORITHMS: Readonly<Record<string, readonly AlgorithmName[]>> = {
  secret: ['HS256', 'HS384', 'HS512'],
  rsa: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
  'rsa-pss': ['PS256', 'PS384', 'PS512'],
  'ec:P-256': ['ES256'],
  'ec:P-384': ['ES384'],
  'ec:P-521': ['ES512'],
  ed25519: ['EdDSA'],
  ed448: ['EdDSA'],
};

/**
 * The algorithms a key can serve, by its kind (and a JWK's own `alg`): an
 * allow-list taken from the key, never from a token. Empty for a key of no
 * known kind.
 */
export function algorithmsForKey(key: KeyInput): AlgorithmName[] {
  if (isJwk(key) && typeof key['alg'] === 'string') {
    return (FAMILY_ALGORITHMS[keyType(key)] ?? []).filter((name) => name === key['alg']);
  }
  return [...(FAMILY_ALGORITHMS[keyType(key)] ?? [])];
}

/** "secret", "rsa", "rsa-pss", "ec:P-256", "ed25519", … or "unknown". */
function keyType(item: KeyInput): string {
  if (isJwk(item)) {
    if (item.kty === 'oct') return 'secret';
    if (item.kty === 'RSA') return 'rsa';
    if (item.kty === 'EC') return `ec:${String(item['crv'])}`;
    if (item.kty === 'OKP') return String(item['crv']).toLowerCase();
    return 'unknown';
  }
  let key: KeyObject | undefined;
  if (item instanceof KeyObjectClass) key = item;
  else if (typeof item === 'string' && item.includes('-----BEGIN')) key = tryPem(item);
  else return 'secret';
  if (key === undefined) return 'unknown';
  if (key.type === 'secret') return 'secret';
  const type = key.asymmetricKeyType ?? 'unknown';
  return type === 'ec' ? `ec:${NODE_CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''] ?? 'other'}` : type;
}

function tryPem(pem: string): KeyObject | undefined {
  try {
    return readPem(pem);
  } catch {
    return undefined; // importKey will say what is wrong with it
  }
}

/** `kid` of a set member: the JWK's own, else the RFC 7638 thumbprint of a public key. */
function kidOf(item: KeyInput, key: ImportedKey): string | undefined {
  if (isJwk(item) && typeof item['kid'] === 'string') return item['kid'];
  return thumbprintIfAny(key);
}

/**
 * The key for one token. With a single key the token's `kid` does not matter.
 * With a set, a `kid` must name a key of the set for this `alg`; without one,
 * the set must hold exactly one key for this `alg`.
 */
export function selectKey(entries: readonly KeyEntry[], fromSet: boolean, kid: unknown, alg: string): ImportedKey {
  const only = entries.length === 1 ? entries[0] : undefined;
  if (only !== undefined && !fromSet) return only.key;
  if (typeof kid === 'string') {
    const entry = entries.find((candidate) => candidate.kid === kid);
    if (entry === undefined) throw new KeyNotFoundError(`no key with "kid" ${JSON.stringify(kid)} can verify ${alg} tokens`, kid);
    return entry.key;
  }
  if (only !== undefined) return only.key;
  throw new KeyNotFoundError(
    entries.length === 0 ? `no key of the set can verify ${alg} tokens` : `the token has no "kid", and ${entries.length} keys of the set could verify ${alg} tokens`,
    undefined,
  );
}

/** Checks the `keys` option's shape once, at set-up. */
export function checkKeySet(set: unknown): KeySetInput {
  if (isJwkSet(set) || Array.isArray(set)) return set as KeySetInput;
  throw new InvalidOptionsError('keys must be a JWK Set ({"keys": […]}) or an array of keys');
}
