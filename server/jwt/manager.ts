/**
 * JwtManager: flask_jwt_extended's JWTManager. It holds the configuration and
 * the fifteen callbacks (each with the reference's default, each replaced
 * through its `...Loader` method, as the reference's decorators do), creates
 * tokens with the reference's claims, and decodes them with the reference's
 * checks and error precedence.
 *
 * As in the reference, the manager knows nothing of routes: the guards
 * (guards.ts) take a manager, and errors become responses in responses.ts.
 */
import { timingSafeEqual } from 'node:crypto';
import {
  decodeUnverified,
  JwtError,
  TokenExpiredError,
  type JwtHeader,
  type JwtPayload,
  type KeyInput,
  type UnverifiedJwt,
  type VerifiedJwt,
} from '../../lib/index.js';
import { type Callbacks, type Claims, defaultCallbacks } from './callbacks.js';
import { CsrfError, ExpiredSignatureError, InvalidTokenError } from './exceptions.js';
import type { RemoteJwks } from './jwks.js';
import { Keyring, type VerifierPair } from './keyring.js';
import { pyjwtMessage } from './pyjwt.js';
import type { JwtConfig } from './settings.js';
import { tokenContents, type TokenOptions, type TokenType } from './tokens.js';

export interface ManagerOptions {
  /** Clock override (seconds since 1970), for tests. */
  readonly now?: () => number;
  /**
   * Remember this many verified tokens (lib's verified-token cache), off when
   * 0 or unset. The guards still check revocation on every request.
   */
  readonly verifyCacheSize?: number;
  /** A verify-only resource server: the issuer's keys, fetched from its JWKS URL (jwks.ts). */
  readonly remoteKeys?: RemoteJwks;
}

export class JwtManager {
  readonly config: JwtConfig;
  readonly now: () => number;
  readonly #callbacks: Callbacks;
  readonly #keys: Keyring;
  readonly #defaultDecodeKey: Callbacks['decodeKey'];
  /** The configured decode key (the public key, or the secret): fixed by the configuration, so looked up once. */
  readonly #configuredKey: KeyInput;

  constructor(config: JwtConfig, options: ManagerOptions = {}) {
    this.config = config;
    this.now = options.now ?? (() => Date.now() / 1000);
    this.#callbacks = defaultCallbacks(config);
    this.#defaultDecodeKey = this.#callbacks.decodeKey;
    this.#configuredKey = this.#defaultDecodeKey({ alg: config.JWT_ALGORITHM } as JwtHeader, {} as JwtPayload);
    this.#keys = new Keyring(config, { now: this.now, verifyCacheSize: options.verifyCacheSize ?? 0, remoteKeys: options.remoteKeys });
    // A resource server has no key of its own: nothing to check now.
    if (!this.#keys.isRemote) this.#keys.probe(this.#callbacks.encodeKey(undefined), this.#configuredKey);
  }

  /** The callbacks in force (read-only: replace one with its loader). */
  get callbacks(): Readonly<Callbacks> {
    return this.#callbacks;
  }

  // --- The loaders: each replaces one callback and returns it (like the decorators). ---
  additionalClaimsLoader(fn: Callbacks['additionalClaims']): typeof fn { return (this.#callbacks.additionalClaims = fn); }
  additionalHeadersLoader(fn: Callbacks['additionalHeaders']): typeof fn { return (this.#callbacks.additionalHeaders = fn); }
  userIdentityLoader(fn: Callbacks['userIdentity']): typeof fn { return (this.#callbacks.userIdentity = fn); }
  encodeKeyLoader(fn: Callbacks['encodeKey']): typeof fn { return (this.#callbacks.encodeKey = fn); }
  decodeKeyLoader(fn: Callbacks['decodeKey']): typeof fn { return (this.#callbacks.decodeKey = fn); }
  tokenInBlocklistLoader(fn: Callbacks['tokenInBlocklist']): typeof fn { return (this.#callbacks.tokenInBlocklist = fn); }
  tokenVerificationLoader(fn: Callbacks['tokenVerification']): typeof fn { return (this.#callbacks.tokenVerification = fn); }
  userLookupLoader(fn: NonNullable<Callbacks['userLookup']>): typeof fn { return (this.#callbacks.userLookup = fn); }
  expiredTokenLoader(fn: Callbacks['expiredToken']): typeof fn { return (this.#callbacks.expiredToken = fn); }
  invalidTokenLoader(fn: Callbacks['invalidToken']): typeof fn { return (this.#callbacks.invalidToken = fn); }
  unauthorizedLoader(fn: Callbacks['unauthorized']): typeof fn { return (this.#callbacks.unauthorized = fn); }
  needsFreshTokenLoader(fn: Callbacks['needsFreshToken']): typeof fn { return (this.#callbacks.needsFreshToken = fn); }
  revokedTokenLoader(fn: Callbacks['revokedToken']): typeof fn { return (this.#callbacks.revokedToken = fn); }
  tokenVerificationFailedLoader(fn: Callbacks['tokenVerificationFailed']): typeof fn { return (this.#callbacks.tokenVerificationFailed = fn); }
  userLookupErrorLoader(fn: Callbacks['userLookupError']): typeof fn { return (this.#callbacks.userLookupError = fn); }

  // --- Creating tokens (tokens.py `_encode_jwt`). ---
  createAccessToken(identity: unknown, options: TokenOptions = {}): string {
    return this.#encode(identity, 'access', options.fresh ?? false, options);
  }

  createRefreshToken(identity: unknown, options: Omit<TokenOptions, 'fresh'> = {}): string {
    return this.#encode(identity, 'refresh', false, options);
  }

  #encode(identity: unknown, type: TokenType, fresh: boolean | number, options: TokenOptions): string {
    const { payload, algorithm, header } = tokenContents(this.config, this.#callbacks, { identity, type, fresh, options, now: this.now() });
    return this.#keys.signerFor(this.#callbacks.encodeKey(identity), algorithm, header)(payload);
  }

  // --- Decoding (jwt_manager.py `_decode_jwt_from_config`, tokens.py `_decode_jwt`). ---

  /** A resource server may first have to fetch the issuer's keys: a promise then, else undefined. */
  prepareKeys(token: unknown): Promise<void> | undefined {
    return this.#keys.prepare(token);
  }

  /**
   * Verifies a token and returns its header and claims (defaults filled in),
   * or throws a JwtExtendedError. The reference first decodes the token without
   * verifying it, so that a decode-key callback can look at the claims and a
   * malformed segment is reported before a bad signature. We do the same when a
   * decode-key callback is set; with the default key, which does not depend on
   * the token, we verify straight away and decode unverified only to explain a
   * failure, which gives the same answers for less work. Nothing from the
   * unverified decoding is trusted or returned.
   */
  decodeToken(token: unknown, csrfValue?: string, allowExpired = false): VerifiedJwt {
    if (typeof token !== 'string') throw new InvalidTokenError("Invalid token type. Token must be a <class 'bytes'>");
    const custom = this.#callbacks.decodeKey !== this.#defaultDecodeKey;
    const unverified = custom ? this.#decodeUnverified(token) : undefined;
    const verifiers = this.#verifiers(unverified);
    let verified: VerifiedJwt;
    try {
      verified = (allowExpired ? verifiers.ignoringExpiry : verifiers.strict)(token);
    } catch (error) {
      // A structural error, found by the unverified decoding, comes first (as in PyJWT).
      // (An expired token has passed the structure and signature checks already.)
      if (!(error instanceof TokenExpiredError)) throw invalid(error, token, (unverified ?? this.#decodeUnverified(token)).header);
      // Expired: decode again without exp, as the reference does, so that the
      // expired callback gets the claims, and any other error wins over expiry.
      let claims: VerifiedJwt;
      try {
        claims = this.#finish(verifiers.ignoringExpiry(token), csrfValue);
      } catch (inner) {
        throw invalid(inner, token, (unverified ?? this.#decodeUnverified(token)).header);
      }
      throw new ExpiredSignatureError(claims.header, claims.payload);
    }
    return this.#finish(verified, csrfValue);
  }

  #verifiers(unverified: UnverifiedJwt | undefined): VerifierPair {
    const configured = this.#configuredKey;
    if (unverified !== undefined) return this.#keys.verifiersFor(this.#callbacks.decodeKey(unverified.header, unverified.payload), configured);
    return this.#keys.isRemote ? this.#keys.remoteVerifiers() : this.#keys.verifiersFor(configured, configured);
  }

  #decodeUnverified(token: string): UnverifiedJwt {
    try {
      return decodeUnverified(token);
    } catch (error) {
      throw invalid(error, token, undefined);
    }
  }

  /**
   * The checks flask_jwt_extended adds after PyJWT: identity claim, defaults,
   * CSRF double submit. A token without `type`, `fresh` or `jti` gets a copy
   * with the defaults filled in; one that has them all (every token this server
   * issues) is returned as verified, with no copy: its claims are frozen when
   * the verified-token cache holds them, as every request shares them then.
   */
  #finish(verified: VerifiedJwt, csrfValue: string | undefined): VerifiedJwt {
    const { header, payload } = verified;
    const claim = this.config.JWT_IDENTITY_CLAIM;
    if (!Object.hasOwn(payload, claim)) throw new InvalidTokenError(`Missing claim: ${claim}`);
    const complete = Object.hasOwn(payload, 'type') && Object.hasOwn(payload, 'fresh') && Object.hasOwn(payload, 'jti');
    const filled: Claims = complete ? payload : withDefaults(payload);
    if (csrfValue) {
      if (!Object.hasOwn(filled, 'csrf')) throw new InvalidTokenError('Missing claim: csrf');
      if (!sameString(filled['csrf'], csrfValue)) throw new CsrfError('CSRF double submit tokens do not match');
    }
    return complete ? verified : { header, payload: filled as JwtPayload };
  }
}

/** A copy of the claims with the reference's defaults for the missing ones among type, fresh and jti (tokens.py `_decode_jwt`). */
function withDefaults(payload: JwtPayload): Claims {
  const filled: Claims = { ...payload };
  if (!Object.hasOwn(filled, 'type')) filled['type'] = 'access';
  if (!Object.hasOwn(filled, 'fresh')) filled['fresh'] = false;
  if (!Object.hasOwn(filled, 'jti')) filled['jti'] = null;
  return filled;
}

/** A lib error in PyJWT's words; anything else (a JwtExtendedError from #finish, or a bug) as it is. */
function invalid(error: unknown, token: string, header: JwtHeader | undefined): unknown {
  if (error instanceof JwtError) return new InvalidTokenError(pyjwtMessage(error, token, header), { cause: error });
  return error;
}

/** Constant-time comparison of the csrf claim with the submitted value (hmac.compare_digest). */
function sameString(claim: unknown, submitted: string): boolean {
  if (typeof claim !== 'string') return false;
  const a = Buffer.from(claim);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}
