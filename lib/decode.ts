/**
 * Looking inside a token without verifying anything, for learners and for
 * debugging. The name says it: nothing returned here may be trusted, because
 * anyone can write any header and payload and attach any signature bytes.
 *
 * The decoding itself is as strict as the verifier's (same size limit, same
 * base64url, UTF-8 and JSON rules), so what you see is what `verify` would read.
 */
import { decodeBase64Url } from './base64url-fast.js';
import { splitCompact } from './compact.js';
import { MalformedTokenError, TokenTooLargeError } from './errors.js';
import { decodeUtf8, parseJsonObject } from './json.js';
import type { JwtHeader, JwtPayload } from './types.js';
import { DEFAULT_MAX_TOKEN_LENGTH } from './verifier.js';

/** A token taken apart, unverified. */
export interface UnverifiedJwt {
  /** The three base64url segments as they appear in the token. */
  readonly segments: { readonly header: string; readonly payload: string; readonly signature: string };
  /** header segment "." payload segment: the bytes the signature covers (RFC 7515 §2). */
  readonly signingInput: string;
  readonly header: JwtHeader;
  readonly payload: JwtPayload;
  readonly signature: Uint8Array;
}

export interface DecodeOptions {
  /** Longest token accepted, in characters. Default 8192, as for `verify`. */
  readonly maxTokenLength?: number;
}

/** Decodes a token's three segments. Verifies NOTHING: not the signature, not a single claim. */
export function decodeUnverified(token: string, options: DecodeOptions = {}): UnverifiedJwt {
  if (typeof token !== 'string') throw new MalformedTokenError('token', 'the token must be a string');
  const limit = options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH;
  if (token.length > limit) throw new TokenTooLargeError(limit, token.length);
  const { headerEnd, payloadEnd } = splitCompact(token);
  const header = parseJsonObject(decodeUtf8(decodeBase64Url(token, 0, headerEnd, 'header'), 'header'), 'header');
  // All three segments are base64url-decoded before the payload's JSON is read,
  // the order PyJWT uses, so both report the same first error.
  const payloadBytes = decodeBase64Url(token, headerEnd + 1, payloadEnd, 'payload');
  const signature = decodeBase64Url(token, payloadEnd + 1, token.length, 'signature');
  const payload = parseJsonObject(decodeUtf8(payloadBytes, 'payload'), 'payload');
  return {
    segments: {
      header: token.slice(0, headerEnd),
      payload: token.slice(headerEnd + 1, payloadEnd),
      signature: token.slice(payloadEnd + 1),
    },
    signingInput: token.slice(0, payloadEnd),
    // Unverified: typed for convenience only; nothing here has been checked.
    header: header as JwtHeader,
    payload: payload as JwtPayload,
    signature,
  };
}
