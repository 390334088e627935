/**
 * What can go wrong with a JWT in a request, named as flask_jwt_extended names
 * it (its exceptions.py), and the words PyJWT uses for each failure of the token
 * itself, so that clients see the same `msg` strings as from a Flask app.
 *
 * These classes only say what went wrong. Turning them into HTTP responses is
 * the manager's job, through its replaceable callbacks (manager.ts).
 */
import { decodeUnverified, JwtError } from '../lib/index.js';
import { pythonJsonError } from './page/pyjson.js';
import type { JwtHeader, JwtPayload } from '../lib/index.js';

/** Which callback answers an error, as in flask_jwt_extended's `_set_error_handler_callbacks`. */
export type ErrorKind =
  | 'unauthorized' // 401
  | 'invalid' // 422
  | 'expired' // 401
  | 'needs_fresh' // 401
  | 'revoked' // 401
  | 'verification_failed' // 400
  | 'user_lookup'; // 401

export class JwtExtendedError extends Error {
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.kind = kind;
  }
}

/** No token where one was looked for (401, and the only error `optional` swallows). */
export class NoAuthorizationError extends JwtExtendedError {
  constructor(message: string) {
    super('unauthorized', message);
  }
}

/** The CSRF double submit is missing or does not match (401). */
export class CsrfError extends JwtExtendedError {
  constructor(message: string) {
    super('unauthorized', message);
  }
}

/** Anything that makes the token itself invalid: structure, signature, claims, header shape (422). */
export class InvalidTokenError extends JwtExtendedError {
  constructor(message: string, options?: ErrorOptions) {
    super('invalid', message, options);
  }
}

/** An error that carries the token's header and claims to its callback. */
export class TokenStateError extends JwtExtendedError {
  readonly header: JwtHeader;
  readonly payload: JwtPayload;

  constructor(kind: ErrorKind, message: string, header: JwtHeader, payload: JwtPayload) {
    super(kind, message);
    this.header = header;
    this.payload = payload;
  }
}

export class ExpiredSignatureError extends TokenStateError {
  constructor(header: JwtHeader, payload: JwtPayload) {
    super('expired', 'Token has expired', header, payload);
  }
}

export class FreshTokenRequired extends TokenStateError {
  constructor(header: JwtHeader, payload: JwtPayload) {
    super('needs_fresh', 'Fresh token required', header, payload);
  }
}

export class RevokedTokenError extends TokenStateError {
  constructor(header: JwtHeader, payload: JwtPayload) {
    super('revoked', 'Token has been revoked', header, payload);
  }
}

export class UserClaimsVerificationError extends TokenStateError {
  constructor(header: JwtHeader, payload: JwtPayload) {
    super('verification_failed', 'User claims verification failed', header, payload);
  }
}

export class UserLookupError extends TokenStateError {
  constructor(header: JwtHeader, payload: JwtPayload, identity: unknown) {
    super('user_lookup', `user_lookup returned None for ${pythonStr(identity)}`, header, payload);
  }
}

/**
 * The message PyJWT (2.12) gives for a failure our library reports, so that a
 * client sees the `msg` a flask_jwt_extended app would send. Where we are
 * stricter than PyJWT (non-canonical base64url, duplicate names, invalid UTF-8),
 * the message keeps PyJWT's wording for that segment.
 */
export function pyjwtMessage(error: JwtError, token: string, header: JwtHeader | undefined): string {
  switch (error.code) {
    case 'ERR_JWT_TOO_LARGE':
      return `Token is too large: ${error.message}`;
    case 'ERR_JWT_MALFORMED':
      return malformedMessage(error, token);
    case 'ERR_BASE64URL_INVALID':
      return paddingMessage(error);
    case 'ERR_JWT_HEADER_INVALID':
      return headerMessage(error, header);
    case 'ERR_JWT_ALG_NOT_ALLOWED':
    case 'ERR_JWT_ALG_UNSUPPORTED':
      return 'The specified alg value is not allowed';
    case 'ERR_JWT_SIGNATURE_INVALID':
      return 'Signature verification failed';
    case 'ERR_JWT_CLAIM_TYPE':
      return claimTypeMessage(claimOf(error));
    case 'ERR_JWT_NOT_YET_VALID':
      return `The token is not yet valid (${claimOf(error)})`;
    case 'ERR_JWT_CLAIM_INVALID':
      return claimMessage(error);
    default:
      return error.message;
  }
}

function claimOf(error: JwtError): string {
  return 'claim' in error ? String(error.claim) : '';
}

function malformedMessage(error: JwtError, token: string): string {
  const part = 'part' in error ? String(error.part) : 'token';
  if (part === 'token') return segmentCountMessage(token);
  // PyJWT's prefix, then Python's json error where JSON.parse failed (pyjson.ts),
  // otherwise the rule that was broken (UTF-8, byte-order mark, duplicates).
  let detail = error.message;
  if (detail.includes('must be a JSON object')) detail = 'must be a json object';
  else if (error.cause instanceof SyntaxError) detail = pythonJsonError(segmentText(token, part)) ?? error.cause.message;
  return `Invalid ${part} string: ${detail}`;
}

/**
 * PyJWT splits off the signature at the last dot and the header at the first
 * (`rsplit(".", 1)`, then `split(".", 1)`): fewer than three segments is "Not
 * enough segments", and any extra dots land in the payload, which its base64
 * decoder then finds wrongly padded, once the header has decoded.
 */
function segmentCountMessage(token: string): string {
  const dots = token.split('.').length - 1;
  if (dots < 2) return 'Not enough segments';
  const header = `${token.slice(0, token.indexOf('.'))}.e30.`; // the header with an empty payload {} and signature
  try {
    decodeUnverified(header);
  } catch (error) {
    if (error instanceof JwtError) return pyjwtMessage(error, header, undefined);
  }
  return 'Invalid payload padding';
}

/** The decoded text of a segment that was valid base64url and UTF-8 (only JSON failed). */
function segmentText(token: string, part: string): string {
  const [header = '', payload = ''] = token.split('.');
  return Buffer.from(part === 'header' ? header : payload, 'base64url').toString('utf8');
}

function paddingMessage(error: JwtError): string {
  const part = 'part' in error ? error.part : undefined;
  if (part === 'header') return 'Invalid header padding';
  if (part === 'payload') return 'Invalid payload padding';
  return 'Invalid crypto padding';
}

function headerMessage(error: JwtError, header: JwtHeader | undefined): string {
  const parameter = 'parameter' in error ? String(error.parameter) : '';
  switch (parameter) {
    case 'alg':
      return header !== undefined && header.alg === undefined ? 'Algorithm not specified' : 'The specified alg value is not allowed';
    case 'kid':
      return 'Key ID header parameter must be a string';
    case 'b64':
      return 'It is required that you pass in a value for the "detached_payload" argument to decode a message having the b64 header set to false.';
    case 'crit':
      return critMessage(header?.crit);
    default:
      return `Invalid header string: ${error.message}`;
  }
}

function critMessage(crit: unknown): string {
  if (!Array.isArray(crit) || crit.length === 0) return "Invalid 'crit' header: must be a non-empty list";
  const first: unknown = crit.find((name) => typeof name !== 'string') ?? crit[0];
  if (typeof first !== 'string') return "Invalid 'crit' header: values must be strings";
  return `Unsupported critical extension: ${first}`;
}

function claimTypeMessage(claim: string): string {
  switch (claim) {
    case 'iat':
      return 'Issued At claim (iat) must be an integer.';
    case 'nbf':
      return 'Not Before claim (nbf) must be an integer.';
    case 'exp':
      return 'Expiration Time claim (exp) must be an integer.';
    case 'iss':
      return 'Payload Issuer (iss) must be a string';
    case 'sub':
      return 'Subject must be a string';
    case 'jti':
      return 'JWT ID must be a string';
    default:
      return 'Invalid claim format in token'; // aud
  }
}

function claimMessage(error: JwtError): string {
  const claim = claimOf(error);
  const reason = 'reason' in error ? error.reason : 'mismatch';
  if (reason === 'missing') return `Token is missing the "${claim}" claim`;
  if (claim === 'iss') return 'Invalid issuer';
  if (claim === 'aud') return "Audience doesn't match";
  return `Invalid claim: ${claim}`;
}

/** Python's `str()` of a JSON value, as flask_jwt_extended's f-strings print identities. */
export function pythonStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}
