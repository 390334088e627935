/**
 * Python's words for a JSON syntax error. PyJWT reports a header or payload
 * that is not JSON as `Invalid header string: <Python's json error>`, for
 * example `Expecting value: line 1 column 1 (char 0)`. To send clients the same
 * `msg`, this re-reads a text that JSON.parse refused the way CPython's `json`
 * scanner (Modules/_json.c, 3.11 and 3.12; 3.13 added a message for trailing
 * commas, which this follows the older versions in not having) reads it, and names the first error it meets,
 * at the same position, counted in code points as Python counts.
 *
 * It runs only after JSON.parse has failed: the success path never pays for it.
 * Pure (no Node or DOM API), so the page uses it too, to say where an edited
 * payload stops being JSON: it lives in explain/, with the other shared words.
 * It returns undefined for text Python would accept (NaN, Infinity), leaving
 * the caller to say what is wrong in its own words.
 */

type Scan = { readonly end: number } | { readonly error: string; readonly at: number };

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX = /^[0-9a-fA-F]{4}$/;

/** `"<message>: line L column C (char N)"` as Python's json.loads would raise it, or undefined if Python accepts `text`. */
export function pythonJsonError(text: string): string | undefined {
  const s = Array.from(text); // code points, as Python's str
  const result = document(s);
  if ('end' in result) return undefined;
  return `${result.error}: ${position(s, result.at)}`;
}

/** json.decoder.JSONDecoder.decode: whitespace, one value, whitespace, nothing else. */
function document(s: readonly string[]): Scan {
  const value = scanValue(s, skip(s, 0));
  if (!('end' in value)) return value;
  const end = skip(s, value.end);
  return end === s.length ? value : { error: 'Extra data', at: end };
}

function skip(s: readonly string[], index: number): number {
  let i = index;
  while (i < s.length && WHITESPACE.has(s[i] ?? '')) i++;
  return i;
}

/** scan_once_unicode: one value starting exactly at `i`. */
function scanValue(s: readonly string[], i: number): Scan {
  const c = s[i];
  if (c === '"') return scanString(s, i + 1);
  if (c === '{') return scanObject(s, i + 1);
  if (c === '[') return scanArray(s, i + 1);
  for (const word of ['null', 'true', 'false', 'NaN', 'Infinity', '-Infinity']) {
    if (s.slice(i, i + word.length).join('') === word) return { end: i + word.length };
  }
  return scanNumber(s, i);
}

/** _match_number_unicode: -?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)? */
function scanNumber(s: readonly string[], start: number): Scan {
  const isDigit = (k: number): boolean => (s[k] ?? '') >= '0' && (s[k] ?? '') <= '9';
  let i = start;
  if (s[i] === '-') i++;
  if (s[i] === '0') i++;
  else if (isDigit(i) && s[i] !== '0') while (isDigit(i)) i++;
  else return { error: 'Expecting value', at: start };
  if (s[i] === '.' && isDigit(i + 1)) {
    i++;
    while (isDigit(i)) i++;
  }
  if (s[i] === 'e' || s[i] === 'E') {
    let j = i + 1;
    if (s[j] === '+' || s[j] === '-') j++;
    if (isDigit(j)) {
      while (isDigit(j)) j++;
      i = j;
    }
  }
  return { end: i };
}

/** scanstring_unicode: the body of a string whose opening quote is at `begin - 1`. */
function scanString(s: readonly string[], begin: number): Scan {
  const unterminated = { error: 'Unterminated string starting at', at: begin - 1 };
  let i = begin;
  for (;;) {
    while (i < s.length && s[i] !== '"' && s[i] !== '\\') {
      if ((s[i]?.codePointAt(0) ?? 0) <= 0x1f) return { error: 'Invalid control character at', at: i };
      i++;
    }
    if (i >= s.length) return unterminated;
    if (s[i] === '"') return { end: i + 1 };
    i++; // past the backslash
    if (i === s.length) return unterminated;
    if (s[i] !== 'u') {
      if (!ESCAPES.has(s[i] ?? '')) return { error: 'Invalid \\escape', at: i - 1 };
      i++;
      continue;
    }
    const digitsEnd = i + 5;
    if (digitsEnd >= s.length) return { error: 'Invalid \\uXXXX escape', at: i };
    if (!HEX.test(s.slice(i + 1, digitsEnd).join(''))) return { error: 'Invalid \\uXXXX escape', at: i };
    i = digitsEnd;
  }
}

/** _parse_object_unicode, after the "{". */
function scanObject(s: readonly string[], start: number): Scan {
  let i = skip(s, start);
  if (s[i] === '}') return { end: i + 1 };
  for (;;) {
    if (s[i] !== '"') return { error: 'Expecting property name enclosed in double quotes', at: i };
    const key = scanString(s, i + 1);
    if (!('end' in key)) return key;
    i = skip(s, key.end);
    if (s[i] !== ':') return { error: "Expecting ':' delimiter", at: i };
    i = skip(s, i + 1);
    const value = scanValue(s, i);
    if (!('end' in value)) return value;
    i = skip(s, value.end);
    if (s[i] === '}') return { end: i + 1 };
    if (s[i] !== ',') return { error: "Expecting ',' delimiter", at: i };
    i = skip(s, i + 1);
  }
}

/** _parse_array_unicode, after the "[". */
function scanArray(s: readonly string[], start: number): Scan {
  let i = skip(s, start);
  if (s[i] === ']') return { end: i + 1 };
  for (;;) {
    const value = scanValue(s, i);
    if (!('end' in value)) return value;
    i = skip(s, value.end);
    if (s[i] === ']') return { end: i + 1 };
    if (s[i] !== ',') return { error: "Expecting ',' delimiter", at: i };
    i = skip(s, i + 1);
  }
}

/** json.decoder.JSONDecodeError's "line L column C (char N)". */
function position(s: readonly string[], at: number): string {
  let line = 1;
  let lastNewline = -1;
  for (let k = 0; k < at && k < s.length; k++) {
    if (s[k] === '\n') {
      line++;
      lastNewline = k;
    }
  }
  return `line ${line} column ${at - lastNewline} (char ${at})`;
}
