/**
 * The JWS Compact Serialization (RFC 7515 §3.1 and §7.1):
 *
 *     BASE64URL(header) "." BASE64URL(payload) "." BASE64URL(signature)
 *
 * The first two segments, with the dot between them, are the JWS Signing Input
 * (RFC 7515 §2). A verifier MACs that text exactly as received; it never
 * re-serialises the parsed JSON (RFC 7515 §5.2 step 8), which is why RFC 7515
 * Appendix A.1, whose header contains a line break, still verifies.
 */
import { MalformedTokenError } from './errors.js';

/** Positions of the two dots in a compact token. */
export interface CompactToken {
  readonly token: string;
  /** Index of the dot after the header segment. */
  readonly headerEnd: number;
  /** Index of the dot after the payload segment; the signing input is `token.slice(0, payloadEnd)`. */
  readonly payloadEnd: number;
}

/** Finds the three segments, without copying them (RFC 7519 §7.2 step 1). */
export function splitCompact(token: string): CompactToken {
  const headerEnd = token.indexOf('.');
  const payloadEnd = headerEnd === -1 ? -1 : token.indexOf('.', headerEnd + 1);
  if (payloadEnd === -1 || token.indexOf('.', payloadEnd + 1) !== -1) {
    throw wrongSegmentCount(token);
  }
  return { token, headerEnd, payloadEnd };
}

function wrongSegmentCount(token: string): MalformedTokenError {
  const segments = token.split('.').length;
  const hint =
    segments === 5 ? ' (five segments is an encrypted JWE, which this library does not read)' : '';
  return new MalformedTokenError(
    'token',
    `a JWT has 3 segments separated by dots, this one has ${segments}${hint} (RFC 7515 §7.1)`,
  );
}

