/**
 * Claims: the checks on a payload whose signature has already been verified
 * (RFC 7519 §4.1 and §7.2 step 10; RFC 8725 §3.8–§3.10).
 *
 * All checks sit in one function, with the current time and the leeway passed
 * in. They run in the order PyJWT uses (required, iat, nbf, exp, iss, aud, sub,
 * jti, then typ), so that when several things are wrong with a token, the demo
 * server reports the same one as flask_jwt_extended does.
 */
import {
  ClaimTypeError,
  ClaimValidationError,
  NotYetValidError,
  TokenExpiredError,
} from './errors.js';
import type { JsonObject } from './json.js';
import type { AudienceMatcher, JwtHeader, JwtPayload } from './types.js';

/** The claim rules of a verifier, normalised once by `createVerifier`. */
export interface ClaimRules {
  readonly required: readonly string[];
  readonly leeway: number;
  readonly maxAge: number | undefined;
  readonly ignoreExpiration: boolean;
  readonly issuer: readonly string[] | undefined;
  readonly audience: readonly AudienceMatcher[] | undefined;
  readonly skipAudienceCheck: boolean;
  readonly subject: string | undefined;
  readonly typ: string | undefined;
}

/** Checks `payload` (and the header's `typ`) against `rules` at time `now` (seconds). */
export function validateClaims(
  header: JwtHeader,
  payload: JsonObject,
  rules: ClaimRules,
  now: number,
): asserts payload is JwtPayload {
  for (const claim of rules.required) {
    if (payload[claim] === undefined) {
      throw new ClaimValidationError(claim, 'missing', `missing required claim "${claim}"`);
    }
  }
  checkTimes(payload, rules, now);
  checkIssuer(payload, rules.issuer);
  checkAudience(payload, rules);
  const sub = optionalString(payload, 'sub'); // §4.1.2
  if (rules.subject !== undefined && sub !== rules.subject) {
    throw mismatch('sub', sub, 'subject');
  }
  optionalString(payload, 'jti'); // §4.1.7
  checkTyp(header, rules.typ);
}

/**
 * The checks that depend on the clock: iat, nbf, exp and maxAge, with the
 * leeway. A verified-token cache runs these again on every hit (cache.ts), so a
 * cached token expires exactly when an uncached one would.
 */
export function checkTimes(payload: JsonObject, rules: ClaimRules, now: number): void {
  const { leeway } = rules;

  // §4.1.6 iat: a token issued in the future is not valid yet.
  const iat = numericDate(payload, 'iat');
  if (iat !== undefined && iat > now + leeway) throw new NotYetValidError('iat', iat);

  // §4.1.5 nbf: valid once now >= nbf (minus leeway).
  const nbf = numericDate(payload, 'nbf');
  if (nbf !== undefined && nbf > now + leeway) throw new NotYetValidError('nbf', nbf);

  // §4.1.4 exp: valid only while now < exp (plus leeway).
  const exp = numericDate(payload, 'exp');
  if (exp !== undefined && !rules.ignoreExpiration && now >= exp + leeway) {
    throw new TokenExpiredError('exp', exp);
  }

  // maxAge bounds the age of the token by its iat, whatever exp says.
  if (rules.maxAge !== undefined) {
    if (iat === undefined) {
      throw new ClaimValidationError('iat', 'missing', 'maxAge needs an "iat" claim');
    }
    if (now >= iat + rules.maxAge + leeway) throw new TokenExpiredError('iat', iat + rules.maxAge);
  }
}

/**
 * Checks the JSON types of the registered claims (RFC 7519 §4.1): the dates
 * are finite numbers (§2 NumericDate), `iss`, `sub` and `jti` strings, `aud` a
 * string or an array of strings. `sign` uses this too, so it can only make
 * tokens that `verify` accepts.
 */
export function checkRegisteredClaimTypes(payload: JsonObject): void {
  numericDate(payload, 'iat');
  numericDate(payload, 'nbf');
  numericDate(payload, 'exp');
  optionalString(payload, 'iss');
  optionalString(payload, 'sub');
  optionalString(payload, 'jti');
  audienceOf(payload);
}

function numericDate(payload: JsonObject, claim: 'iat' | 'nbf' | 'exp'): number | undefined {
  const value = payload[claim];
  if (value === undefined) return undefined;
  // JSON.parse turns 1e999 into Infinity: finite numbers only.
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ClaimTypeError(claim, 'a NumericDate: a finite number of seconds (RFC 7519 §2)');
  }
  return value;
}

function optionalString(payload: JsonObject, claim: 'iss' | 'sub' | 'jti'): string | undefined {
  const value = payload[claim];
  if (value === undefined || typeof value === 'string') return value;
  throw new ClaimTypeError(claim, 'a string (RFC 7519 §4.1)');
}

/** §4.1.3: `aud` is a string or an array of strings. */
function audienceOf(payload: JsonObject): readonly string[] | undefined {
  const value = payload['aud'];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw new ClaimTypeError('aud', 'a string or an array of strings (RFC 7519 §4.1.3)');
}

/** §4.1.1: when an issuer is expected, `iss` must be one of the accepted values. */
function checkIssuer(payload: JsonObject, issuers: readonly string[] | undefined): void {
  const iss = optionalString(payload, 'iss');
  if (issuers === undefined) return;
  if (iss === undefined) throw new ClaimValidationError('iss', 'missing', 'token has no "iss" claim');
  if (!issuers.includes(iss)) throw mismatch('iss', iss, 'issuer');
}

/**
 * §4.1.3: "If the principal processing the claim does not identify itself with
 * a value in the aud claim when this claim is present, then the JWT MUST be
 * rejected." So a token with an `aud` fails a verifier that expects none.
 */
function checkAudience(payload: JsonObject, rules: ClaimRules): void {
  if (rules.skipAudienceCheck) return;
  const named = audienceOf(payload);
  // An empty aud ("" or []) names no audience: it counts as absent (as in PyJWT).
  const aud = named === undefined || named.length === 0 || payload['aud'] === '' ? undefined : named;
  const expected = rules.audience;
  if (expected === undefined) {
    if (aud === undefined) return;
    throw new ClaimValidationError(
      'aud',
      'unexpected',
      'token has an "aud" claim but the verifier expects no audience (RFC 7519 §4.1.3)',
    );
  }
  if (aud === undefined) throw new ClaimValidationError('aud', 'missing', 'token has no "aud" claim');
  const matches = aud.some((value) =>
    expected.some((matcher) => (typeof matcher === 'string' ? matcher === value : matcher.test(value))),
  );
  if (!matches) throw new ClaimValidationError('aud', 'mismatch', 'no "aud" value matches the expected audience');
}

/**
 * RFC 7515 §4.1.9 / RFC 8725 §3.11: `typ` is a media type, compared
 * case-insensitively, and "application/" may be left out.
 */
function checkTyp(header: JwtHeader, expected: string | undefined): void {
  if (expected === undefined) return;
  if (header.typ === undefined) throw new ClaimValidationError('typ', 'missing', 'header has no "typ"');
  if (normalizeMediaType(header.typ) !== normalizeMediaType(expected)) throw mismatch('typ', header.typ, 'type');
}

export function normalizeMediaType(value: string): string {
  const lower = value.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

function mismatch(claim: string, actual: string | undefined, what: string): ClaimValidationError {
  const reason = actual === undefined ? 'missing' : 'mismatch';
  const message =
    actual === undefined ? `token has no "${claim}" claim` : `"${claim}" does not match the expected ${what}`;
  return new ClaimValidationError(claim, reason, message);
}
