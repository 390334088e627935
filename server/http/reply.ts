/**
 * What a handler answers: a `Reply` (status, JSON body or raw content, headers),
 * built with `json()`, or an `HttpError` thrown to answer with a status and a
 * `msg`. Bodies are written as Flask's `jsonify` writes them (sorted keys,
 * non-ASCII escaped), so byte-level comparisons with a Flask app hold.
 */

/** What a handler returns: a JSON `body`, or a `raw` body of a given content type (the demo page). */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly raw?: { readonly type: string; readonly content: string | Buffer };
  readonly headers?: Readonly<Record<string, string>>;
}

/** A JSON reply. */
export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return headers === undefined ? { status, body } : { status, body, headers };
}

/** An error a handler throws to answer with a given status and `msg` (an answer, not a bug: no stack trace is captured). */
export class HttpError extends Error {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(status: number, message: string, headers?: Record<string, string>) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = 'HttpError';
    this.status = status;
    this.headers = headers;
  }
}

/** JSON with sorted object keys and non-ASCII escaped (Python's json.dumps with sort_keys and ensure_ascii). */
export function flaskJson(value: unknown): string {
  return flatStringsJson(value) ?? generalJson(value);
}

/**
 * Most replies are a few sorted string members that need no escaping
 * ({"logged_in_as":"alice"}, {"msg":"Token has expired"}): written here, in
 * JavaScript, without JSON.stringify, a call into C++ that cost a request
 * about 1 µs in a profile of the demo server (in a scratch loop, the general
 * path took 320–420 ns for such a reply, this 120–145 ns). Anything else
 * takes the general path.
 */
function flatStringsJson(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  // Own keys, as JSON.stringify takes them; already sorted (integer-like keys come first, and fail this).
  const keys = Object.keys(value);
  let text = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] ?? '';
    const member: unknown = (value as Record<string, unknown>)[key];
    if (typeof member !== 'string' || !isPlainText(key) || !isPlainText(member) || (i > 0 && (keys[i - 1] ?? '') >= key)) return undefined;
    text += `${i > 0 ? ',' : ''}"${key}":"${member}"`;
  }
  return `${text}}`;
}

/** Printable ASCII other than `"` and `\`: JSON text as it stands. */
function isPlainText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return false;
  }
  return true;
}

function generalJson(value: unknown): string {
  const text = sortedJson(value, '') ?? 'null';
  return NON_ASCII.test(text) ? text.replace(NON_ASCII_ALL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
}

const NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII_ALL = /[\u0080-\uffff]/g;

/**
 * JSON.stringify's text with every object's keys sorted by code unit. Sorting
 * a copy's keys would not do: a JavaScript object lists integer-like keys
 * first, in numeric order, whatever order they were added in ("9" before
 * "10", where Python's sort_keys puts "10" first). Members JSON leaves out
 * (undefined, functions) are left out here too; in an array they are null.
 */
function sortedJson(value: unknown, key: string): string | undefined {
  const data: unknown = hasToJson(value) ? value.toJSON(key) : value;
  if (typeof data !== 'object' || data === null || data instanceof String || data instanceof Number || data instanceof Boolean) return JSON.stringify(data);
  if (Array.isArray(data)) return `[${data.map((item: unknown, index) => sortedJson(item, String(index)) ?? 'null').join(',')}]`;
  const members: string[] = [];
  for (const name of Object.keys(data).sort()) {
    const text = sortedJson((data as Record<string, unknown>)[name], name);
    if (text !== undefined) members.push(`${JSON.stringify(name)}:${text}`);
  }
  return `{${members.join(',')}}`;
}

function hasToJson(value: unknown): value is { toJSON(key: string): unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function';
}
