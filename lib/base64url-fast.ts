/**
 * The base64url codec of base64url.ts, made fast: the same input gives the
 * same output and the same errors (the tests compare the two on random and
 * malformed inputs), in a quarter of the time or less (bench/, "codec" rows).
 * Read base64url.ts first; this file only adds speed.
 *
 * Three things make a JavaScript codec slow: building the output one character
 * at a time, allocating a fresh typed array per call (above 64 bytes V8 puts
 * its memory outside the heap, which costs microseconds), and touching memory
 * a byte at a time. So the encoder reads its input twelve bytes (three 32-bit
 * loads) at a time, writes four characters per 32-bit store into one reusable
 * scratch buffer, using a table of every 12-bit value's two characters, and
 * turns the buffer into a string once at the end; the decoder copies the
 * characters into bytes with one native call and reads them four at a time.
 * Calls never overlap (JavaScript runs one call at a time), so sharing the
 * scratch buffers is safe.
 *
 * Only the happy path is fast. On anything invalid the decoder hands the text
 * to the plain decoder, which finds the first problem and throws the error.
 */
import { ALPHABET, decodePlain, encodePlain } from './base64url.js';
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

/**
 * The scratch buffers, each seen as bytes, as 32-bit words and as a Buffer (for
 * the native UTF-8 writer and the one string conversion). They are `const` and
 * never replaced: V8 then knows the very arrays the loops below touch. The
 * decoding loop took 2.1 µs for 2.5 KB of text where the same loop over arrays
 * passed in, or swapped for bigger ones, took 2.8–2.9 µs (docs/benchmarks.md).
 * Input larger than they hold (far beyond any token: the verifier's default
 * limit is 8 KiB) goes to the plain codec, slower but without a size limit.
 */
const IN_SIZE = 1 << 16;
/** Where inputs are copied first: bytes or UTF-8 text to encode, characters to decode. */
const IN = new ArrayBuffer(IN_SIZE);
const IN_BYTES = new Uint8Array(IN);
const IN_WORDS = new Uint32Array(IN);
const IN_BUFFER = Buffer.from(IN);
/** Where results are written: encoded characters, decoded bytes. Big enough for IN_SIZE bytes encoded. */
const OUT = new ArrayBuffer(Math.ceil(IN_SIZE / 3) * 4);
const OUT_BYTES = new Uint8Array(OUT);
const OUT_WORDS = new Uint32Array(OUT);
const OUT_BUFFER = Buffer.from(OUT);

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
  if (bytes.length > IN_SIZE) return encodePlain(bytes);
  IN_BYTES.set(bytes);
  return encodeInput(bytes.length);
}

/** Encodes a string's UTF-8 bytes as unpadded base64url (RFC 7515 §2: BASE64URL(UTF8(text))). */
export function encodeBase64UrlString(text: string): string {
  // UTF-8 needs at most 3 bytes per UTF-16 code unit. Buffer's UTF-8 writer
  // (not its base64) fills the scratch input in one native call.
  if (text.length > IN_SIZE / 3) return encodePlain(Buffer.from(text, 'utf8'));
  return encodeInput(IN_BUFFER.write(text, 0, 'utf8'));
}

/** Encodes `IN_BYTES[0 .. length)`. */
function encodeInput(length: number): string {
  const whole = length - (length % 3);
  let i = 0;
  let w = 0;
  // Twelve bytes per round where the words are little-endian: three 32-bit
  // loads hold four 3-byte groups. In a loaded word the first byte in memory
  // is the lowest, so x = b3 b2 b1 b0, y = b7 b6 b5 b4, z = b11 b10 b9 b8.
  // Indices below are in range by the loop bounds, hence the `!`.
  const rounds = LITTLE_ENDIAN ? whole - (whole % 12) : 0;
  for (; i < rounds; i += 12) {
    const x = IN_WORDS[i >>> 2]!;
    const y = IN_WORDS[(i >>> 2) + 1]!;
    const z = IN_WORDS[(i >>> 2) + 2]!;
    const g0 = ((x & 0xff) << 16) | (x & 0xff00) | ((x >>> 16) & 0xff); // b0 b1 b2
    const g1 = ((x >>> 24) << 16) | ((y & 0xff) << 8) | ((y >>> 8) & 0xff); // b3 b4 b5
    const g2 = (((y >>> 16) & 0xff) << 16) | ((y >>> 24) << 8) | (z & 0xff); // b6 b7 b8
    const g3 = (((z >>> 8) & 0xff) << 16) | (((z >>> 16) & 0xff) << 8) | (z >>> 24); // b9 b10 b11
    // 24 bits → two 12-bit halves → four characters in one store.
    OUT_WORDS[w++] = PAIRS[g0 >>> 12]! | (PAIRS[g0 & 0xfff]! << 16);
    OUT_WORDS[w++] = PAIRS[g1 >>> 12]! | (PAIRS[g1 & 0xfff]! << 16);
    OUT_WORDS[w++] = PAIRS[g2 >>> 12]! | (PAIRS[g2 & 0xfff]! << 16);
    OUT_WORDS[w++] = PAIRS[g3 >>> 12]! | (PAIRS[g3 & 0xfff]! << 16);
  }
  // The remaining whole groups (and every group on a big-endian machine), a byte at a time.
  for (; i < whole; i += 3) {
    const n = (IN_BYTES[i]! << 16) | (IN_BYTES[i + 1]! << 8) | IN_BYTES[i + 2]!;
    OUT_WORDS[w++] = LITTLE_ENDIAN ? PAIRS[n >>> 12]! | (PAIRS[n & 0xfff]! << 16) : (PAIRS[n >>> 12]! << 16) | PAIRS[n & 0xfff]!;
  }
  let text = OUT_BUFFER.toString('latin1', 0, w * 4);
  if (length - whole === 1) {
    // 8 bits → 2 characters; the low 4 bits of the second are zero (RFC 4648 §3.5).
    const n = IN_BYTES[whole]!;
    text += ALPHABET.charAt(n >>> 2) + ALPHABET.charAt((n & 0x03) << 4);
  } else if (length - whole === 2) {
    // 16 bits → 3 characters; the low 2 bits of the third are zero.
    const n = (IN_BYTES[whole]! << 8) | IN_BYTES[whole + 1]!;
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
  // A copy in a Buffer from Node's pool, not `new Uint8Array`: above 64 bytes a
  // fresh typed array costs a separate allocation outside the heap.
  return Buffer.from(decodeBase64UrlTransient(text, start, end, part));
}

/**
 * Like `decodeBase64Url`, but the bytes stay in the shared scratch buffer: the
 * view it returns is valid only until the next call into this module (so never
 * hand it to the encoder, which writes into the same buffer). The verifier uses
 * it for the header and payload, whose bytes it turns into text at once, saving
 * an allocation and a copy per segment. Not part of the public API.
 */
export function decodeBase64UrlTransient(text: string, start: number, end: number, part?: TokenPart): Uint8Array {
  const length = end - start;
  if (length > IN_SIZE) return decodePlain(text, start, end, part);
  const rest = length & 3;
  // A length of 1 (mod 4) is never valid: let the plain decoder say why.
  if (rest === 1) return refuse(text, start, end, part);
  // Copy the characters into bytes with one native call. UTF-8 leaves ASCII
  // unchanged and turns anything else into more bytes, so a length change
  // reveals a character outside ASCII, none of which is base64url.
  if (IN_BUFFER.write(text.slice(start, end), 0, 'utf8') !== length) return refuse(text, start, end, part);
  // Four characters per 32-bit load, two PAIR_VALUES lookups give 24 bits.
  // An invalid pair is 0xffff, so OR-ing every value together exceeds 12 bits
  // exactly when some pair was invalid: one test after the loop instead of a
  // branch per group, which V8 runs markedly faster (2.5 KB of text: 4.0 →
  // 2.3 µs in a scratch loop; docs/benchmarks.md). Bytes written before the
  // test are never handed out when it fails.
  const groups = length >>> 2;
  let invalid = 0;
  let o = 0;
  for (let k = 0; k < groups; k++, o += 3) {
    const word = IN_WORDS[k]!;
    const high = PAIR_VALUES[LITTLE_ENDIAN ? word & 0xffff : word >>> 16]!;
    const low = PAIR_VALUES[LITTLE_ENDIAN ? word >>> 16 : word & 0xffff]!;
    invalid |= high | low;
    OUT_BYTES[o] = high >>> 4;
    OUT_BYTES[o + 1] = ((high & 0x0f) << 4) | (low >>> 8);
    OUT_BYTES[o + 2] = low & 0xff;
  }
  if (invalid > 0xfff) return refuse(text, start, end, part);
  const i = start + 4 * groups;
  if (rest === 2) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    // Invalid characters, or non-zero unused bits (RFC 4648 §3.5: 4 of them here).
    if ((a | b) > 63 || (b & 0x0f) !== 0) return refuse(text, start, end, part);
    OUT_BYTES[o++] = (a << 2) | (b >>> 4);
  } else if (rest === 3) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = sextet(text, i + 2);
    if ((a | b | c) > 63 || (c & 0x03) !== 0) return refuse(text, start, end, part); // 2 unused bits here
    OUT_BYTES[o++] = (a << 2) | (b >>> 4);
    OUT_BYTES[o++] = ((b & 0x0f) << 4) | (c >>> 2);
  }
  return OUT_BYTES.subarray(0, o);
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
