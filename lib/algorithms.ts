/**
 * The algorithm table (RFC 7518 §3.1): the one place that knows which `alg`
 * names exist and how each signs, verifies and imports its key.
 *
 * | family | algs               | key                                   | signature                         |
 * |--------|--------------------|---------------------------------------|-----------------------------------|
 * | HMAC   | HS256/384/512      | one shared secret signs and verifies  | 32/48/64-byte MAC (§3.2)          |
 * | RSA    | RS256/384/512      | private signs, public verifies        | modulus-sized, PKCS#1 v1.5 (§3.3) |
 * | PSS    | PS256/384/512      | private signs, public verifies        | modulus-sized, PSS (§3.5)         |
 * | ECDSA  | ES256/384/512      | P-256/384/521 private signs, public v.| R ‖ S, 64/96/132 bytes (§3.4)     |
 * | EdDSA  | EdDSA              | Ed25519/Ed448 private signs, public v.| 64/114 bytes (RFC 8037 §3.1)      |
 *
 * "none" (RFC 7518 §3.6) is deliberately absent: an unsecured JWS can never be
 * produced or accepted here (RFC 8725 §3.1). ES256K is not offered.
 */
import type { KeyObject } from 'node:crypto';
import { UnsupportedAlgorithmError } from './errors.js';
import { hmac, macEquals, type HmacHash } from './hmac.js';
import { importAsymmetricKey, type KeyRule, type KeyUse } from './keypairs.js';
import { importHmacSecret, type KeyInput, type KeyPolicy } from './keys.js';
import { ecdsaSign, ecdsaVerify, eddsaSign, eddsaVerify, pssSign, pssVerify, rsaSign, rsaVerify, type ShaHash } from './signatures.js';

export type AlgorithmName =
  | 'HS256' | 'HS384' | 'HS512'
  | 'RS256' | 'RS384' | 'RS512'
  | 'PS256' | 'PS384' | 'PS512'
  | 'ES256' | 'ES384' | 'ES512'
  | 'EdDSA';

export type Family = 'HMAC' | 'RSA' | 'PSS' | 'ECDSA' | 'EdDSA';

/** A key as an algorithm holds it after import: HMAC secret bytes, or a KeyObject. */
export type ImportedKey = Uint8Array | KeyObject;

export interface Algorithm {
  readonly name: AlgorithmName;
  readonly family: Family;
  /** Turns the caller's key into the form `sign` and `verify` take, applying the family's key rules, once. */
  importKey(key: KeyInput, use: KeyUse, policy: KeyPolicy): ImportedKey;
  /** Length in bytes of a signature made with `key`; anything else is refused before any cryptography. */
  signatureLength(key: ImportedKey): number;
  /** Signs the JWS Signing Input (RFC 7515 §5.1 step 5). */
  sign(key: ImportedKey, signingInput: string | Uint8Array): Uint8Array;
  /** Checks a signature over the JWS Signing Input (RFC 7515 §5.2 step 8). */
  verify(key: ImportedKey, signingInput: string | Uint8Array, signature: Uint8Array): boolean;
}

/** One HMAC entry: the hash fixes both the MAC length and the minimum key length (RFC 7518 §3.2). */
function hmacAlgorithm(name: AlgorithmName, hash: HmacHash, bytes: number): Algorithm {
  return {
    name,
    family: 'HMAC',
    importKey: (key, _use, policy) => importHmacSecret(key, name, bytes, policy),
    signatureLength: () => bytes,
    sign: (key, signingInput) => hmac(hash, secret(key), signingInput),
    // An HMAC is verified by recomputing it and comparing in constant time.
    verify: (key, signingInput, signature) => macEquals(hmac(hash, secret(key), signingInput), signature),
  };
}

/** A public-key entry: the key rule, and the primitive that signs and verifies. */
function publicKeyAlgorithm(
  name: AlgorithmName,
  family: Family,
  rule: Omit<KeyRule, 'alg'>,
  signatureLength: (key: KeyObject) => number,
  sign: (key: KeyObject, data: Uint8Array) => Uint8Array,
  verify: (key: KeyObject, data: Uint8Array, signature: Uint8Array) => boolean,
): Algorithm {
  const keyRule: KeyRule = { ...rule, alg: name };
  // asymmetricKeyDetails builds a new object on every read: remember each key's length once.
  const lengths = new WeakMap<KeyObject, number>();
  const lengthOf = (key: KeyObject): number => {
    let length = lengths.get(key);
    if (length === undefined) lengths.set(key, (length = signatureLength(key)));
    return length;
  };
  return {
    name,
    family,
    importKey: (key, use) => importAsymmetricKey(key, keyRule, use),
    signatureLength: (key) => lengthOf(keyObject(key)),
    sign: (key, signingInput) => sign(keyObject(key), bytes(signingInput)),
    verify: (key, signingInput, signature) => verify(keyObject(key), bytes(signingInput), signature),
  };
}

/** RSA signatures are exactly as long as the modulus (RFC 8017 §8.1.1, §8.2.1). */
const modulusBytes = (key: KeyObject): number => Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
const RSA: Omit<KeyRule, 'alg'> = { types: ['rsa'], minimumBits: 2048 };
const RSA_OR_PSS: Omit<KeyRule, 'alg'> = { types: ['rsa', 'rsa-pss'], minimumBits: 2048 };

function rs(name: AlgorithmName, hash: ShaHash): Algorithm {
  return publicKeyAlgorithm(name, 'RSA', RSA, modulusBytes, (k, d) => rsaSign(hash, k, d), (k, d, s) => rsaVerify(hash, k, d, s));
}

function ps(name: AlgorithmName, hash: ShaHash, saltLength: number): Algorithm {
  return publicKeyAlgorithm(name, 'PSS', RSA_OR_PSS, modulusBytes, (k, d) => pssSign(hash, saltLength, k, d), (k, d, s) => pssVerify(hash, saltLength, k, d, s));
}

function es(name: AlgorithmName, hash: ShaHash, curve: string, size: number): Algorithm {
  return publicKeyAlgorithm(name, 'ECDSA', { types: ['ec'], curve }, () => 2 * size, (k, d) => ecdsaSign(hash, k, d), (k, d, s) => ecdsaVerify(hash, size, k, d, s));
}

const EDDSA = publicKeyAlgorithm(
  'EdDSA',
  'EdDSA',
  { types: ['ed25519', 'ed448'] },
  (key) => (key.asymmetricKeyType === 'ed448' ? 114 : 64),
  eddsaSign,
  eddsaVerify,
);

// A Map, not an object literal: a header `alg` of "constructor" or "__proto__"
// must not find anything on Object.prototype.
const TABLE: ReadonlyMap<string, Algorithm> = new Map(
  [
    hmacAlgorithm('HS256', 'sha256', 32),
    hmacAlgorithm('HS384', 'sha384', 48),
    hmacAlgorithm('HS512', 'sha512', 64),
    rs('RS256', 'sha256'),
    rs('RS384', 'sha384'),
    rs('RS512', 'sha512'),
    ps('PS256', 'sha256', 32),
    ps('PS384', 'sha384', 48),
    ps('PS512', 'sha512', 64),
    es('ES256', 'sha256', 'prime256v1', 32),
    es('ES384', 'sha384', 'secp384r1', 48),
    es('ES512', 'sha512', 'secp521r1', 66),
    EDDSA,
  ].map((algorithm) => [algorithm.name, algorithm] as const),
);

/** Names of every algorithm this library implements. */
export const SUPPORTED_ALGORITHMS: readonly AlgorithmName[] = [...TABLE.keys()] as AlgorithmName[];

/** Looks an algorithm up by its exact, case-sensitive name (RFC 7515 §4.1.1). */
export function getAlgorithm(name: string): Algorithm {
  const algorithm = TABLE.get(name);
  if (algorithm === undefined) throw new UnsupportedAlgorithmError(name);
  return algorithm;
}

/** The rule a public-key algorithm applies to its keys (for key generation); undefined for HMAC. */
export function keyRuleOf(name: AlgorithmName): KeyRule | undefined {
  switch (getAlgorithm(name).family) {
    case 'HMAC':
      return undefined;
    case 'RSA':
      return { ...RSA, alg: name };
    case 'PSS':
      return { ...RSA_OR_PSS, alg: name };
    case 'ECDSA':
      return { types: ['ec'], curve: { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' }[name as 'ES256' | 'ES384' | 'ES512'], alg: name };
    case 'EdDSA':
      return { types: ['ed25519', 'ed448'], alg: name };
  }
}

/** The signing input is ASCII (base64url and a dot): its bytes are its characters. */
function bytes(signingInput: string | Uint8Array): Uint8Array {
  return typeof signingInput === 'string' ? Buffer.from(signingInput, 'latin1') : signingInput;
}

/** The two key shapes, told apart once a key is imported. */
function secret(key: ImportedKey): Uint8Array {
  return key as Uint8Array;
}

function keyObject(key: ImportedKey): KeyObject {
  return key as KeyObject;
}
