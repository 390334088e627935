/**
 * Signing: claims in, compact JWS out (RFC 7515 §5.1, RFC 7519 §7.1).
 *
 *   1. header  = {"alg":"HS256","typ":"JWT"}           → BASE64URL(UTF8(header))
 *   2. payload = the claims as JSON                      → BASE64URL(UTF8(payload))
 *   3. signing input = header segment "." payload segment
 *   4. signature = HMAC(key, signing input)              → BASE64URL(signature)
 *   5. token = signing input "." signature segment
 *
 * `createSigner` does everything that does not depend on the claims once: it
 * checks the options, imports the key and encodes the header segment. The
 * returned function only serialises, encodes and MACs.
 */
import { type Algorithm, getAlgorithm, type ImportedKey } from './algorithms.js';
import { thumbprintIfAny } from './jwk.js';
import { encodeBase64Url, encodeBase64UrlString } from './base64url-fast.js';
import { checkRegisteredClaimTypes } from './claims.js';
import { InvalidOptionsError, InvalidPayloadError } from './errors.js';
import { decodeUtf8, type JsonObject, parseJsonObject } from './json.js';
import { checkJsonValue, checkPayload, isPlainObject } from './payload.js';
import type { KeyInput, KeyPolicy } from './keys.js';
import { checkSeconds, systemClock } from './time.js';
import type { AlgorithmName } from './algorithms.js';
import type { JwtPayload, SignOptions, SignerOptions } from './types.js';

/** A prepared signer: claims in, token out. */
export type Signer = (payload: JwtPayload) => string;

/** Claims that options may set, and the option that sets each. */
const OPTION_CLAIMS = [
  ['audience', 'aud'],
  ['issuer', 'iss'],
  ['subject', 'sub'],
  ['jwtId', 'jti'],
] as const;

/** Prepares a signer for one key and one set of options. */
export function createSigner(options: SignerOptions): Signer {
  const algorithm = getAlgorithm(options.algorithm ?? 'HS256');
  const key = algorithm.importKey(options.key, 'sign', options);
  // The header never changes for this signer: encode it once (and the default
  // header, {"alg":…,"typ":"JWT"}, once per algorithm for every signer).
  const kid = keyId(options, key);
  const extra = kid === undefined ? options.header : { kid, ...options.header };
  const headerSegment = extra === undefined ? defaultHeaderSegment(algorithm) : encodeHeader(algorithm, extra);
  const fixed = fixedClaims(options);
  const expiresIn = options.expiresIn === undefined ? undefined : checkSeconds('expiresIn', options.expiresIn);
  const notBefore = options.notBefore === undefined ? undefined : checkSeconds('notBefore', options.notBefore);
  const withTimestamp = options.noTimestamp !== true;
  const now = options.now ?? systemClock;

  return function sign(payload: JwtPayload): string {
    checkPayload(payload);
    const claims: JsonObject = { ...payload };
    // Relative times count from the payload's own iat when it has one (as jsonwebtoken does);
    // an iat that is not a NumericDate is refused, never silently replaced by the clock.
    if (payload.iat !== undefined) checkRegisteredClaimTypes({ iat: payload.iat });
    const iat = payload.iat ?? Math.floor(now());
    if (withTimestamp) claims['iat'] = iat;
    if (notBefore !== undefined) setClaim(claims, 'nbf', iat + notBefore, 'notBefore');
    if (expiresIn !== undefined) setClaim(claims, 'exp', iat + expiresIn, 'expiresIn');
    for (const [claim, value, option] of fixed) setClaim(claims, claim, value, option);
    checkRegisteredClaimTypes(claims);
    checkDatesInRange(claims);
    const signingInput = headerSegment + encodeBase64UrlString(JSON.stringify(claims));
    return signingInput + '.' + encodeBase64Url(algorithm.sign(key, signingInput));
  };
}

/** One-shot signing: `createSigner({ ...options, key })(payload)`. */
export function sign(payload: JwtPayload, key: KeyInput, options: SignOptions = {}): string {
  return createSigner({ ...options, key })(payload);
}

/** Options for `signBytes`. */
export interface SignBytesOptions extends KeyPolicy {
  /** Must equal the header's `alg`; defaults to it. */
  readonly algorithm?: AlgorithmName;
}

/**
 * The low-level assembly: signs the exact header and payload bytes given, with
 * no JSON re-serialisation. This is how RFC 7515 Appendix A.1, whose header has
 * a line break in it, is reproduced byte for byte. The header must still be a
 * JSON object naming a supported `alg`; the payload may be any bytes (a JWS, not
 * necessarily a JWT, RFC 7515 §3).
 */
export function signBytes(
  headerBytes: Uint8Array,
  payloadBytes: Uint8Array,
  key: KeyInput,
  options: SignBytesOptions = {},
): string {
  const header = parseJsonObject(decodeUtf8(headerBytes, 'header'), 'header');
  const alg = header['alg'];
  if (typeof alg !== 'string') throw new InvalidOptionsError('the header bytes must contain a string "alg"');
  if (options.algorithm !== undefined && options.algorithm !== alg) {
    throw new InvalidOptionsError(`the header says "alg": ${JSON.stringify(alg)}, the options say ${options.algorithm}`);
  }
  const algorithm = getAlgorithm(alg);
  const signingInput = encodeBase64Url(headerBytes) + '.' + encodeBase64Url(payloadBytes);
  const signature = algorithm.sign(algorithm.importKey(key, 'sign', options), signingInput);
  return signingInput + '.' + encodeBase64Url(signature);
}

/**
 * The header's `kid`: the one given, or for a public-key algorithm the RFC 7638
 * thumbprint of the public key, computed once here. HMAC keys get none by
 * default: a thumbprint of a secret would publish a hash of it.
 */
function keyId(options: SignerOptions, key: ImportedKey): string | undefined {
  if (options.kid !== undefined) {
    if (typeof options.kid !== 'string') throw new InvalidOptionsError('kid must be a string');
    return options.kid;
  }
  if (options.header?.['kid'] !== undefined) return undefined;
  return thumbprintIfAny(key);
}

const DEFAULT_HEADER_SEGMENTS = new Map<string, string>();

function defaultHeaderSegment(algorithm: Algorithm): string {
  let segment = DEFAULT_HEADER_SEGMENTS.get(algorithm.name);
  if (segment === undefined) {
    segment = encodeHeader(algorithm, undefined);
    DEFAULT_HEADER_SEGMENTS.set(algorithm.name, segment);
  }
  return segment;
}

/** BASE64URL(UTF8(header)) and the dot that follows it. */
function encodeHeader(algorithm: Algorithm, extra: SignOptions['header']): string {
  return `${encodeBase64UrlString(JSON.stringify(buildHeader(algorithm, extra)))}.`;
}

function buildHeader(algorithm: Algorithm, extra: SignOptions['header']): JsonObject {
  if (extra !== undefined && !isPlainObject(extra)) {
    throw new InvalidOptionsError('header must be a plain object of header parameters');
  }
  const header: JsonObject = { alg: algorithm.name, typ: 'JWT', ...extra };
  if (header['alg'] !== algorithm.name) {
    throw new InvalidOptionsError(`header.alg ${JSON.stringify(header['alg'])} contradicts algorithm ${algorithm.name}`);
  }
  if (header['crit'] !== undefined || header['b64'] !== undefined) {
    // We would refuse such a token on verification (RFC 7515 §4.1.11, RFC 7797).
    throw new InvalidOptionsError('header.crit and header.b64 are not supported');
  }
  checkJsonValue(header, 'header');
  return header;
}

function fixedClaims(options: SignOptions): Array<readonly [string, unknown, string]> {
  const claims: Array<readonly [string, unknown, string]> = [];
  for (const [option, claim] of OPTION_CLAIMS) {
    const value = options[option];
    if (value !== undefined) claims.push([claim, value, option]);
  }
  checkRegisteredClaimTypes(Object.fromEntries(claims.map(([claim, value]) => [claim, value])));
  return claims;
}

/** Sets a claim from an option, refusing to silently overwrite one the payload already has. */
function setClaim(claims: JsonObject, claim: string, value: unknown, option: string): void {
  if (claims[claim] !== undefined && claims[claim] !== value) {
    throw new InvalidPayloadError(`the payload already has "${claim}"; set it there or with ${option}, not both`);
  }
  claims[claim] = value;
}

/** 9999-12-31T23:59:59Z in NumericDate seconds: the last instant ISO 8601's four-digit years can write. */
const LAST_SIGNABLE_DATE = 253402300799;

/**
 * A NumericDate counts seconds (RFC 7519 §2). `Date.now()` counts milliseconds,
 * and `exp: Date.now() + 1000` makes a token valid for 56,000 years: so dates
 * past the year 9999 (or before year -9999) are refused when signing, with the
 * likely cause. Verification still reads whatever a signed token says.
 */
function checkDatesInRange(claims: JsonObject): void {
  for (const claim of ['iat', 'nbf', 'exp'] as const) {
    const value = claims[claim];
    if (typeof value === 'number' && Math.abs(value) > LAST_SIGNABLE_DATE) {
      throw new InvalidPayloadError(
        `"${claim}" is ${value}, beyond the year 9999: JWT times are seconds since 1970, not milliseconds ` +
          '(RFC 7519 §2); use Math.floor(Date.now() / 1000)',
      );
    }
  }
}
