/**
 * The keys of a manager, made into lib signers and verifiers once and kept:
 * the signing key (JWT_SECRET_KEY or JWT_PRIVATE_KEY), the decode key with
 * the retired keys of a rotation (JWT_DECODE_KEYS, beyond flask_jwt_extended),
 * or, on a verify-only resource server, the issuer's JWK Set (jwks.ts).
 *
 * `probe` signs and verifies one token at start-up, so a weak, unusable or
 * mismatched key stops the server before the first request rather than at it.
 */
import {
  createSigner,
  createVerifier,
  decodeUnverified,
  JwtError,
  type AlgorithmName,
  type KeyInput,
  type KeySetInput,
  type Signer,
  type Verifier,
} from '../../lib/index.js';
import type { Claims } from './callbacks.js';
import { ConfigError, decodeAlgorithms, isAsymmetric } from './config.js';
import { InvalidTokenError } from './exceptions.js';
import type { RemoteJwks } from './jwks.js';
import type { JwtConfig } from './settings.js';

/** A verifier for one key, and its twin that ignores `exp` (for the expired-token callback). */
export interface VerifierPair {
  readonly strict: Verifier;
  readonly ignoringExpiry: Verifier;
}

export interface KeyringOptions {
  readonly now: () => number;
  /** Verified tokens to remember (lib's cache); 0: none. */
  readonly verifyCacheSize: number;
  readonly remoteKeys: RemoteJwks | undefined;
}

/** At most this many signers and verifiers are kept (a key callback may return many keys). */
const KEPT = 16;

export class Keyring {
  readonly #config: JwtConfig;
  readonly #options: KeyringOptions;
  readonly #algorithms: readonly AlgorithmName[];
  readonly #signers = new Map<string, Signer>();
  readonly #verifiers = new Map<KeyInput, VerifierPair>();
  #remote: { readonly version: number; readonly pair: VerifierPair } | undefined;

  constructor(config: JwtConfig, options: KeyringOptions) {
    this.#config = config;
    this.#options = options;
    this.#algorithms = decodeAlgorithms(config);
  }

  get isRemote(): boolean {
    return this.#options.remoteKeys !== undefined;
  }

  /** Signs and verifies one token with the configured keys; a ConfigError names the key at fault. */
  probe(signingKey: KeyInput, decodeKey: KeyInput): void {
    const config = this.#config;
    const asymmetric = isAsymmetric(config.JWT_ALGORITHM);
    const signingName = asymmetric ? 'JWT_PRIVATE_KEY' : 'JWT_SECRET_KEY';
    const verifyingName = asymmetric ? 'JWT_PUBLIC_KEY' : 'JWT_SECRET_KEY';
    let token: string;
    try {
      token = this.signerFor(signingKey, config.JWT_ALGORITHM, {})({ probe: true });
    } catch (error) {
      if (error instanceof JwtError) throw new ConfigError(signingName, `${signingName}: ${error.message}`);
      throw error;
    }
    try {
      this.verifiersFor(decodeKey, decodeKey).ignoringExpiry(token);
    } catch (error) {
      if (!(error instanceof JwtError)) throw error;
      // The key could not be imported, or does not verify what the signing key signed. (A claim
      // error here only says the probe has no aud or iss: the signature had passed by then.)
      if (error.code === 'ERR_JWT_SIGNATURE_INVALID') throw new ConfigError(verifyingName, `${verifyingName} does not match JWT_PRIVATE_KEY: a token signed with the one fails with the other`);
      if (error.code.startsWith('ERR_JWT_KEY') || error.code === 'ERR_JWT_INVALID_OPTIONS') throw new ConfigError(verifyingName, `${verifyingName}: ${error.message}`);
    }
  }

  /** A signer for a key, algorithm and extra header; the common case (a text key, no extra header) is kept. */
  signerFor(key: KeyInput, algorithm: AlgorithmName, header: Claims): Signer {
    const cacheKey = typeof key === 'string' && Object.keys(header).length === 0 ? `${algorithm}:${key}` : undefined;
    const cached = cacheKey === undefined ? undefined : this.#signers.get(cacheKey);
    if (cached !== undefined) return cached;
    const signer = createSigner({ key, algorithm, header, noTimestamp: true });
    if (cacheKey !== undefined && this.#signers.size < KEPT) this.#signers.set(cacheKey, signer);
    return signer;
  }

  /**
   * The verifiers for a decode key. With JWT_DECODE_KEYS (key rotation) the
   * configured key and the retired ones form a key set, and each token's `kid`
   * picks its key; otherwise one key, as in the reference, whatever `kid` a
   * token names. `configured` is the configured decode key.
   */
  verifiersFor(key: KeyInput, configured: KeyInput): VerifierPair {
    const cached = this.#verifiers.get(key);
    if (cached !== undefined) return cached;
    const retired = this.#config.JWT_DECODE_KEYS;
    const pair = this.#makeVerifiers(retired !== null && key === configured ? { keys: [key, ...retired] } : { key });
    if (this.#verifiers.size < KEPT) this.#verifiers.set(key, pair);
    return pair;
  }

  /**
   * Before decoding, a resource server makes sure it knows the token's `kid`:
   * an unknown one (the issuer rotated) triggers a fetch of the JWKS, at most
   * once per cooldown. Undefined (nothing to wait for) on an ordinary server.
   */
  prepare(token: unknown): Promise<void> | undefined {
    const remote = this.#options.remoteKeys;
    if (remote === undefined) return undefined;
    let kid: unknown;
    try {
      kid = typeof token === 'string' ? decodeUnverified(token).header.kid : undefined;
    } catch {
      return undefined; // malformed: decoding will say how
    }
    if (!remote.has(kid)) return remote.refresh();
    // Known, but maybe withdrawn since: look again in the background (this request goes on with the keys at hand).
    if (remote.stale) void remote.refresh();
    return undefined;
  }

  /** The verifiers over the issuer's current JWK Set, rebuilt when the set changes. */
  remoteVerifiers(): VerifierPair {
    const remote = this.#options.remoteKeys;
    if (remote === undefined) throw new Error('not a resource server');
    const { set, version } = remote.current;
    if (this.#remote?.version === version) return this.#remote.pair;
    const unreachable = `The issuer's public keys could not be fetched from ${remote.url}${remote.lastError === undefined ? '' : `: ${remote.lastError}`}`;
    if (set === undefined) throw new InvalidTokenError(unreachable);
    let pair: VerifierPair;
    try {
      pair = this.#makeVerifiers({ keys: set });
    } catch (error) {
      if (error instanceof JwtError) throw new InvalidTokenError(`The issuer's JWKS has no key this server can use: ${error.message}`);
      throw error;
    }
    this.#remote = { version, pair };
    return pair;
  }

  #makeVerifiers(keys: { readonly key: KeyInput } | { readonly keys: KeySetInput }): VerifierPair {
    const config = this.#config;
    const audience = config.JWT_DECODE_AUDIENCE;
    const options = {
      ...keys,
      algorithms: this.#algorithms,
      leeway: config.JWT_DECODE_LEEWAY,
      now: this.#options.now,
      // flask_jwt_extended verifies aud only when JWT_DECODE_AUDIENCE is set.
      ...(audience === null ? { skipAudienceCheck: true } : { audience }),
      ...(config.JWT_DECODE_ISSUER === null ? {} : { issuer: config.JWT_DECODE_ISSUER }),
    };
    const size = this.#options.verifyCacheSize;
    const cache = size > 0 ? { cache: { max: size } } : {};
    return { strict: createVerifier({ ...options, ...cache }), ignoringExpiry: createVerifier({ ...options, ignoreExpiration: true }) };
  }
}
