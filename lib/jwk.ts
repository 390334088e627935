/**
 * JSON Web Keys (RFC 7517): a key written as a JSON object, the form in which
 * OpenID Connect providers publish their public keys, and the JWK Thumbprint
 * (RFC 7638), a hash of the key that makes a good `kid`.
 *
 *   RSA (RFC 7518 §6.3)   {"kty":"RSA","n":…,"e":…}            private: + d, p, q, dp, dq, qi
 *   EC  (RFC 7518 §6.2)   {"kty":"EC","crv":"P-256","x":…,"y":…} private: + d
 *   OKP (RFC 8037 §2)     {"kty":"OKP","crv":"Ed25519","x":…}    private: + d
 *   oct (RFC 7518 §6.4)   {"kty":"oct","k":…}                   a shared secret
 *
 * Every number is base64url, big-endian, with no sign. node:crypto does the
 * arithmetic; this file checks the members first, so a malformed JWK fails
 * with a message that names the member.
 */
import { createHash, createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { encodeBase64Url } from './base64url-fast.js';
import { InvalidKeyError } from './errors.js';

/** A JWK as JSON.parse gives it. */
export interface Jwk {
  readonly kty: string;
  readonly [member: string]: unknown;
}

/** A JWK Set (RFC 7517 §5). */
export interface JwkSet {
  readonly keys: readonly Jwk[];
}

/** The members RFC 7638 §3.2 hashes, per key type, in lexicographic order: also the members a public key must have. */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  RSA: ['e', 'kty', 'n'],
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  oct: ['k', 'kty'],
};

export function isJwk(value: unknown): value is Jwk {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { kty?: unknown }).kty === 'string' && !(value instanceof Uint8Array);
}

export function isJwkSet(value: unknown): value is JwkSet {
  return typeof value === 'object' && value !== null && Array.isArray((value as { keys?: unknown }).keys);
}

/** Checks that a JWK has the members its `kty` needs, each a base64url string. */
function checkMembers(jwk: Jwk): void {
  const required = REQUIRED[jwk.kty];
  if (required === undefined) throw new InvalidKeyError(`JWK "kty" ${JSON.stringify(jwk.kty)} is not RSA, EC, OKP or oct (RFC 7518 §6.1)`);
  for (const member of required) {
    const value = jwk[member];
    if (typeof value !== 'string' || (member !== 'kty' && member !== 'crv' && !/^[A-Za-z0-9_-]+$/.test(value))) {
      throw new InvalidKeyError(`JWK of kty "${jwk.kty}" needs "${member}" as a ${member === 'crv' ? 'string' : 'base64url string'} (RFC 7518 §6)`);
    }
  }
}

/** Whether the JWK holds a private key (its `d`, RFC 7518 §6.2.2.1 / §6.3.2.1, RFC 8037 §2). */
export function isPrivateJwk(jwk: Jwk): boolean {
  return jwk['d'] !== undefined;
}

/** Imports an RSA, EC or OKP JWK as a public or private KeyObject (node:crypto does the decoding). */
export function importJwk(jwk: Jwk): KeyObject {
  checkMembers(jwk);
  if (jwk.kty === 'oct') throw new InvalidKeyError('an "oct" JWK is a shared secret, not a public or private key');
  try {
    // node:crypto's types name its own JsonWebKey; the members were checked above.
    const key = { key: jwk as unknown as JsonWebKey, format: 'jwk' as const };
    return isPrivateJwk(jwk) ? createPrivateKey(key) : createPublicKey(key);
  } catch (cause) {
    throw new InvalidKeyError(`the JWK is not a valid ${jwk.kty} key: ${(cause as Error).message}`);
  }
}

/** The secret bytes of an "oct" JWK (RFC 7518 §6.4.1). */
export function octSecret(jwk: Jwk): Uint8Array {
  checkMembers(jwk);
  if (jwk.kty !== 'oct') throw new InvalidKeyError(`a JWK of kty "${jwk.kty}" is not a shared secret`);
  return Buffer.from(String(jwk['k']), 'base64url');
}

/**
 * The public half of a key as a JWK: only the public members, never `d`
 * (RFC 7517 §4: a published key must not carry private parameters).
 */
export function publicJwk(key: KeyObject): Jwk {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (publicKey.type !== 'public') throw new InvalidKeyError('a secret key has no public half to publish');
  let exported: Jwk;
  try {
    exported = publicKey.export({ format: 'jwk' }) as Jwk;
  } catch {
    // RSA-PSS keys with parameters, for one, have no JWK form.
    throw new InvalidKeyError(`an ${String(publicKey.asymmetricKeyType)} key has no JWK form (RFC 7518 §6)`);
  }
  const required = REQUIRED[exported.kty] ?? [];
  const jwk: Record<string, unknown> = {};
  for (const member of required) jwk[member] = exported[member];
  return jwk as Jwk;
}

/** The thumbprint, or undefined for a key that has none (a secret, or a key type without a JWK form). */
export function thumbprintIfAny(key: KeyObject | Uint8Array): string | undefined {
  if (key instanceof Uint8Array || key.type === 'secret') return undefined;
  try {
    return jwkThumbprint(key);
  } catch {
    return undefined;
  }
}

/**
 * The JWK Thumbprint (RFC 7638 §3): SHA-256 over the required members only, in
 * lexicographic order, as JSON with no whitespace, base64url-encoded. Optional
 * members (`kid`, `alg`, `use`) do not change it, so two parties that hold the
 * same key compute the same thumbprint: that makes it a `kid` nobody assigns.
 */
export function jwkThumbprint(key: Jwk | KeyObject): string {
  const jwk = isJwk(key) ? key : key.type === 'secret' ? undefined : publicJwk(key);
  if (jwk === undefined) throw new InvalidKeyError('a thumbprint of a secret key would publish a hash of the secret');
  checkMembers(jwk);
  const required = REQUIRED[jwk.kty] ?? [];
  // JSON.stringify of strings gives exactly the RFC 7638 §3.3 form for these ASCII members.
  const canonical = `{${required.map((member) => `${JSON.stringify(member)}:${JSON.stringify(jwk[member])}`).join(',')}}`;
  return encodeBase64Url(createHash('sha256').update(canonical).digest());
}
