/**
 * The base64url codec of base64url.ts, made fast: the same input gives the
 * same output and the same errors (the tests compare the two on random and
 * malformed inputs), in a quarter of the time or less (bench/, "codec" rows).
 * Read base64url.ts first; this file only adds speed.
 *
 * Two things make a JavaScript codec slow: building the output one character
 * at a time, and allocating a fresh typed array per call (above 64 bytes V8
 * puts its memory outside the heap, which costs microseconds). So the encoder
 * writes ASCII codes into one reusable scratch buffer, four characters (3 input
 * bytes) per 32-bit store, using a table of every 12-bit value's two characters,
 * and turns the buffer into a string once at the end; the decoder copies the
 * characters into bytes with one native call and reads them four at a time.
 * Calls never overlap (JavaScript runs one call at a time), so sharing the
 * scratch buffers is safe.
 *
 * Only the happy path is fast. On anything invalid the decoder hands the text
 * to the plain decoder, which finds the first problem and throws the error.
 */
import { ALPHABET, decodePlain } from './base64url.js';
import type { TokenPart } from './errors.js';

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Marks a character that is not in the alphabet, in the decode table below. */
const INVALID = 0xff;

/** Char code (0..127) → its 6-bit value, or INVALID. */
const DECODE = new Uint8Array(128).fill(INVALID);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Every 12-bit value → the char codes of its two characters, in memory order (two of these make one 32-bit store). */
const PAIRS = new Uint16Array(4096);
for (let n = 0; n < 4096; n++) {
  const first = ALPHABET.charCodeAt(n >>> 6);
  const second = ALPHABET.charCodeAt(n & 63);
  PAIRS[n] = LITTLE_ENDIAN ? first | (second << 8) : (first << 8) | second;
}

/** The scratch buffer, seen as bytes, as 32-bit words and as a Buffer (for the one string conversion). */
interface Scratch {
  readonly bytes: Uint8Array;
  readonly words: Uint32Array;
  readonly text: Buffer;
}

function makeScratch(size: number): Scratch {
  const buffer = new ArrayBuffer(Math.ceil(size / 4) * 4);
  return { bytes: new Uint8Array(buffer), words: new Uint32Array(buffer), text: Buffer.from(buffer) };
}

/** Scratch sizes up to this are kept for later calls; larger ones are used once. */
const KEEP_LIMIT = 1 << 20;
/** Where results are written (encoded text, transiently decoded bytes). */
let scratch = makeScratch(16384);
/** Where inputs are copied first (text to encode as UTF-8, characters to decode). */
let scratchIn = makeScratch(16384);

function scratchFor(size: number): Scratch {
  if (size <= scratch.bytes.length) return scratch;
  const grown = makeScratch(Math.max(size, scratch.bytes.length * 2));
  if (size <= KEEP_LIMIT) scratch = grown;
  return grown;
}

function scratchInFor(size: number): Scratch {
  if (size <= scratchIn.bytes.length) return scratchIn;
  const grown = makeScratch(Math.max(size, scratchIn.bytes.length * 2));
  if (size <= KEEP_LIMIT) scratchIn = grown;
  return grown;
}

/**
 * For decoding: every pair of characters, as the two bytes lie in memory, → its
 * 12-bit value, or 0xffff when either character is not in the alphabet
 * (128 KiB, built once). Two lookups decode four characters into 24 bits.
 */
const PAIR_VALUES = new Uint16Array(65536).fill(0xffff);
for (let i = 0; i < 64; i++) {
  for (let j = 0; j < 64; j++) {
    const first = ALPHABET.charCodeAt(i);
    const second = ALPHABET.charCodeAt(j);
    PAIR_VALUES[LITTLE_ENDIAN ? first | (second << 8) : (first << 8) | second] = (i << 6) | j;
  }
}

/** Encodes bytes as unpadded base64url. */
export function encodeBase64Url(bytes: Uint8Array): string {
  return encodeRange(bytes, bytes.length);
}

/** Encodes a string's UTF-8 bytes as unpadded base64url (RFC 7515 §2: BASE64URL(UTF8(text))). */
export function encodeBase64UrlString(text: string): string {
  // UTF-8 needs at most 3 bytes per UTF-16 code unit. Buffer's UTF-8 writer
  // (not its base64) fills the scratch input in one native call.
  const input = scratchInFor(text.length * 3);
  return encodeRange(input.bytes, input.text.write(text, 0, 'utf8'));
}

/** Encodes `bytes[0 .. length)`. */
function encodeRange(bytes: Uint8Array, length: number): string {
  const whole = length - (length % 3);
  const out = scratchFor(Math.ceil(length / 3) * 4);
  const words = out.words;
  let w = 0;
  // Indices below are in range by the loop bounds, hence the `!`.
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    // 24 bits → two 12-bit halves → four characters in one store.
    words[w++] = LITTLE_ENDIAN ? PAIRS[n >>> 12]! | (PAIRS[n & 0xfff]! << 16) : (PAIRS[n >>> 12]! << 16) | PAIRS[n & 0xfff]!;
  }
  let text = out.text.toString('latin1', 0, w * 4);
  if (length - whole === 1) {
    // 8 bits → 2 characters; the low 4 bits of the second are zero (RFC 4648 §3.5).
    const n = bytes[whole]!;
    text += ALPHABET.charAt(n >>> 2) + ALPHABET.charAt((n & 0x03) << 4);
  } else if (length - whole === 2) {
    // 16 bits → 3 characters; the low 2 bits of the third are zero.
    const n = (bytes[whole]! << 8) | bytes[whole + 1]!;
    text += ALPHABET.charAt(n >>> 10) + ALPHABET.charAt((n >>> 4) & 63) + ALPHABET.charAt((n & 0x0f) << 2);
  }
  return text;
}

/**
 * Decodes `text.slice(start, end)` strictly. Taking a range instead of a substring
 * lets the verifier decode a token's segments in place, and makes every error
 * position an index into the whole token; `part` labels errors with the segment.
 */
export function decodeBase64Url(text: string, start = 0, end = text.length, part?: TokenPart): Uint8Array {
  // A Buffer from Node's pool, not `new Uint8Array`: above 64 bytes a fresh typed
  // array costs a separate allocation outside the heap, and node:crypto (which
  // compares signatures) reads pooled memory without copying it. Every byte of
  // it is written below, so nothing stale can be seen through it.
  return decodeInto(Buffer.allocUnsafe(((end - start) * 3) >>> 2), text, start, end, part);
}

/**
 * Like `decodeBase64Url`, but into the shared scratch buffer: the view it returns
 * is valid only until the next call into this module (so never hand it to the
 * encoder, which writes into the same buffer). The verifier uses it for the
 * header and payload, whose bytes it turns into text at once, saving an
 * allocation per segment. Not part of the public API.
 */
export function decodeBase64UrlTransient(text: string, start: number, end: number, part: TokenPart): Uint8Array {
  const size = ((end - start) * 3) >>> 2;
  if (size > scratch.bytes.length) return decodeBase64Url(text, start, end, part);
  return decodeInto(scratch.bytes.subarray(0, size), text, start, end, part);
}

function decodeInto(out: Uint8Array, text: string, start: number, end: number, part: TokenPart | undefined): Uint8Array {
  const length = end - start;
  const rest = length & 3;
  // A length of 1 (mod 4) is never valid: let the plain decoder say why.
  if (rest === 1) return refuse(text, start, end, part);
  // Copy the characters into bytes with one native call. UTF-8 leaves ASCII
  // unchanged and turns anything else into more bytes, so a length change
  // reveals a character outside ASCII, none of which is base64url.
  const input = scratchInFor(length);
  if (input.text.write(text.slice(start, end), 0, 'utf8') !== length) return refuse(text, start, end, part);
  // Four characters per 32-bit load, two PAIR_VALUES lookups give 24 bits.
  const words = input.words;
  const groups = length >>> 2;
  let o = 0;
  for (let k = 0; k < groups; k++) {
    const word = words[k]!;
    const high = PAIR_VALUES[LITTLE_ENDIAN ? word & 0xffff : word >>> 16]!;
    const low = PAIR_VALUES[LITTLE_ENDIAN ? word >>> 16 : word & 0xffff]!;
    // An invalid pair is 0xffff: OR-ing the two exceeds 12 bits only if one of them is invalid.
    if ((high | low) > 0xfff) return refuse(text, start, end, part);
    out[o++] = high >>> 4;
    out[o++] = ((high & 0x0f) << 4) | (low >>> 8);
    out[o++] = low & 0xff;
  }
  const i = start + 4 * groups;
  if (rest === 2) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    // Invalid characters, or non-zero unused bits (RFC 4648 §3.5: 4 of them here).
    if ((a | b) > 63 || (b & 0x0f) !== 0) return refuse(text, start, end, part);
    out[o] = (a << 2) | (b >>> 4);
  } else if (rest === 3) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = sextet(text, i + 2);
    if ((a | b | c) > 63 || (c & 0x03) !== 0) return refuse(text, start, end, part); // 2 unused bits here
    out[o++] = (a << 2) | (b >>> 4);
    out[o] = ((b & 0x0f) << 4) | (c >>> 2);
  }
  return out;
}

/** Invalid input: the plain decoder finds the first problem and throws its error. */
function refuse(text: string, start: number, end: number, part: TokenPart | undefined): never {
  decodePlain(text, start, end, part);
  throw new Error(`base64url-fast refused a segment that the plain decoder accepts (${start}..${end}): a bug`);
}

/** The 6-bit value of the character at `index`, or INVALID. */
function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? DECODE[code]! : INVALID;
}
