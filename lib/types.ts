/**
 * The shapes a JWT has: its JOSE header (RFC 7515 §4), its claims set
 * (RFC 7519 §4), and the options of the signer and the verifier.
 */
import type { AlgorithmName } from './algorithms.js';
import type { KeyInput, KeyPolicy } from './keys.js';
import type { KeySetInput } from './keyset.js';

/** The JOSE header (RFC 7515 §4.1). `alg` is the only required parameter. */
export interface JwtHeader {
  readonly alg: string;
  readonly typ?: string;
  readonly kid?: string;
  readonly cty?: string;
  readonly crit?: readonly string[];
  readonly [parameter: string]: unknown;
}

/** The JWT claims set (RFC 7519 §4.1 registered claims, plus any others). */
export interface JwtPayload {
  /** §4.1.1 issuer */
  readonly iss?: string;
  /** §4.1.2 subject */
  readonly sub?: string;
  /** §4.1.3 audience */
  readonly aud?: string | readonly string[];
  /** §4.1.4 expiration time, NumericDate (seconds since 1970, may be non-integer) */
  readonly exp?: number;
  /** §4.1.5 not before, NumericDate */
  readonly nbf?: number;
  /** §4.1.6 issued at, NumericDate */
  readonly iat?: number;
  /** §4.1.7 JWT ID */
  readonly jti?: string;
  readonly [claim: string]: unknown;
}

/** What `verify` returns: both halves of a token whose signature and claims checked out. */
export interface VerifiedJwt {
  readonly header: JwtHeader;
  readonly payload: JwtPayload;
}

/** A clock: the current time in seconds since 1970 (RFC 7519 §2 NumericDate). */
export type Clock = () => number;

export interface SignOptions extends KeyPolicy {
  /** Default `HS256`. */
  readonly algorithm?: AlgorithmName;
  /** Seconds from `iat` until `exp`. */
  readonly expiresIn?: number;
  /** Seconds from `iat` until `nbf` (0 makes `nbf` equal to `iat`). */
  readonly notBefore?: number;
  readonly audience?: string | readonly string[];
  readonly issuer?: string;
  readonly subject?: string;
  readonly jwtId?: string;
  /**
   * The header's `kid`. With a public-key algorithm it defaults to the RFC 7638
   * thumbprint of the key, so a verifier holding a key set finds the key.
   */
  readonly kid?: string;
  /** Extra header parameters; `alg` comes from `algorithm`, `typ` defaults to "JWT". */
  readonly header?: { readonly [parameter: string]: unknown };
  /** Leave `iat` out. By default every token says when it was issued. */
  readonly noTimestamp?: boolean;
  /** Clock override; default `Date.now() / 1000`. */
  readonly now?: Clock;
}

export interface SignerOptions extends SignOptions {
  readonly key: KeyInput;
}

/** One expected audience: an exact string or a pattern. */
export type AudienceMatcher = string | RegExp;

export interface VerifyOptions extends KeyPolicy {
  /** The allow-list of `alg` values (RFC 8725 §3.1). Default `['HS256']`. */
  readonly algorithms?: readonly AlgorithmName[];
  /** Expected `aud`: the token must name at least one of these (RFC 7519 §4.1.3). */
  readonly audience?: AudienceMatcher | readonly AudienceMatcher[];
  /**
   * Accept tokens that carry an `aud` although no `audience` was given. RFC 7519
   * §4.1.3 says such tokens must be rejected; some servers (flask_jwt_extended)
   * skip the audience check entirely when none is configured.
   */
  readonly skipAudienceCheck?: boolean;
  /** Expected `iss`: one value or a list of accepted values. */
  readonly issuer?: string | readonly string[];
  /** Expected `sub`. */
  readonly subject?: string;
  /** Seconds of clock skew tolerated for `exp`, `nbf` and `iat`. Default 0. */
  readonly leeway?: number;
  /** Reject tokens whose `iat` is older than this many seconds. */
  readonly maxAge?: number;
  /** Claims that must be present. */
  readonly requiredClaims?: readonly string[];
  /** Expected header `typ`, compared as RFC 7515 §4.1.9 says (case-insensitive, "application/" optional). */
  readonly typ?: string;
  /** Do not reject expired tokens (for refresh flows that must read an expired token). */
  readonly ignoreExpiration?: boolean;
  /**
   * Remember up to `max` verified tokens (cache.ts): a hit re-checks only the
   * clock-dependent claims. Off by default. Results are then frozen.
   */
  readonly cache?: { readonly max: number };
  /** Longest token accepted, in characters. Default 8192 (see verifier.ts). */
  readonly maxTokenLength?: number;
  /** Clock override; default `Date.now() / 1000`. */
  readonly now?: Clock;
}

/**
 * A verifier takes one key, or several: a JWK Set (RFC 7517 §5) or an array of
 * keys, from which each token's `kid` and `alg` pick one (keyset.ts).
 */
export type VerifierOptions = VerifyOptions & ({ readonly key: KeyInput; readonly keys?: undefined } | { readonly keys: KeySetInput; readonly key?: undefined });
