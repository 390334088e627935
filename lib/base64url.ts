/**
 * base64url, by hand: RFC 4648 §5 alphabet, no padding (RFC 7515 §2 and Appendix C).
 * This file is the definition, written to be read; base64url-fast.ts is the
 * same codec made fast, and the tests check the two against each other.
 *
 * Every JWT segment is base64url text. Three bytes (24 bits) become four
 * characters of 6 bits each; a final group of one or two bytes becomes two or
 * three characters, and the `=` padding that standard base64 would add is left out.
 *
 *   bytes     01001010 01010111 01010100          "JWT"
 *   6 bits    010010 100101 011101 010100
 *   alphabet  S      l      d      U              "SldU"
 *
 * Decoding is strict and canonical, because a lenient decoder lets one token have
 * several spellings (RFC 4648 §12) and hides garbage:
 *   - only `A-Z a-z 0-9 - _`: no `=`, no `+` or `/`, no whitespace (RFC 4648 §3.3, RFC 7515 §2);
 *   - a length of 1 (mod 4) is refused: no encoder can produce it;
 *   - the unused low bits of the last character must be zero (RFC 4648 §3.5).
 * Each refusal is a `Base64UrlError` that names the offending position.
 */
import { Base64UrlError, type TokenPart } from './errors.js';

export const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Each ASCII character's 6-bit value, by character code; -1 for those not in the alphabet. */
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/** The 6-bit value of the character at `index`, or -1 when it is not in the alphabet. */
export function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? (VALUES[code] ?? -1) : -1;
}

/** Encodes bytes as unpadded base64url. */
export function encodePlain(bytes: Uint8Array): string {
  let text = '';
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!; // 24 bits
    text += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + ALPHABET[n & 63]!;
  }
  if (bytes.length - i === 1) {
    const n = bytes[i]!; // 8 bits → 2 characters; the second one's low 4 bits are zero
    text += ALPHABET[n >>> 2]! + ALPHABET[(n & 0x03) << 4]!;
  } else if (bytes.length - i === 2) {
    const n = (bytes[i]! << 8) | bytes[i + 1]!; // 16 bits → 3 characters; the third one's low 2 bits are zero
    text += ALPHABET[n >>> 10]! + ALPHABET[(n >>> 4) & 63]! + ALPHABET[(n & 0x0f) << 2]!;
  }
  return text;
}

/**
 * Decodes `text.slice(start, end)` strictly. Positions in errors are indices
 * into the whole `text` (a token, when the verifier decodes one segment of it),
 * and `part` names the segment.
 */
export function decodePlain(text: string, start = 0, end = text.length, part?: TokenPart): Uint8Array {
  // 1. Every character must be in the alphabet: a wrong character explains more than a wrong length.
  for (let i = start; i < end; i++) {
    if (sextet(text, i) === -1) throw new Base64UrlError(`${describe(text.charAt(i))} at position ${i}`, i, part);
  }
  // 2. Four characters carry three bytes; a last group of 1 character carries less than a byte.
  const length = end - start;
  if (length % 4 === 1) throw new Base64UrlError(`a length of ${length} (1 mod 4) cannot be base64url: no encoder produces it`, end - 1, part);
  // 3. Six bits per character, eight per byte; the bits left over at the end must be zero.
  const out = new Uint8Array(Math.floor((length * 6) / 8));
  let bits = 0;
  let count = 0;
  let o = 0;
  for (let i = start; i < end; i++) {
    bits = ((bits << 6) | sextet(text, i)) & 0xffff;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out[o++] = (bits >>> count) & 0xff;
    }
  }
  if ((bits & ((1 << count) - 1)) !== 0) {
    throw new Base64UrlError(`non-zero unused bits in the last character at position ${end - 1}: not canonical (RFC 4648 §3.5)`, end - 1, part);
  }
  return out;
}

/** Why a character is refused, in words a reader can act on. */
function describe(char: string): string {
  const hex = char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  if (char === '=') return "'=' padding is not allowed (RFC 7515 §2)";
  if (char === '+' || char === '/') return `'${char}' belongs to standard base64, not base64url (RFC 4648 §5)`;
  if (/\s/.test(char)) return `whitespace (U+${hex}) is not allowed (RFC 7515 §2)`;
  if (char === '.') return "'.' is not allowed inside a segment";
  return `character U+${hex} is not in the base64url alphabet (RFC 4648 §5)`;
}
