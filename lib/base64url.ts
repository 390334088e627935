/**
 * base64url, by hand: RFC 4648 §5 alphabet, no padding (RFC 7515 §2 and Appendix C).
 *
 * Every JWT segment is base64url text. Three bytes (24 bits) become four characters
 * of 6 bits each; a final group of one or two bytes becomes two or three characters,
 * and the `=` padding that standard base64 would add is left out.
 *
 * Decoding is strict and canonical, because a lenient decoder lets one token have
 * several spellings (RFC 4648 §12) and hides garbage:
 *   - only `A-Z a-z 0-9 - _`: no `=`, no `+` or `/`, no whitespace (RFC 4648 §3.3, RFC 7515 §2);
 *   - a length of 1 (mod 4) is refused: no encoder can produce it;
 *   - the unused low bits of the last character must be zero (RFC 4648 §3.5).
 * Each refusal is a `Base64UrlError` that names the offending position.
 */
import { Base64UrlError, type TokenPart } from './errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Marks a character that is not in the alphabet, in the decode table below. */
const INVALID = 0xff;

/** Char code (0..127) → its 6-bit value, or INVALID. Built once. */
const DECODE = new Uint8Array(128).fill(INVALID);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/**
 * Every 12-bit value → its two characters ("AA" … "__"), 4,096 entries built once.
 * One lookup then encodes 1.5 bytes, which halves the work of the main loop
 * (measured in bench/: see the README's codec table).
 */
const PAIRS: readonly string[] = Array.from(
  { length: 4096 },
  (_, n) => ALPHABET.charAt(n >>> 6) + ALPHABET.charAt(n & 63),
);

const utf8Encoder = new TextEncoder();

/** Encodes bytes as unpadded base64url. */
export function encodeBase64Url(bytes: Uint8Array): string {
  const length = bytes.length;
  const whole = length - (length % 3);
  let out = '';
  // Indices below are in range by the loop bounds, hence the `!`.
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += PAIRS[n >>> 12]! + PAIRS[n & 0xfff]!;
  }
  if (length - whole === 1) {
    // 8 bits → 2 characters; the low 4 bits of the second are zero (RFC 4648 §3.5).
    const n = bytes[whole]!;
    out += ALPHABET.charAt(n >>> 2) + ALPHABET.charAt((n & 0x03) << 4);
  } else if (length - whole === 2) {
    // 16 bits → 3 characters; the low 2 bits of the third are zero.
    const n = (bytes[whole]! << 8) | bytes[whole + 1]!;
    out += PAIRS[n >>> 4]! + ALPHABET.charAt((n & 0x0f) << 2);
  }
  return out;
}

/** Encodes a string's UTF-8 bytes as unpadded base64url (RFC 7515 §2: BASE64URL(UTF8(text))). */
export function encodeBase64UrlString(text: string): string {
  return encodeBase64Url(utf8Encoder.encode(text));
}

/**
 * Decodes `text.slice(start, end)` strictly. Taking a range instead of a substring
 * lets the verifier decode a token's segments in place, and makes every error
 * position an index into the whole token; `part` labels errors with the segment.
 */
export function decodeBase64Url(text: string, start = 0, end = text.length, part?: TokenPart): Uint8Array {
  const length = end - start;
  const rest = length & 3;
  if (rest === 1) {
    // A wrong character explains more than a wrong length: report it first.
    const bad = firstInvalid(text, start, end);
    if (bad !== -1) throw invalidCharacter(text, bad, part);
    throw new Base64UrlError(
      `a length of ${length} (1 mod 4) cannot be base64url: no encoder produces it`,
      end - 1,
      part,
    );
  }
  const out = new Uint8Array((length * 3) >>> 2);
  const whole = end - rest;
  let o = 0;
  let i = start;
  for (; i < whole; i += 4) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = sextet(text, i + 2);
    const d = sextet(text, i + 3);
    // INVALID is 0xff: OR-ing the four values exceeds 63 only if one of them is invalid.
    if ((a | b | c | d) > 63) throw invalidCharacter(text, firstInvalid(text, i, i + 4), part);
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >>> 16;
    out[o++] = (n >>> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  if (rest === 2) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    if ((a | b) > 63) throw invalidCharacter(text, firstInvalid(text, i, end), part);
    // RFC 4648 §3.5: the last character carries 4 unused bits, which must be zero.
    if ((b & 0x0f) !== 0) throw nonCanonical(i + 1, part);
    out[o] = (a << 2) | (b >>> 4);
  } else if (rest === 3) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = sextet(text, i + 2);
    if ((a | b | c) > 63) throw invalidCharacter(text, firstInvalid(text, i, end), part);
    // RFC 4648 §3.5: here the last character carries 2 unused bits.
    if ((c & 0x03) !== 0) throw nonCanonical(i + 2, part);
    out[o++] = (a << 2) | (b >>> 4);
    out[o] = ((b & 0x0f) << 4) | (c >>> 2);
  }
  return out;
}

/** The 6-bit value of the character at `index`, or INVALID. */
function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? DECODE[code]! : INVALID;
}

/** Index of the first character in [from, to) that is not in the alphabet, or -1. */
function firstInvalid(text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) if (sextet(text, i) === INVALID) return i;
  return -1;
}

function invalidCharacter(text: string, position: number, part: TokenPart | undefined): Base64UrlError {
  const char = text.charAt(position);
  return new Base64UrlError(`${describe(char)} at position ${position}`, position, part);
}

function describe(char: string): string {
  const hex = char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  if (char === '=') return "'=' padding is not allowed (RFC 7515 §2)";
  if (char === '+' || char === '/') {
    return `'${char}' belongs to standard base64, not base64url (RFC 4648 §5)`;
  }
  if (/\s/.test(char)) return `whitespace (U+${hex}) is not allowed (RFC 7515 §2)`;
  if (char === '.') return "'.' is not allowed inside a segment";
  return `character U+${hex} is not in the base64url alphabet (RFC 4648 §5)`;
}

function nonCanonical(position: number, part: TokenPart | undefined): Base64UrlError {
  return new Base64UrlError(
    `non-zero unused bits in the last character at position ${position}: not canonical (RFC 4648 §3.5)`,
    position,
    part,
  );
}
