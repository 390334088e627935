/**
 * Keys: turning what the caller passes (text, bytes or a KeyObject) into the
 * key bytes, once, and refusing keys that would make the MAC worthless.
 *
 * - RFC 7518 §3.2: an HS256/384/512 key must be at least as long as the hash
 *   output (32/48/64 bytes). Shorter keys are refused unless the caller sets
 *   `allowInsecureShortKey`, a name meant to read badly in code review.
 * - RFC 8725 §3.1 / §2.1: the classic "key confusion" attack sends a token with
 *   `alg: HS256` to a server whose verifier holds an RSA public key, hoping it is
 *   used as an HMAC secret. We refuse public-key material (PEM, DER, SSH, JWK text,
 *   asymmetric KeyObjects) as an HMAC secret, whatever the token says.
 * - An empty key is always refused: HMAC with it is computable by anyone.
 *
 * Public and private keys for the other algorithms are keypairs.ts's concern.
 */
import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { InvalidKeyError, WeakKeyError } from './errors.js';
import { isJwk, octSecret, type Jwk } from './jwk.js';

/**
 * What callers may pass as a key. For HMAC: text (used as its UTF-8 bytes), raw
 * bytes, a secret KeyObject or an "oct" JWK. For the public-key algorithms: PEM
 * text, a JWK object or a KeyObject (keypairs.ts).
 */
export type KeyInput = string | Uint8Array | KeyObject | Jwk;

/** Options that change the key policy. */
export interface KeyPolicy {
  /** Accept an HMAC key shorter than the hash output. Never do this with real secrets. */
  readonly allowInsecureShortKey?: boolean;
}

/**
 * Imports an HMAC secret for `algorithm`, enforcing the policy above. The
 * result is a private copy of the key bytes, not a KeyObject: node:crypto's
 * HMAC is as fast with either, and making a KeyObject costs about 3 µs, which
 * one-shot `sign` and `verify` would pay on every call (measured in bench/).
 */
export function importHmacSecret(input: KeyInput, algorithm: string, minimumBytes: number, policy: KeyPolicy): Uint8Array {
  const key = toSecretBytes(input);
  if (key.length === 0) throw new InvalidKeyError('the key is empty; an empty HMAC key protects nothing');
  if (key.length < minimumBytes && policy.allowInsecureShortKey !== true) {
    throw new WeakKeyError(algorithm, minimumBytes, key.length);
  }
  return key;
}

function toSecretBytes(input: KeyInput): Uint8Array {
  if (isJwk(input)) {
    if (input.kty !== 'oct') {
      throw new InvalidKeyError(`a JWK of kty "${input.kty}" cannot be an HMAC secret (key confusion, RFC 8725 §2.1); HS* algorithms need an "oct" JWK`);
    }
    return octSecret(input);
  }
  if (input instanceof KeyObject) {
    if (input.type !== 'secret') {
      throw new InvalidKeyError(
        `an ${String(input.asymmetricKeyType)} ${input.type} key cannot be an HMAC secret (key confusion, RFC 8725 §2.1)`,
      );
    }
    return input.export();
  }
  if (typeof input === 'string') {
    refuseKeyText(input);
    return Buffer.from(input, 'utf8');
  }
  if (input instanceof Uint8Array) {
    refuseKeyText(Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1'));
    refuseDerKey(input);
    // Copy, so that later changes to the caller's buffer cannot change our key.
    return Buffer.from(input);
  }
  throw new InvalidKeyError('the key must be a string, a Uint8Array or a secret KeyObject');
}

/** Refuses text that is clearly a public or private key in some format, not a secret. */
function refuseKeyText(text: string): void {
  const trimmed = text.trimStart();
  if (text.includes('-----BEGIN')) {
    throw new InvalidKeyError(
      'a PEM key cannot be an HMAC secret (key confusion, RFC 8725 §2.1); HS* algorithms need random secret bytes',
    );
  }
  if (/^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-)/.test(trimmed)) {
    throw new InvalidKeyError('an SSH public key cannot be an HMAC secret (key confusion, RFC 8725 §2.1)');
  }
  if (trimmed.startsWith('{') && /"kty"\s*:/.test(trimmed)) {
    throw new InvalidKeyError(
      'a JWK cannot be used as text; for an "oct" JWK pass the base64url-decoded "k" bytes (RFC 7518 §6.4.1)',
    );
  }
}

/** Refuses bytes that parse as a DER public or private key (SPKI, PKCS#1, PKCS#8, SEC1). */
function refuseDerKey(bytes: Uint8Array): void {
  if (bytes[0] !== 0x30) return; // every DER key starts with a SEQUENCE tag
  const der = Buffer.from(bytes);
  const attempts: ReadonlyArray<() => unknown> = [
    () => createPublicKey({ key: der, format: 'der', type: 'spki' }),
    () => createPublicKey({ key: der, format: 'der', type: 'pkcs1' }),
    () => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }),
    () => createPrivateKey({ key: der, format: 'der', type: 'pkcs1' }),
    () => createPrivateKey({ key: der, format: 'der', type: 'sec1' }),
  ];
  for (const attempt of attempts) {
    let parsed = false;
    try {
      attempt();
      parsed = true;
    } catch {
      // not this format: random secret bytes land here
    }
    if (parsed) {
      throw new InvalidKeyError('DER-encoded key material cannot be an HMAC secret (key confusion, RFC 8725 §2.1)');
    }
  }
}
