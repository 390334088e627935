/**
 * Errors: one base class, one subclass per way a token (or a call) can fail.
 *
 * Every error has a stable `code` from the `JwtErrorCode` union, so callers can
 * `switch (err.code)` instead of matching message text. Messages are written for
 * humans and never contain the token or the key (RFC 8725 §3.11 asks verifiers
 * not to leak what they were given). Extra fields (which segment, which claim,
 * which position) let an HTTP layer or a CLI explain the failure precisely.
 *
 * Why one file of over 250 lines: it is the catalogue. A reader who wants to know
 * every way a call can fail, and every code to switch on, reads it here in one
 * place; each class is a few lines and depends on nothing but the base class.
 */

export type JwtErrorCode =
  | 'ERR_JWT_INVALID_OPTIONS'
  | 'ERR_JWT_KEY_INVALID'
  | 'ERR_JWT_KEY_WEAK'
  | 'ERR_JWT_KEY_NOT_FOUND'
  | 'ERR_JWT_PAYLOAD_INVALID'
  | 'ERR_JWT_TOO_LARGE'
  | 'ERR_JWT_MALFORMED'
  | 'ERR_BASE64URL_INVALID'
  | 'ERR_JWT_HEADER_INVALID'
  | 'ERR_JWT_ALG_UNSUPPORTED'
  | 'ERR_JWT_ALG_NOT_ALLOWED'
  | 'ERR_JWT_SIGNATURE_INVALID'
  | 'ERR_JWT_CLAIM_TYPE'
  | 'ERR_JWT_EXPIRED'
  | 'ERR_JWT_NOT_YET_VALID'
  | 'ERR_JWT_CLAIM_INVALID';

/** The part of a compact token an error is about. */
export type TokenPart = 'token' | 'header' | 'payload' | 'signature';

/** Base class of every error this library throws on purpose. */
export class JwtError extends Error {
  readonly code: JwtErrorCode;

  constructor(code: JwtErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * Base of the errors that reject a token. Rejections are expected, frequent and
 * triggered by whoever sends the token, and capturing a stack trace costs more
 * than the HMAC itself (measured in bench/: about 2-3 µs per error on the
 * reference machine). The stack would only point inside this library anyway, so
 * these errors are created without one; the code, message and fields say what
 * went wrong. Errors that point at a programming mistake keep their stack.
 */
export class TokenError extends JwtError {
  constructor(code: JwtErrorCode, message: string, options?: ErrorOptions) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(code, message, options);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}

/** A factory (`createSigner`, `createVerifier`, `sign`, `verify`) was called with bad options. */
export class InvalidOptionsError extends JwtError {
  constructor(message: string) {
    super('ERR_JWT_INVALID_OPTIONS', message);
  }
}

/** The key cannot be used at all: empty, public-key material, or the wrong kind of KeyObject. */
export class InvalidKeyError extends JwtError {
  constructor(message: string) {
    super('ERR_JWT_KEY_INVALID', message);
  }
}

/** The key is too short: an HMAC key under the hash output (RFC 7518 §3.2), an RSA key under 2048 bits (§3.3). */
export class WeakKeyError extends JwtError {
  readonly algorithm: string;
  readonly minimumBytes: number;
  readonly actualBytes: number;

  constructor(algorithm: string, minimumBytes: number, actualBytes: number, message?: string) {
    super(
      'ERR_JWT_KEY_WEAK',
      message ??
        `${algorithm} needs a key of at least ${minimumBytes} bytes (RFC 7518 §3.2), got ${actualBytes}. ` +
          `Make one with: node -e "console.log(require('crypto').randomBytes(${minimumBytes}).toString('base64url'))"`,
    );
    this.algorithm = algorithm;
    this.minimumBytes = minimumBytes;
    this.actualBytes = actualBytes;
  }
}

/** `sign` was given a payload that is not a plain JSON object, or a claim of the wrong type. */
export class InvalidPayloadError extends JwtError {
  constructor(message: string) {
    super('ERR_JWT_PAYLOAD_INVALID', message);
  }
}

/** The token is longer than the verifier accepts. */
export class TokenTooLargeError extends TokenError {
  readonly limit: number;
  readonly length: number;

  constructor(limit: number, length: number) {
    super('ERR_JWT_TOO_LARGE', `token is ${length} characters long, the limit is ${limit}`);
    this.limit = limit;
    this.length = length;
  }
}

/** The token's structure is wrong: segment count, UTF-8, JSON, duplicate names. */
export class MalformedTokenError extends TokenError {
  readonly part: TokenPart;

  constructor(part: TokenPart, message: string, options?: ErrorOptions) {
    super('ERR_JWT_MALFORMED', message, options);
    this.part = part;
  }
}

/** Text that is not strict, canonical, unpadded base64url (RFC 4648 §5, RFC 7515 §2). */
export class Base64UrlError extends TokenError {
  /** Index of the offending character in the string that was decoded (the whole token, for token segments). */
  readonly position: number;
  /** Which token segment held it, when a token was being decoded. */
  readonly part: TokenPart | undefined;

  constructor(message: string, position: number, part?: TokenPart) {
    super('ERR_BASE64URL_INVALID', part === undefined ? message : `${part} segment: ${message}`);
    this.position = position;
    this.part = part;
  }
}

/** A JOSE header parameter is missing, of the wrong type, or not understood (RFC 7515 §4.1). */
export class InvalidHeaderError extends TokenError {
  readonly parameter: string;

  constructor(parameter: string, message: string) {
    super('ERR_JWT_HEADER_INVALID', message);
    this.parameter = parameter;
  }
}

/** An algorithm name this library does not implement. */
export class UnsupportedAlgorithmError extends JwtError {
  readonly algorithm: string;

  constructor(algorithm: string) {
    super('ERR_JWT_ALG_UNSUPPORTED', `algorithm ${JSON.stringify(algorithm)} is not supported`);
    this.algorithm = algorithm;
  }
}

/** The token's `alg` is not in the verifier's allow-list (RFC 8725 §3.1). */
export class AlgorithmNotAllowedError extends TokenError {
  readonly algorithm: string;
  readonly allowed: readonly string[];

  constructor(algorithm: string, allowed: readonly string[]) {
    super(
      'ERR_JWT_ALG_NOT_ALLOWED',
      `algorithm ${JSON.stringify(algorithm)} is not allowed (allowed: ${allowed.join(', ')})`,
    );
    this.algorithm = algorithm;
    this.allowed = allowed;
  }
}

/**
 * A verifier with several keys found none for this token: its `kid` names no
 * key of the set for its `alg`, or it has no `kid` and several keys could
 * apply. The token never supplies a key itself (RFC 8725 §3.10).
 */
export class KeyNotFoundError extends TokenError {
  readonly kid: string | undefined;

  constructor(message: string, kid: string | undefined) {
    super('ERR_JWT_KEY_NOT_FOUND', message);
    this.kid = kid;
  }
}

/** The MAC does not match: wrong key, or header, payload or signature changed. */
export class SignatureInvalidError extends TokenError {
  constructor(message = 'signature verification failed') {
    super('ERR_JWT_SIGNATURE_INVALID', message);
  }
}

/** A registered claim has the wrong JSON type (RFC 7519 §4.1). */
export class ClaimTypeError extends TokenError {
  readonly claim: string;

  constructor(claim: string, expected: string) {
    super('ERR_JWT_CLAIM_TYPE', `claim "${claim}" must be ${expected}`);
    this.claim = claim;
  }
}

/**
 * A NumericDate for a message. A signed token may carry any finite number, and
 * JavaScript Dates stop at ±8.64e15 ms (about ±275,000 years): past that,
 * `toISOString()` throws a RangeError, which must never escape `verify()`.
 */
function describeDate(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? `${seconds} seconds since 1970 (beyond any calendar date)` : date.toISOString();
}

/** The token's lifetime is over: `exp` passed (RFC 7519 §4.1.4), or `iat` is older than `maxAge`. */
export class TokenExpiredError extends TokenError {
  readonly claim: 'exp' | 'iat';
  /** When the token stopped being valid (NumericDate seconds), leeway not included. */
  readonly expiredAtSeconds: number;
  /** The same instant as a Date; an Invalid Date when it lies beyond what a Date can hold. */
  readonly expiredAt: Date;

  constructor(claim: 'exp' | 'iat', expiredAtSeconds: number) {
    const why = claim === 'exp' ? 'token expired' : 'token is older than maxAge';
    super('ERR_JWT_EXPIRED', `${why} at ${describeDate(expiredAtSeconds)}`);
    this.claim = claim;
    this.expiredAtSeconds = expiredAtSeconds;
    this.expiredAt = new Date(expiredAtSeconds * 1000);
  }
}

/** The token is not valid yet: `nbf` in the future (RFC 7519 §4.1.5), or `iat` in the future. */
export class NotYetValidError extends TokenError {
  readonly claim: 'nbf' | 'iat';
  /** NumericDate seconds from which the token is valid, leeway not included. */
  readonly validFromSeconds: number;
  /** The same instant as a Date; an Invalid Date when it lies beyond what a Date can hold. */
  readonly validFrom: Date;

  constructor(claim: 'nbf' | 'iat', validFromSeconds: number) {
    super('ERR_JWT_NOT_YET_VALID', `token is not valid before ${describeDate(validFromSeconds)} (${claim})`);
    this.claim = claim;
    this.validFromSeconds = validFromSeconds;
    this.validFrom = new Date(validFromSeconds * 1000);
  }
}

/** Why a claim check failed. */
export type ClaimFailure = 'missing' | 'mismatch' | 'unexpected';

/** A claim is missing, or does not have the value the verifier expects (`aud`, `iss`, `sub`, `typ`). */
export class ClaimValidationError extends TokenError {
  readonly claim: string;
  readonly reason: ClaimFailure;

  constructor(claim: string, reason: ClaimFailure, message: string) {
    super('ERR_JWT_CLAIM_INVALID', message);
    this.claim = claim;
    this.reason = reason;
  }
}
