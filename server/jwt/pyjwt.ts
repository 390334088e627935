/**
 * PyJWT's words (2.12) for each failure our library reports, and Python's
 * `str()` of a value, so that a client sees the `msg` a flask_jwt_extended app
 * would send. Where we are stricter than PyJWT (non-canonical base64url,
 * duplicate names, invalid UTF-8), the message keeps PyJWT's wording for that
 * segment.
 */
import { decodeUnverified, JwtError, type JwtHeader } from '../../lib/index.js';
import { pythonJsonError } from '../../explain/pyjson.js';

/** The message PyJWT gives for `error`, found in `token` (whose header decoded, when `header` is given). */
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
