/**
 * JSON in a JWT: from decoded segment bytes to a JSON object, conservatively.
 *
 * RFC 7519 §7.2 steps 4 and 10 say the header and the claims are UTF-8 JSON
 * objects. We go further where leniency has bitten other libraries:
 *   - invalid UTF-8 and a byte-order mark are errors (RFC 8259 §8.1: no BOM on
 *     the wire; a decoder that repairs bytes lets two byte strings mean one text);
 *   - duplicate member names are errors. RFC 7515 §5.2 and RFC 7519 §4 let a
 *     parser reject them, and two parsers that keep different duplicates read one
 *     signed token two ways (a "parser differential");
 *   - the top level must be an object, not an array, string or null.
 */
import { MalformedTokenError, type TokenPart } from './errors.js';

/** A JSON object as `JSON.parse` gives it. */
export type JsonObject = { [name: string]: unknown };

// `fatal` turns invalid UTF-8 into an exception; `ignoreBOM` keeps a BOM in the
// output (instead of silently removing it) so that we can refuse it below.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes strict UTF-8 without a BOM. `part` names the segment in errors. */
export function decodeUtf8(bytes: Uint8Array, part: TokenPart): string {
  let text: string;
  try {
    text = utf8Decoder.decode(bytes);
  } catch (cause) {
    throw new MalformedTokenError(part, `${part} is not valid UTF-8 (RFC 7519 §7.2)`, { cause });
  }
  if (text.charCodeAt(0) === 0xfeff) {
    throw new MalformedTokenError(part, `${part} starts with a byte-order mark (RFC 8259 §8.1)`);
  }
  return text;
}

/** Parses `text` as a JSON object with unique member names. */
export function parseJsonObject(text: string, part: TokenPart): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    // JSON.parse of a string throws only SyntaxError.
    const detail = (cause as SyntaxError).message;
    throw new MalformedTokenError(part, `${part} is not valid JSON: ${detail}`, { cause });
  }
  if (!isJsonObject(value)) {
    throw new MalformedTokenError(part, `${part} must be a JSON object (RFC 7519 §7.2)`);
  }
  if (hasDuplicateName(text, value)) {
    throw new MalformedTokenError(
      part,
      `${part} has a duplicate member name (RFC 7515 §5.2, RFC 7519 §4)`,
    );
  }
  return value;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether the text repeats a member name inside one object, given the value
 * `JSON.parse` made of it. `JSON.parse` keeps only the last of two equal names,
 * so the parsed value has as many keys as the text has members exactly when no
 * name repeats; and it never has more.
 */
function hasDuplicateName(text: string, value: JsonObject): boolean {
  const keys = countKeys(value);
  // A quick proof for the usual text (JSON.stringify's): when no ':' follows
  // whitespace, every member name ends in '":', so the text has at least as
  // many '":' as members. Keys ≤ members ≤ '":', so as many '":' as keys means
  // no name repeats. When the proof does not apply (whitespace before a ':',
  // a string value holding '":', or a real duplicate), count the members exactly.
  if (countNameEnds(text) === keys) return false;
  return countMembers(text) !== keys;
}

/**
 * Counts the '":' in a text, or answers -1 when a ':' follows JSON whitespace
 * (a name may then end in '" :', which the count would miss). It hops from ':'
 * to ':' with `indexOf` of one character, a native scan, and looks back one.
 */
function countNameEnds(text: string): number {
  let count = 0;
  for (let at = text.indexOf(':'); at !== -1; at = text.indexOf(':', at + 1)) {
    const before = text.charCodeAt(at - 1);
    if (before === 0x22 /* " */) count++;
    else if (isJsonSpace(before)) return -1;
  }
  return count;
}

/**
 * Counts the members of every object in a JSON text.
 *
 * A member is a name, a ':' and a value (RFC 8259 §4), and a name is the only
 * string that a ':' follows. Outside strings a JSON text has no '"', so hopping
 * from one string to the next with `indexOf` (much faster than a loop in
 * JavaScript) visits every string, and counting those followed by a ':' counts
 * the members. `JSON.parse` keeps only the last of two equal names, so the
 * parsed value has fewer keys than the text has members exactly when a name
 * repeats. This lets the fast native parser do the real work.
 */
function countMembers(text: string): number {
  // Without a backslash no quote is escaped: the next quote always closes the string.
  const escapes = text.includes('\\');
  let members = 0;
  let open = text.indexOf('"');
  while (open !== -1) {
    const close = escapes ? endOfString(text, open) : text.indexOf('"', open + 1);
    /* c8 ignore next: unreachable once JSON.parse has accepted the text, kept so a bug cannot loop */
    if (close === -1) return members;
    let next = close + 1;
    while (isJsonSpace(text.charCodeAt(next))) next++;
    if (text.charCodeAt(next) === 0x3a /* : */) members++;
    open = text.indexOf('"', next);
  }
  return members;
}

/** The four whitespace characters of JSON (RFC 8259 §2). */
function isJsonSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** Index of the quote that closes the string literal opening at `open` (JSON.parse has already accepted the text). */
function endOfString(text: string, open: number): number {
  let close = text.indexOf('"', open + 1);
  // A quote preceded by an odd number of backslashes is escaped: keep looking.
  while (close !== -1 && isEscaped(text, close)) close = text.indexOf('"', close + 1);
  return close;
}

function isEscaped(text: string, quote: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(quote - 1 - backslashes) === 0x5c /* \ */) backslashes++;
  return backslashes % 2 === 1;
}

/** Counts the own keys of every object inside a parsed JSON value, without recursion. */
function countKeys(root: JsonObject): number {
  let keys = 0;
  const pending: object[] = [root];
  for (let value = pending.pop(); value !== undefined; value = pending.pop()) {
    // JSON.parse makes "__proto__" an own key, so Object.values sees every member.
    const children = Array.isArray(value) ? value : Object.values(value);
    if (!Array.isArray(value)) keys += children.length;
    for (const child of children) if (typeof child === 'object' && child !== null) pending.push(child);
  }
  return keys;
}
