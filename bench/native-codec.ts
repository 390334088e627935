/**
 * The "native codec" floor: our own signer and verifier, unchanged, built over
 * Buffer's base64url instead of the handwritten one. The difference between the
 * two is exactly what writing the codec by hand costs.
 *
 * This is the one place outside lib/ that reaches past lib/index.ts, because the
 * codec parameter is deliberately not public API.
 */
import { type Codec } from '../lib/base64url.js';
import { Base64UrlError } from '../lib/errors.js';
import type { TokenPart } from '../lib/errors.js';

/**
 * Buffer's decoder is lenient (it skips stray characters and ignores unused
 * bits), so the same strictness checks as ours are added, cheaply, to keep the
 * comparison fair: the alphabet, the length, and a canonical last character.
 */
const STRICT = /^[A-Za-z0-9_-]*$/;
const CANONICAL_LAST: Record<number, string> = { 2: 'AQgw', 3: 'AEIMQUYcgkosw048' };

function decode(text: string, start: number, end: number, part: TokenPart): Uint8Array {
  const segment = text.slice(start, end);
  const rest = segment.length % 4;
  if (rest === 1 || !STRICT.test(segment)) throw new Base64UrlError('not base64url', start, part);
  const allowed = CANONICAL_LAST[rest];
  if (allowed !== undefined && !allowed.includes(segment.charAt(segment.length - 1))) {
    throw new Base64UrlError('not canonical', end - 1, part);
  }
  return Buffer.from(segment, 'base64url');
}

export const NATIVE_CODEC: Codec = {
  encode: (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url'),
  encodeText: (text) => Buffer.from(text, 'utf8').toString('base64url'),
  decode,
  decodeTransient: decode,
};
