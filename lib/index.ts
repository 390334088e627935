/**
 * plainjwt: JSON Web Tokens (RFC 7519) in the JWS Compact Serialization
 * (RFC 7515), signed with HMAC, RSA, RSA-PSS, ECDSA or EdDSA (RFC 7518, RFC
 * 8037), with the checks RFC 8725 asks for.
 *
 * The public API, and nothing else. Read the files in this order to see how a
 * token is built and checked:
 *   base64url.ts (base64url-fast.ts) → json.ts → payload.ts → compact.ts → hmac.ts → keys.ts → signatures.ts
 *   → jwk.ts → keypairs.ts → algorithms.ts → header.ts → keyset.ts → time.ts
 *   → claims.ts → signer.ts → verifier.ts → decode.ts → errors.ts
 */
export { createSigner, sign, signBytes } from './signer.js';
export type { Signer, SignBytesOptions } from './signer.js';
export { createVerifier, verify, DEFAULT_MAX_TOKEN_LENGTH } from './verifier.js';
export type { Verifier } from './verifier.js';
export { decodeUnverified } from './decode.js';
export type { DecodeOptions, UnverifiedJwt } from './decode.js';
export { decodeBase64Url, encodeBase64Url, encodeBase64UrlString } from './base64url-fast.js';
export { SUPPORTED_ALGORITHMS } from './algorithms.js';
export { parseDuration } from './time.js';
export type { AlgorithmName } from './algorithms.js';
export type { KeyInput, KeyPolicy } from './keys.js';
export { algorithmsForKey } from './keyset.js';
export type { KeySetInput } from './keyset.js';
export { jwkThumbprint } from './jwk.js';
export type { Jwk, JwkSet } from './jwk.js';
export { exportPublicJwk, generateKeyPair } from './publickeys.js';
export type {
  AudienceMatcher,
  Clock,
  JwtHeader,
  JwtPayload,
  SignOptions,
  SignerOptions,
  VerifiedJwt,
  VerifierOptions,
  VerifyOptions,
} from './types.js';
export {
  AlgorithmNotAllowedError,
  Base64UrlError,
  ClaimTypeError,
  ClaimValidationError,
  InvalidHeaderError,
  InvalidKeyError,
  InvalidOptionsError,
  InvalidPayloadError,
  JwtError,
  KeyNotFoundError,
  MalformedTokenError,
  NotYetValidError,
  SignatureInvalidError,
  TokenError,
  TokenExpiredError,
  TokenTooLargeError,
  UnsupportedAlgorithmError,
  WeakKeyError,
} from './errors.js';
export type { ClaimFailure, JwtErrorCode, TokenPart } from './errors.js';
