/**
 * JwtManager: flask_jwt_extended's JWTManager. It holds the configuration and
 * the fifteen callbacks (each with the reference's default, each replaceable
 * through a `...Loader` method), creates tokens with the reference's claims, and
 * decodes them with the reference's checks and error precedence.
 *
 * The signer and verifier for the configured key are built once, here.
 */
import { timingSafeEqual } from 'node:crypto';
import {
  createSigner,
  createVerifier,
  decodeUnverified,
  JwtError,
  TokenExpiredError,
  type AlgorithmName,
  type JwtHeader,
  type JwtPayload,
  type KeyInput,
  type KeySetInput,
  type Signer,
  type UnverifiedJwt,
  type VerifiedJwt,
  type Verifier,
} from '../lib/index.js';
import type { Reply } from './app.js';
import { type Callbacks, type Claims, defaultCallbacks } from './callbacks.js';
import { tokenContents, type TokenOptions, type TokenType } from './tokens.js';
import { ConfigError, decodeAlgorithms, isAsymmetric, type JwtConfig } from './config.js';
import {
  CsrfError,
  ExpiredSignatureError,
  InvalidTokenError,
  JwtExtendedError,
  pyjwtMessage,
  TokenStateError,
} from './errors.js';
import { jwtRequired, verifyJwtInRequest, type GuardOptions } from './guards.js';
import type { RemoteJwks } from './jwks.js';
import type { Context, Handler } from './app.js';

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

/** A verifier for one key, and its twin that ignores `exp` (for the expired-token callback). */
interface VerifierPair {
  readonly strict: Verifier;
  readonly ignoringExpiry: Verifier;
}

export class JwtManager {
  readonly config: JwtConfig;
  readonly callbacks: Callbacks;
  readonly now: () => number;
  readonly #signers = new Map<string, Signer>();
  readonly #verifiers = new Map<KeyInput, VerifierPair>();
  readonly #algorithms: readonly AlgorithmName[];
  readonly #defaultDecodeKey: Callbacks['decodeKey'];
  readonly #verifyCacheSize: number;
  readonly #remoteKeys: RemoteJwks | undefined;
  #remoteVerifiers: { readonly version: number; readonly pair: VerifierPair } | undefined;

  constructor(config: JwtConfig, options: ManagerOptions = {}) {
    this.config = config;
    this.now = options.now ?? (() => Date.now() / 1000);
    this.#verifyCacheSize = options.verifyCacheSize ?? 0;
    this.#remoteKeys = options.remoteKeys;
    this.#algorithms = decodeAlgorithms(config);
    this.callbacks = defaultCallbacks(config);
    this.#defaultDecodeKey = this.callbacks.decodeKey;
    // A resource server has no key of its own: nothing to check now.
    if (this.#remoteKeys !== undefined) return;
    // Build the signer and verifier for the configured keys now, so a weak or
    // unusable key stops the server at start-up rather than at the first request.
    const asymmetric = isAsymmetric(config.JWT_ALGORITHM);
    const signingKey = asymmetric ? 'JWT_PRIVATE_KEY' : 'JWT_SECRET_KEY';
    const verifyingKey = asymmetric ? 'JWT_PUBLIC_KEY' : 'JWT_SECRET_KEY';
    let probe: string;
    try {
      probe = this.#signerFor(this.callbacks.encodeKey(undefined), config.JWT_ALGORITHM, {})({ probe: true });
    } catch (error) {
      if (error instanceof JwtError) throw new ConfigError(signingKey, `${signingKey}: ${error.message}`);
      throw error;
    }
    try {
      this.#verifiersFor(this.#decodeKey()).ignoringExpiry(probe);
    } catch (error) {
      if (!(error instanceof JwtError)) throw error;
      // The key could not be imported, or does not verify what the signing key signed. (A claim
      // error here only says the probe has no aud or iss: the signature had passed by then.)
      if (error.code === 'ERR_JWT_SIGNATURE_INVALID') throw new ConfigError(verifyingKey, `${verifyingKey} does not match JWT_PRIVATE_KEY: a token signed with the one fails with the other`);
      if (error.code.startsWith('ERR_JWT_KEY') || error.code === 'ERR_JWT_INVALID_OPTIONS') throw new ConfigError(verifyingKey, `${verifyingKey}: ${error.message}`);
    }
  }

  /** The configured decode key (the public key, or the secret). */
  #decodeKey(): KeyInput {
    return this.#defaultDecodeKey({ alg: this.config.JWT_ALGORITHM } as JwtHeader, {} as JwtPayload);
  }

  // --- The loaders: each replaces one callback and returns it (like the decorators). ---
  additionalClaimsLoader(fn: Callbacks['additionalClaims']): typeof fn { return (this.callbacks.additionalClaims = fn); }
  additionalHeadersLoader(fn: Callbacks['additionalHeaders']): typeof fn { return (this.callbacks.additionalHeaders = fn); }
  userIdentityLoader(fn: Callbacks['userIdentity']): typeof fn { return (this.callbacks.userIdentity = fn); }
  encodeKeyLoader(fn: Callbacks['encodeKey']): typeof fn { return (this.callbacks.encodeKey = fn); }
  decodeKeyLoader(fn: Callbacks['decodeKey']): typeof fn { return (this.callbacks.decodeKey = fn); }
  tokenInBlocklistLoader(fn: Callbacks['tokenInBlocklist']): typeof fn { return (this.callbacks.tokenInBlocklist = fn); }
  tokenVerificationLoader(fn: Callbacks['tokenVerification']): typeof fn { return (this.callbacks.tokenVerification = fn); }
  userLookupLoader(fn: NonNullable<Callbacks['userLookup']>): typeof fn { return (this.callbacks.userLookup = fn); }
  expiredTokenLoader(fn: Callbacks['expiredToken']): typeof fn { return (this.callbacks.expiredToken = fn); }
  invalidTokenLoader(fn: Callbacks['invalidToken']): typeof fn { return (this.callbacks.invalidToken = fn); }
  unauthorizedLoader(fn: Callbacks['unauthorized']): typeof fn { return (this.callbacks.unauthorized = fn); }
  needsFreshTokenLoader(fn: Callbacks['needsFreshToken']): typeof fn { return (this.callbacks.needsFreshToken = fn); }
  revokedTokenLoader(fn: Callbacks['revokedToken']): typeof fn { return (this.callbacks.revokedToken = fn); }
  tokenVerificationFailedLoader(fn: Callbacks['tokenVerificationFailed']): typeof fn { return (this.callbacks.tokenVerificationFailed = fn); }
  userLookupErrorLoader(fn: Callbacks['userLookupError']): typeof fn { return (this.callbacks.userLookupError = fn); }

  // --- Guards (guards.ts), bound to this manager. ---
  jwtRequired(options: GuardOptions = {}): (handler: Handler) => Handler {
    return jwtRequired(this, options);
  }

  verifyJwtInRequest(ctx: Context, options: GuardOptions = {}): Promise<VerifiedJwt | null> {
    return verifyJwtInRequest(this, ctx, options);
  }

  // --- Creating tokens (tokens.py `_encode_jwt`). ---
  createAccessToken(identity: unknown, options: TokenOptions = {}): string {
    return this.#encode(identity, 'access', options.fresh ?? false, options);
  }

  createRefreshToken(identity: unknown, options: Omit<TokenOptions, 'fresh'> = {}): string {
    return this.#encode(identity, 'refresh', false, options);
  }

  #encode(identity: unknown, type: TokenType, fresh: boolean | number, options: TokenOptions): string {
    const { payload, algorithm, header } = tokenContents(this.config, this.callbacks, { identity, type, fresh, options, now: this.now() });
    return this.#signerFor(this.callbacks.encodeKey(identity), algorithm, header)(payload);
  }

  #signerFor(key: KeyInput, algorithm: AlgorithmName, header: Claims): Signer {
    const cacheKey = typeof key === 'string' && Object.keys(header).length === 0 ? `${algorithm}:${key}` : undefined;
    const cached = cacheKey === undefined ? undefined : this.#signers.get(cacheKey);
    if (cached !== undefined) return cached;
    const signer = createSigner({ key, algorithm, header, noTimestamp: true });
    if (cacheKey !== undefined && this.#signers.size < 16) this.#signers.set(cacheKey, signer);
    return signer;
  }

  /**
   * The verifiers for a decode key. With JWT_DECODE_KEYS (key rotation, beyond
   * flask_jwt_extended) the configured public key and the retired ones form a
   * key set, and each token's `kid` picks its key; otherwise one key, as in the
   * reference, whatever `kid` a token names.
   */
  #verifiersFor(key: KeyInput): VerifierPair {
    const cached = this.#verifiers.get(key);
    if (cached !== undefined) return cached;
    const retired = this.config.JWT_DECODE_KEYS;
    const pair = this.#makeVerifiers(retired !== null && key === this.#decodeKey() ? { keys: [key, ...retired] } : { key });
    if (this.#verifiers.size < 16) this.#verifiers.set(key, pair);
    return pair;
  }

  /**
   * Before decoding, a resource server makes sure it knows the token's `kid`:
   * an unknown one (the issuer rotated) triggers a fetch of the JWKS, at most
   * once per cooldown. Undefined (nothing to wait for) on an ordinary server.
   */
  prepareKeys(token: unknown): Promise<void> | undefined {
    const remote = this.#remoteKeys;
    if (remote === undefined) return undefined;
    let kid: unknown;
    try {
      kid = typeof token === 'string' ? decodeUnverified(token).header.kid : undefined;
    } catch {
      return undefined; // malformed: decodeToken will say how
    }
    if (!remote.has(kid)) return remote.refresh();
    // Known, but maybe withdrawn since: look again in the background (this request goes on with the keys at hand).
    if (remote.stale) void remote.refresh();
    return undefined;
  }

  /** The verifiers over the issuer's current JWK Set, rebuilt when the set changes. */
  #remotePair(remote: RemoteJwks): VerifierPair {
    const { set, version } = remote.current;
    if (this.#remoteVerifiers?.version === version) return this.#remoteVerifiers.pair;
    const unreachable = `The issuer's public keys could not be fetched from ${remote.url}${remote.lastError === undefined ? '' : `: ${remote.lastError}`}`;
    if (set === undefined) throw new InvalidTokenError(unreachable);
    let pair: VerifierPair;
    try {
      pair = this.#makeVerifiers({ keys: set });
    } catch (error) {
      if (error instanceof JwtError) throw new InvalidTokenError(`The issuer's JWKS has no key this server can use: ${error.message}`);
      throw error;
    }
    this.#remoteVerifiers = { version, pair };
    return pair;
  }

  #makeVerifiers(keys: { readonly key: KeyInput } | { readonly keys: KeySetInput }): VerifierPair {
    const { config } = this;
    const audience = config.JWT_DECODE_AUDIENCE;
    const options = {
      ...keys,
      algorithms: this.#algorithms,
      leeway: config.JWT_DECODE_LEEWAY,
      now: this.now,
      // flask_jwt_extended verifies aud only when JWT_DECODE_AUDIENCE is set.
      ...(audience === null ? { skipAudienceCheck: true } : { audience }),
      ...(config.JWT_DECODE_ISSUER === null ? {} : { issuer: config.JWT_DECODE_ISSUER }),
    };
    const cache = this.#verifyCacheSize > 0 ? { cache: { max: this.#verifyCacheSize } } : {};
    return { strict: createVerifier({ ...options, ...cache }), ignoringExpiry: createVerifier({ ...options, ignoreExpiration: true }) };
  }

  // --- Decoding (jwt_manager.py `_decode_jwt_from_config`, tokens.py `_decode_jwt`). ---

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
    const custom = this.callbacks.decodeKey !== this.#defaultDecodeKey;
    const unverified = custom ? this.#decodeUnverified(token) : undefined;
    const verifiers =
      unverified !== undefined ? this.#verifiersFor(this.callbacks.decodeKey(unverified.header, unverified.payload))
      : this.#remoteKeys !== undefined ? this.#remotePair(this.#remoteKeys)
      : this.#verifiersFor(this.#decodeKey());
    let verified: VerifiedJwt;
    try {
      verified = (allowExpired ? verifiers.ignoringExpiry : verifiers.strict)(token);
    } catch (error) {
      // A structural error, found by the unverified decoding, comes first (as in PyJWT).
      const { header } = unverified ?? this.#decodeUnverified(token);
      if (!(error instanceof TokenExpiredError)) throw this.#invalid(error, token, header);
      // Expired: decode again without exp, as the reference does, so that the
      // expired callback gets the claims, and any other error wins over expiry.
      let claims: VerifiedJwt;
      try {
        claims = this.#finish(verifiers.ignoringExpiry(token), csrfValue);
      } catch (inner) {
        throw this.#invalid(inner, token, header);
      }
      throw new ExpiredSignatureError(claims.header, claims.payload);
    }
    return this.#finish(verified, csrfValue);
  }

  #decodeUnverified(token: string): UnverifiedJwt {
    try {
      return decodeUnverified(token);
    } catch (error) {
      throw this.#invalid(error, token, undefined);
    }
  }

  #invalid(error: unknown, token: string, header: JwtHeader | undefined): unknown {
    if (error instanceof JwtError) return new InvalidTokenError(pyjwtMessage(error, token, header), { cause: error });
    return error; // JwtExtendedError from #finish, or a bug
  }

  /** The checks flask_jwt_extended adds after PyJWT: identity claim, defaults, CSRF double submit. */
  #finish({ header, payload }: VerifiedJwt, csrfValue: string | undefined): VerifiedJwt {
    const claim = this.config.JWT_IDENTITY_CLAIM;
    if (!Object.hasOwn(payload, claim)) throw new InvalidTokenError(`Missing claim: ${claim}`);
    const filled: Claims = { ...payload };
    if (!Object.hasOwn(filled, 'type')) filled['type'] = 'access';
    if (!Object.hasOwn(filled, 'fresh')) filled['fresh'] = false;
    if (!Object.hasOwn(filled, 'jti')) filled['jti'] = null;
    if (csrfValue) {
      if (!Object.hasOwn(filled, 'csrf')) throw new InvalidTokenError('Missing claim: csrf');
      if (!sameString(filled['csrf'], csrfValue)) throw new CsrfError('CSRF double submit tokens do not match');
    }
    return { header, payload: filled as JwtPayload };
  }

  // --- Errors to responses (jwt_manager.py `_set_error_handler_callbacks`). ---

  /** The callback's response for a JwtExtendedError, or undefined for anything else. */
  errorResponse(error: unknown): Reply | undefined {
    if (!(error instanceof JwtExtendedError)) return undefined;
    const { callbacks } = this;
    if (error instanceof TokenStateError) {
      const { header, payload } = error;
      switch (error.kind) {
        case 'expired':
          return callbacks.expiredToken(header, payload);
        case 'needs_fresh':
          return callbacks.needsFreshToken(header, payload);
        case 'revoked':
          return callbacks.revokedToken(header, payload);
        case 'verification_failed':
          return callbacks.tokenVerificationFailed(header, payload);
        default:
          return callbacks.userLookupError(header, payload);
      }
    }
    return error.kind === 'unauthorized' ? callbacks.unauthorized(error.message) : callbacks.invalidToken(error.message);
  }
}

/** Constant-time comparison of the csrf claim with the submitted value (hmac.compare_digest). */
function sameString(claim: unknown, submitted: string): boolean {
  if (typeof claim !== 'string') return false;
  const a = Buffer.from(claim);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}
