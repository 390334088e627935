/**
 * Public-key signatures through node:crypto, in the exact formats JWS uses
 * (RFC 7518 §3.3–§3.5, RFC 8037 §3.1). Like hmac.ts, this is the primitive: it
 * signs and verifies bytes and knows which key types fit; the JWT rules are
 * elsewhere.
 *
 * HMAC versus these: with HMAC one shared secret both makes and checks the tag,
 * so whoever can verify can also forge. Here a private key signs and the
 * matching public key verifies: anyone may hold the public key (a JWK Set on a
 * web page), and still only the private key's owner can make a valid token.
 */
import { constants, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';

export type ShaHash = 'sha256' | 'sha384' | 'sha512';

/** RSASSA-PKCS1-v1_5 (RS256/384/512, RFC 7518 §3.3): deterministic; the signature is as long as the modulus. */
export function rsaSign(hash: ShaHash, key: KeyObject, data: Uint8Array): Uint8Array {
  return cryptoSign(hash, data, { key, padding: constants.RSA_PKCS1_PADDING });
}

export function rsaVerify(hash: ShaHash, key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  return cryptoVerify(hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
}

/**
 * RSASSA-PSS (PS256/384/512, RFC 7518 §3.5): MGF1 with the same hash, and a
 * salt exactly as long as the hash (32/48/64 bytes). The salt length must be
 * given when verifying too: node:crypto's default for verification is "any
 * salt length" (RSA_PSS_SALTLEN_AUTO), which accepts signatures RFC 7518 says
 * are not PS256 signatures.
 */
export function pssSign(hash: ShaHash, saltLength: number, key: KeyObject, data: Uint8Array): Uint8Array {
  return cryptoSign(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
}

export function pssVerify(hash: ShaHash, saltLength: number, key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  return cryptoVerify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, signature);
}

/**
 * The orders n of the NIST curves (FIPS 186-4 §D.1.2), as fixed-width
 * big-endian bytes: an ECDSA signature's r and s must each lie in [1, n - 1].
 */
const CURVE_ORDERS: Readonly<Record<number, Buffer>> = {
  32: Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex'),
  48: Buffer.from('ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973', 'hex'),
  66: Buffer.from('01ff' + 'ffffffff'.repeat(7) + 'fffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409', 'hex'),
};

/**
 * ECDSA (ES256/384/512, RFC 7518 §3.4). A JOSE signature is NOT the DER
 * structure OpenSSL produces (SEQUENCE { INTEGER r, INTEGER s }): it is r and s
 * as fixed-width big-endian numbers, concatenated, R ‖ S, 32 + 32 bytes for
 * P-256, 48 + 48 for P-384, 66 + 66 for P-521 ('ieee-p1363' in node:crypto).
 *
 * Why insist: DER has many spellings of one number (leading zeros, negative
 * padding, long-form lengths), and a verifier that accepts both DER and R ‖ S
 * has several encodings for one signature; a token would then not be a unique
 * string, which breaks deduplication, caches and revocation lists keyed by it.
 * So anything but exactly 2 × size bytes is refused before any cryptography.
 *
 * And r = s = 0: CVE-2022-21449 ("psychic signatures"), Java 15–18 accepted an
 * all-zero signature for any message and any key, because it never checked
 * that r and s are at least 1. We check 1 ≤ r, s ≤ n - 1 here, in plain sight,
 * before OpenSSL checks it again.
 */
export function ecdsaSign(hash: ShaHash, key: KeyObject, data: Uint8Array): Uint8Array {
  return cryptoSign(hash, data, { key, dsaEncoding: 'ieee-p1363' });
}

export function ecdsaVerify(hash: ShaHash, size: number, key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  const order = CURVE_ORDERS[size];
  if (order === undefined || signature.length !== 2 * size) return false;
  if (!inRange(signature.subarray(0, size), order) || !inRange(signature.subarray(size), order)) return false;
  return cryptoVerify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
}

/** 1 ≤ value ≤ n - 1, for big-endian numbers of the same width: not all zero, and below n byte by byte. */
function inRange(value: Uint8Array, order: Buffer): boolean {
  return value.some((byte) => byte !== 0) && Buffer.compare(value, order) < 0;
}

/**
 * EdDSA (RFC 8037 §3.1): Ed25519 (64-byte signatures) or Ed448 (114). The hash
 * is part of the algorithm, so none is named. OpenSSL refuses a non-canonical S
 * (S ≥ L), which would otherwise make a second valid signature from a first.
 */
export function eddsaSign(key: KeyObject, data: Uint8Array): Uint8Array {
  return cryptoSign(null, data, key);
}

export function eddsaVerify(key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  return cryptoVerify(null, data, key, signature);
}
