/**
 * What the signature of a token would be with a given key: the exact header and
 * payload bytes are decoded and signed again with lib's signBytes, so nothing is
 * re-serialised and the answer is byte for byte what a signer would produce.
 */
import { decodeBase64Url, decodeUnverified, JwtError, signBytes, type AlgorithmName } from '../lib/index.js';

export interface Recomputed {
  readonly signingInput: string;
  readonly algorithm: string;
  readonly headerBytes: Uint8Array;
  readonly payloadBytes: Uint8Array;
  /** The MAC with the given key, as bytes and base64url. */
  readonly mac: Uint8Array;
  readonly expected: string;
  /** The signature segment of the token. */
  readonly actual: string;
}

/** Why no signature could be computed: the token cannot be decoded, or the key or alg cannot sign. */
export interface NotRecomputed {
  readonly error: JwtError;
}

export function recomputeSignature(token: string, key: Uint8Array, allowShortKey: boolean): Recomputed | NotRecomputed {
  try {
    const { segments, signingInput, header } = decodeUnverified(token);
    const headerBytes = decodeBase64Url(segments.header);
    const payloadBytes = decodeBase64Url(segments.payload);
    const signed = signBytes(headerBytes, payloadBytes, key, { algorithm: header.alg as AlgorithmName, allowInsecureShortKey: allowShortKey });
    const expected = signed.slice(signed.lastIndexOf('.') + 1);
    return { signingInput, algorithm: header.alg, headerBytes, payloadBytes, mac: decodeBase64Url(expected), expected, actual: segments.signature };
  } catch (error) {
    if (error instanceof JwtError) return { error };
    throw error;
  }
}

/** What stopped the signature from being computed, in words a learner can act on. */
export function whyNotRecomputed(error: JwtError, alg: unknown, keyLength: number): string {
  if (typeof alg === 'string' && alg.toLowerCase() === 'none') {
    return '"alg" is "none": such a token has no signature at all, and no verifier may accept it (RFC 8725 §3.1).';
  }
  if (error.code === 'ERR_JWT_ALG_UNSUPPORTED' || error.code === 'ERR_JWT_INVALID_OPTIONS') {
    return `"alg" is ${JSON.stringify(alg)}, which this tool cannot sign with (it knows HS256, HS384 and HS512).`;
  }
  if (keyLength === 0) return 'the key is empty.';
  if (error.code === 'ERR_JWT_KEY_WEAK') return `${error.message}. Add --insecure-short-key to inspect a token signed with it anyway.`;
  return error.message;
}
