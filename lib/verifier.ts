/**
 * Verification: compact JWS in, trusted header and claims out
 * (RFC 7515 §5.2, RFC 7519 §7.2, RFC 8725 §3).
 *
 * The order matters and is the point of this file:
 *
 *   1. size        the token is no longer than `maxTokenLength`
 *   2. structure   exactly three segments (RFC 7515 §7.1)
 *   3. header      strict base64url → strict UTF-8 → a JSON object (RFC 7519 §7.2 steps 2-5)
 *   4. parameters  `alg` a string, unknown critical extensions refused (RFC 7515 §4.1)
 *   5. algorithm   `alg` on the allow-list; never "none" (RFC 8725 §3.1); then the key:
 *                  the one key, or from a key set the one the `kid` names (keyset.ts)
 *   6. signature   exactly the algorithm's length for that key, then checked
 *                  (an HMAC compared in constant time; RFC 7515 §5.2 step 8)
 *   7. payload     decoded and parsed only now that it is known to be authentic
 *   8. claims      iat, nbf, exp, iss, aud, sub, jti, typ (RFC 7519 §4.1, claims.ts)
 *
 * Nothing from the payload is read, let alone returned, before step 6 passed.
 */
import type { Algorithm } from './algorithms.js';
import { VerifiedCache } from './cache.js';
import { checkTimes, type ClaimRules, validateClaims } from './claims.js';
import { decodeBase64UrlTransient } from './base64url-fast.js';
import { splitCompact } from './compact.js';
import {
  InvalidOptionsError,
  MalformedTokenError,
  SignatureInvalidError,
  TokenTooLargeError,
} from './errors.js';
import { allowedAlgorithm, allowList, checkHeader } from './header.js';
import { decodeUtf8, parseJsonObject } from './json.js';
import type { KeyInput } from './keys.js';
import { checkKeySet, keysFor, selectKey, type KeyEntry } from './keyset.js';
import { checkSeconds, systemClock } from './time.js';
import type { AudienceMatcher, JwtHeader, VerifiedJwt, VerifierOptions, VerifyOptions } from './types.js';

/**
 * The default size limit, in characters. 8 KiB holds any sensible token (an
 * access token here is ~350 characters; one with 2 KB of custom claims ~3,000)
 * and matches the 8 KiB header line most HTTP servers accept, while bounding the
 * work an attacker can make the verifier do before the MAC is checked.
 */
export const DEFAULT_MAX_TOKEN_LENGTH = 8192;

/** A prepared verifier: token in, verified header and payload out, or a JwtError thrown. */
export type Verifier = (token: string) => VerifiedJwt;

/** An allowed algorithm together with the keys imported for it. */
interface KeyedAlgorithm {
  readonly algorithm: Algorithm;
  readonly keys: readonly KeyEntry[];
}

/**
 * Header segments already decoded and checked, shared by every verifier. A
 * service sees very few distinct headers (usually one:
 * {"alg":"HS256","typ":"JWT"}), and the check depends on nothing but the
 * segment's text, so the remembered answer is the answer: decoding and checking
 * the header is skipped for almost every token, one-shot `verify` included.
 * When full (someone sends many different headers), it starts afresh.
 */
const HEADER_CACHE = new Map<string, JwtHeader>();
const HEADER_CACHE_SIZE = 64;

/** Steps 3-5 up to the allow-list: a header segment decoded and checked, or taken from the cache. */
function readHeader(token: string, headerEnd: number): JwtHeader {
  const segment = token.slice(0, headerEnd);
  const cached = HEADER_CACHE.get(segment);
  if (cached !== undefined) return cached;
  const header = parseJsonObject(decodeUtf8(decodeBase64UrlTransient(token, 0, headerEnd, 'header'), 'header'), 'header');
  checkHeader(header);
  // Shared between calls, so nobody may change it.
  const frozen = deepFreeze(header) as JwtHeader;
  if (HEADER_CACHE.size >= HEADER_CACHE_SIZE) HEADER_CACHE.clear();
  HEADER_CACHE.set(segment, frozen);
  return frozen;
}

/** Prepares a verifier: options are checked and the key imported once, here. */
export function createVerifier(options: VerifierOptions): Verifier {
  const names = options.algorithms ?? ['HS256'];
  if (!Array.isArray(names) || names.length === 0) {
    throw new InvalidOptionsError('algorithms must be a non-empty array of algorithm names');
  }
  // One key must be good enough for every allowed algorithm (RFC 7518 §3.2,
  // RFC 8725 §3.1); a key set offers each algorithm the keys of its family.
  const fromSet = options.keys !== undefined;
  if (fromSet === (options.key !== undefined)) throw new InvalidOptionsError('give exactly one of key and keys');
  const set = options.keys === undefined ? undefined : checkKeySet(options.keys);
  const allowed = new Map<string, KeyedAlgorithm>();
  for (const [name, algorithm] of allowList(names)) {
    const keys = set === undefined ? [{ kid: undefined, key: algorithm.importKey(options.key as KeyInput, 'verify', options) }] : keysFor(set, algorithm, options);
    allowed.set(name, { algorithm, keys });
  }
  if (fromSet && [...allowed.values()].every(({ keys }) => keys.length === 0)) {
    throw new InvalidOptionsError(`none of the keys can verify ${names.join(', ')}`);
  }
  const maxTokenLength = options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH;
  if (!Number.isSafeInteger(maxTokenLength) || maxTokenLength < 1) {
    throw new InvalidOptionsError('maxTokenLength must be a positive integer');
  }
  const rules = claimRules(options);
  const now = options.now ?? systemClock;
  const cache = options.cache === undefined ? undefined : new VerifiedCache(options.cache);

  return function verify(token: string): VerifiedJwt {
    // 1. Size first: everything after this is bounded by it.
    if (typeof token !== 'string') throw new MalformedTokenError('token', 'the token must be a string');
    if (token.length > maxTokenLength) throw new TokenTooLargeError(maxTokenLength, token.length);

    // A token verified before (cache.ts): only the clock can have changed its verdict.
    const cached = cache?.get(token);
    if (cached !== undefined) {
      try {
        checkTimes(cached.payload, rules, now());
      } catch (error) {
        cache?.delete(token);
        throw error;
      }
      return cached;
    }

    // 2. Three segments.
    const { headerEnd, payloadEnd } = splitCompact(token);

    // 3-5. The header, still untrusted: well-formed, naming an allowed algorithm, and the key for it.
    const header = readHeader(token, headerEnd);
    const { algorithm, keys } = allowedAlgorithm(header.alg, allowed);
    const key = selectKey(keys, fromSet, header.kid, algorithm.name);

    // 6. The signature: strict base64url, exactly the algorithm's length for this key, then checked.
    // The bytes stay in the codec's scratch buffer: nothing decodes again before the check below reads them.
    const signature = decodeBase64UrlTransient(token, payloadEnd + 1, token.length, 'signature');
    const length = algorithm.signatureLength(key);
    if (signature.length !== length) {
      throw new SignatureInvalidError(`${algorithm.name} signatures are ${length} bytes, this one is ${signature.length}`);
    }
    // The signing input is the text as received (RFC 7515 §5.2 step 8), never re-serialised.
    if (!algorithm.verify(key, token.slice(0, payloadEnd), signature)) throw new SignatureInvalidError();

    // 7. Only an authentic payload is decoded.
    const payload = parseJsonObject(
      decodeUtf8(decodeBase64UrlTransient(token, headerEnd + 1, payloadEnd, 'payload'), 'payload'),
      'payload',
    );

    // 8. Claims.
    validateClaims(header, payload, rules, now());
    if (cache === undefined) return { header, payload };
    // Handed out again on every hit: nobody may change it.
    const result = deepFreeze({ header, payload }) as VerifiedJwt;
    cache.set(token, result);
    return result;
  };
}

/** One-shot verification: `createVerifier({ ...options, key })(token)`. */
export function verify(token: string, key: KeyInput, options: VerifyOptions = {}): VerifiedJwt {
  return createVerifier({ ...options, key })(token);
}

function claimRules(options: VerifyOptions): ClaimRules {
  const audience = options.audience === undefined ? undefined : toList(options.audience).map(checkAudience);
  if (audience !== undefined && options.skipAudienceCheck === true) {
    throw new InvalidOptionsError('audience and skipAudienceCheck contradict each other');
  }
  const issuer = options.issuer === undefined ? undefined : toList(options.issuer);
  if (issuer !== undefined && !issuer.every((value) => typeof value === 'string')) {
    throw new InvalidOptionsError('issuer must be a string or an array of strings');
  }
  const required = options.requiredClaims ?? [];
  if (!Array.isArray(required) || !required.every((claim) => typeof claim === 'string')) {
    throw new InvalidOptionsError('requiredClaims must be an array of claim names');
  }
  for (const [name, value] of [['subject', options.subject], ['typ', options.typ]] as const) {
    if (value !== undefined && typeof value !== 'string') throw new InvalidOptionsError(`${name} must be a string`);
  }
  return {
    required,
    leeway: options.leeway === undefined ? 0 : checkSeconds('leeway', options.leeway),
    maxAge: options.maxAge === undefined ? undefined : checkSeconds('maxAge', options.maxAge),
    ignoreExpiration: options.ignoreExpiration === true,
    issuer,
    audience,
    skipAudienceCheck: options.skipAudienceCheck === true,
    subject: options.subject,
    typ: options.typ,
  };
}

/** Freezes a parsed JSON value all the way down. Iterative: headers can nest deeply. */
function deepFreeze(root: object): object {
  const pending: object[] = [root];
  for (let value = pending.pop(); value !== undefined; value = pending.pop()) {
    Object.freeze(value);
    for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) pending.push(child);
  }
  return root;
}

function toList<T>(value: T | readonly T[]): readonly T[] {
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

/**
 * A RegExp with the `g` or `y` flag remembers `lastIndex` between calls, so the
 * same audience would match on one token and not the next. Use a stateless copy.
 */
function checkAudience(matcher: AudienceMatcher): AudienceMatcher {
  if (typeof matcher === 'string') return matcher;
  if (matcher instanceof RegExp) return new RegExp(matcher.source, matcher.flags.replace(/[gy]/g, ''));
  throw new InvalidOptionsError('audience must be a string, a RegExp, or an array of them');
}
