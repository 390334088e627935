/**
 * What the signature of a token would be with a given key: the exact header and
 * payload bytes are decoded and signed again with lib's signBytes, so nothing is
 * re-serialised and the answer is byte for byte what a signer would produce.
 */
import { decodeBase64Url, decodeUnverified, signBytes, type AlgorithmName } from '../lib/index.js';

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

export function recomputeSignature(token: string, key: Uint8Array, allowShortKey: boolean): Recomputed | undefined {
  try {
    const { segments, signingInput, header } = decodeUnverified(token);
    const headerBytes = decodeBase64Url(segments.header);
    const payloadBytes = decodeBase64Url(segments.payload);
    const signed = signBytes(headerBytes, payloadBytes, key, { algorithm: header.alg as AlgorithmName, allowInsecureShortKey: allowShortKey });
    const expected = signed.slice(signed.lastIndexOf('.') + 1);
    return { signingInput, algorithm: header.alg, headerBytes, payloadBytes, mac: decodeBase64Url(expected), expected, actual: segments.signature };
  } catch {
    return undefined;
  }
}

